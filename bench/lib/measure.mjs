// Runs a command under GNU time and returns its wall time and peak RSS. Benchmarks compare btforge
// with its peers (pahole, llvm-dwarfdump, bpftool) this way, side by side in one run; tests never time.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const GNU_TIME = "/usr/bin/time";

export function haveTool(cmd) {
  return spawnSync(cmd, ["--version"], { stdio: "ignore" }).status === 0;
}

/** Runs `argv` (stdout discarded) and returns { label, seconds, maxRssMB, cpuSeconds (user + system, children included), status }. */
export function measure(label, argv) {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} is missing (apt-get install time)`);
  const r = spawnSync(GNU_TIME, ["-f", "%e %M %U %S", ...argv], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", maxBuffer: 1 << 26 });
  const last = r.stderr.trim().split("\n").pop() ?? "";
  const [seconds, kb, user, system] = last.split(" ").map(Number);
  if (r.status !== 0) console.error(`${label}: exit ${r.status}\n${r.stderr.slice(0, 2000)}`);
  return { label, seconds, maxRssMB: Math.round(kb / 1024), cpuSeconds: user + system, status: r.status };
}

/** Best (lowest wall time) of `runs` measurements. */
export function best(label, argv, runs = 1) {
  let result;
  for (let i = 0; i < runs; i++) {
    const m = measure(label, argv);
    if (!result || m.seconds < result.seconds) result = m;
  }
  return result;
}

export function printTable(rows) {
  const w = Math.max(...rows.map((r) => r.label.length));
  console.log(`${"command".padEnd(w)}  ${"wall s".padStart(8)}  ${"peak RSS MB".padStart(11)}`);
  for (const r of rows) console.log(`${r.label.padEnd(w)}  ${r.seconds.toFixed(2).padStart(8)}  ${String(r.maxRssMB).padStart(11)}${r.status ? `  (exit ${r.status})` : ""}`);
}
