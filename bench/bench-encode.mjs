#!/usr/bin/env node
// The main job side by side in one run: `btforge encode FILE -o OUT` (default profile: types,
// FUNCs, kfunc tags, per-CPU VARs, dedup, validator) against upstream pahole
// `--btf_features=default` (the same work; ~/.cache/btforge-peers, BTFORGE_UPSTREAM_PAHOLE
// overrides) and `pahole -J --btf_encode_detached` (Debian's pahole 1.24: fewer function rules),
// single-threaded and with -j. Wall time, peak RSS, output size and type count, plus btforge's own
// phase and plugin times (dedup is the finalize phase, functions a symbols-phase plugin). Default
// input: the cached Debian 6.1 vmlinux. Usage: npm run bench:encode [-- FILE] (after npm run build).
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
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
const upstream = process.env.BTFORGE_UPSTREAM_PAHOLE ?? join(homedir(), ".cache/btforge-peers/pahole-1436daf/build/pahole");
if (existsSync(upstream)) {
  for (const [label, extra] of [["upstream pahole --btf_features=default", []], ["upstream pahole --btf_features=default -j", ["-j"]]]) {
    const theirs = join(out, `upstream${extra.join("")}.btf`);
    rows.push({ ...measure(label, [upstream, ...extra, "--btf_features=default", `--btf_encode_detached=${theirs}`, file]), out: theirs });
  }
}
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
const plugins = (report.timings?.taps ?? []).filter((t) => t.ms >= 100).map((t) => `${t.hook}/${t.plugin} ${t.ms}`);
console.log(`btforge plugins (ms, 100 and over): ${plugins.join(", ")}`);
if (report.functions) console.log(`functions: ${report.functions.encoded} FUNCs, ${report.functions.ms.toFixed(0)} ms, left out ${JSON.stringify(report.functions.skipped)}`);
if (report.dedup) console.log(`dedup: ${JSON.stringify(report.dedup)}`);
