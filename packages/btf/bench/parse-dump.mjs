#!/usr/bin/env node
// Times parseBtf, validateBtf, writeBtf and dumpRaw on a BTF file (default /sys/kernel/btf/vmlinux) next
// to `bpftool btf dump file X`, the peer. Best of N runs each; needs `npx tsc -b packages/btf`.
//   node packages/btf/bench/parse-dump.mjs [FILE] [RUNS]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const { parseBtf, writeBtf, dumpRaw, validateBtf } = await import(dist);
const file = process.argv[2] ?? "/sys/kernel/btf/vmlinux";
const runs = Number(process.argv[3] ?? 5);

function best(label, fn) {
  let min = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    min = Math.min(min, performance.now() - t0);
  }
  console.log(`${label.padEnd(28)} ${min.toFixed(1).padStart(8)} ms`);
  return result;
}

const bytes = new Uint8Array(readFileSync(file));
console.log(`${file}: ${bytes.length} bytes, best of ${runs}`);
const table = best("parseBtf", () => parseBtf(bytes, { name: file }));
console.log(`  ${table.count} types`);
best("validateBtf", () => validateBtf(bytes, { name: file }));
best("parseBtf + validateBtf", () => (validateBtf(bytes, { name: file }), parseBtf(bytes, { name: file })));
best("writeBtf", () => writeBtf(table));
best("dumpRaw", () => dumpRaw(table));
try {
  best("bpftool btf dump (raw)", () => execFileSync("bpftool", ["btf", "dump", "file", file], { maxBuffer: 1 << 30 }));
} catch {
  console.log("bpftool not available");
}
