#!/usr/bin/env node
// The main job side by side in one run: `btforge encode FILE -o OUT` (default profile: types,
// FUNCs, per-CPU VARs, dedup, validator) against `pahole -J --btf_encode_detached` (pahole 1.24:
// the same work, single-threaded unless -j). Wall time, peak RSS, output size and type count, plus
// btforge's own phase times (dedup is the finalize phase). Default input: the cached Debian 6.1
// vmlinux. Usage: npm run bench:encode [-- FILE] (after npm run build).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { haveTool, measure, printTable } from "./lib/measure.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = process.argv[2] ?? join(homedir(), ".cache/btforge/6.1.0-50-cloud-amd64/vmlinux");
const cli = join(root, "packages/cli/dist/bin.js");
const out = mkdtempSync(join(tmpdir(), "btforge-bench-"));

/** Types in a raw BTF file: its header's type section walked by btforge dump (one line per type). */
function typeCount(btf) {
  const r = spawnSync(process.execPath, [cli, "dump", btf], { encoding: "utf8", maxBuffer: 1 << 30 });
  return (r.stdout.match(/^\[\d+\]/gm) ?? []).length;
}

const ours = join(out, "btforge.btf");
const rows = [{ ...measure("btforge encode -o (default profile)", [process.execPath, "--max-old-space-size=8000", cli, "encode", file, "-o", ours, "--quiet"]), out: ours }];
if (haveTool("pahole")) {
  const theirs = join(out, "pahole.btf");
  rows.push({ ...measure("pahole -J --btf_encode_detached", ["pahole", "-J", "--btf_gen_floats", `--btf_encode_detached=${theirs}`, file]), out: theirs });
  const threads = join(out, "pahole-j.btf");
  rows.push({ ...measure("pahole -J -j (all cores)", ["pahole", "-J", "-j", "--btf_gen_floats", `--btf_encode_detached=${threads}`, file]), out: threads });
}
console.log(file);
printTable(rows);
for (const r of rows) console.log(`  ${r.label}: ${readFileSync(r.out).length} bytes, ${typeCount(r.out)} types`);

const json = spawnSync(process.execPath, ["--max-old-space-size=8000", cli, "encode", file, "--json", "--quiet"], { encoding: "utf8", maxBuffer: 1 << 26 });
const report = JSON.parse(json.stdout);
console.log(`btforge phases (ms): ${JSON.stringify(report.timings?.phases ?? report.phases ?? {})}`);
if (report.dedup) console.log(`dedup: ${JSON.stringify(report.dedup)}`);
