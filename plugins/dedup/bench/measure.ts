// Not a test: time and peak RSS of deduplicating the cached vmlinux's .BTF appended 3 times.
// Run: npx vite-node --config vitest.config.ts plugins/dedup/bench/measure.ts [path/to/vmlinux.btf]
import { readFileSync } from "node:fs";
import { parseBtf, writeBtf } from "@btforge/btf";
import { dedupBtf } from "@btforge/plugin-dedup";
import { replicate } from "../test/support/replicate.js";

const file = process.argv[2] ?? "/sys/kernel/btf/vmlinux";
const original = parseBtf(new Uint8Array(readFileSync(file)), { name: file });
const copies = Number(process.env.COPIES ?? 3);
const input = replicate(original, copies).table;
const rssBefore = process.memoryUsage().rss;
const t0 = performance.now();
const phases: Record<string, number> = {};
const { table } = dedupBtf(input, { onPhase: (p, ms) => (phases[p] = Math.round(ms)) });
const ms = performance.now() - t0;
const bytes = writeBtf(table).length;
console.log(JSON.stringify({
  file,
  copies,
  typesIn: input.count,
  typesOut: table.count,
  typesOriginal: original.count,
  dedupMs: Math.round(ms),
  phases,
  bytesOut: bytes,
  rssBeforeMB: Math.round(rssBefore / 2 ** 20),
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
}));
