#!/usr/bin/env node
// `btforge diff A B` beside what one does without it: `bpftool btf dump file` of both inputs and a
// text diff of the dumps (raw, and as C headers). The machine is shared, so the commands run in
// interleaved rounds (one of each per round, after a warm-up round) and each round's ratio to the
// raw bpftool pipeline is reported beside min/median/max wall times; peak RSS (the largest process
// of the pipeline) and output size come from the same runs. Default inputs: the cached Debian 6.1
// and 6.12 vmlinuxes (test/real/fetch-kernel.sh 6.1 and 6.12).
// Usage: npm run bench:diff [-- A B [ROUNDS]] (after npm run build).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { haveTool, measure } from "./lib/measure.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const cache = join(homedir(), ".cache/btforge");
const a = process.argv[2] ?? join(cache, "6.1.0-50-cloud-amd64/vmlinux");
const b = process.argv[3] ?? join(cache, "6.12.107+deb12-cloud-amd64/vmlinux");
const rounds = Number(process.argv[4] ?? 5);
const cli = join(root, "packages/cli/dist/bin.js");
const out = mkdtempSync(join(tmpdir(), "btforge-bench-diff-"));
const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;
const at = (name) => q(join(out, name));

const commands = [
  { label: "btforge diff (text)", sh: `${q(process.execPath)} ${q(cli)} diff ${q(a)} ${q(b)} > ${at("btforge.txt")}`, output: "btforge.txt" },
  { label: "btforge diff --json", sh: `${q(process.execPath)} ${q(cli)} diff ${q(a)} ${q(b)} --json > ${at("btforge.json")}`, output: "btforge.json" },
];
if (haveTool("bpftool")) {
  // diff exits 1 when the files differ: only 2 (trouble) fails the pipeline.
  const dumpAndDiff = (format, ext) =>
    `bpftool btf dump file ${q(a)}${format} > ${at(`a.${ext}`)} && bpftool btf dump file ${q(b)}${format} > ${at(`b.${ext}`)} && ` +
    `{ diff ${at(`a.${ext}`)} ${at(`b.${ext}`)} > ${at(`diff.${ext}`)}; test $? -le 1; }`;
  commands.push({ label: "bpftool btf dump x2 + diff", sh: dumpAndDiff("", "raw"), output: "diff.raw", baseline: true });
  commands.push({ label: "bpftool ... format c x2 + diff", sh: dumpAndDiff(" format c", "h"), output: "diff.h" });
} else {
  console.log("bpftool is not installed: btforge alone");
}

const runs = commands.map(() => []);
for (let round = 0; round <= rounds; round++) {
  for (const [i, c] of commands.entries()) {
    const m = measure(c.label, ["sh", "-c", c.sh]);
    if (m.status !== 0) throw new Error(`${c.label} failed (exit ${m.status})`);
    if (round > 0) runs[i].push(m); // round 0 warms the page cache and the disk
  }
}

const loadavg = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ");
console.log(`A: ${a}\nB: ${b}\n${rounds} interleaved rounds after a warm-up round; load average at the end ${loadavg}`);
const baseline = commands.findIndex((c) => c.baseline);
const sorted = (xs) => [...xs].sort((x, y) => x - y);
const median = (xs) => sorted(xs)[Math.floor(xs.length / 2)];
const w = Math.max(...commands.map((c) => c.label.length));
const head = ["min s", "median s", "max s", "ratio", "CPU s", "peak RSS MB", "output lines", "output MB"];
console.log(`${"command".padEnd(w)}  ${head.map((h) => h.padStart(h.length < 8 ? 8 : h.length)).join("  ")}`);
for (const [i, c] of commands.entries()) {
  const secs = runs[i].map((m) => m.seconds);
  // Per round, this command's time over the baseline's in the same round: robust to the load moving.
  const ratio = baseline < 0 ? "" : `${median(runs[i].map((m, r) => m.seconds / runs[baseline][r].seconds)).toFixed(2)}x`;
  const text = readFileSync(join(out, c.output), "utf8");
  const cells = [
    Math.min(...secs).toFixed(2),
    median(secs).toFixed(2),
    Math.max(...secs).toFixed(2),
    ratio,
    // User + system time of the whole pipeline (median): what it costs when the machine is busy.
    median(runs[i].map((m) => m.cpuSeconds)).toFixed(2),
    String(Math.max(...runs[i].map((m) => m.maxRssMB))),
    String(text.split("\n").length - 1),
    (Buffer.byteLength(text) / (1 << 20)).toFixed(1),
  ];
  console.log(`${c.label.padEnd(w)}  ${cells.map((x, k) => x.padStart(head[k].length < 8 ? 8 : head[k].length)).join("  ")}`);
}
console.log(`\n${spawnSync(process.execPath, [cli, "diff", a, b, "--summary"], { encoding: "utf8" }).stdout}`);
rmSync(out, { recursive: true, force: true });
