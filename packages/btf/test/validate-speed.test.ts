// How long parse + validate of the running kernel's BTF takes, next to bpftool reading the same
// file (its raw dump is the peer: it parses every type too). Must stay well under a second.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { parseBtf } from "../src/parse.js";
import { validateBtf } from "../src/validate/index.js";

const VMLINUX = "/sys/kernel/btf/vmlinux";
const haveBpftool = spawnSync("bpftool", ["version"], { stdio: "ignore" }).status === 0;
if (!existsSync(VMLINUX)) console.warn(`speed test skipped: ${VMLINUX} not present`);

function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

test.skipIf(!existsSync(VMLINUX))("parse + validate of vmlinux BTF is well under a second", () => {
  const bytes = new Uint8Array(readFileSync(VMLINUX));
  let ok = false;
  const cold = timeMs(() => (ok = validateBtf(bytes).ok));
  expect(ok).toBe(true);
  const validate = Math.min(...[0, 1, 2].map(() => timeMs(() => validateBtf(bytes))));
  const parse = Math.min(...[0, 1, 2].map(() => timeMs(() => parseBtf(bytes))));
  let bpftool = "n/a (bpftool not found)";
  if (haveBpftool) {
    const ms = Math.min(
      ...[0, 1, 2].map(() => timeMs(() => execFileSync("bpftool", ["btf", "dump", "file", VMLINUX], { stdio: ["ignore", "ignore", "ignore"] }))),
    );
    bpftool = `${ms.toFixed(0)} ms`;
  }
  console.log(
    `vmlinux BTF (${(bytes.length / 1e6).toFixed(1)} MB): validate ${validate.toFixed(0)} ms (first run ${cold.toFixed(0)} ms), ` +
      `parseBtf ${parse.toFixed(0)} ms, parse + validate ${(parse + validate).toFixed(0)} ms; bpftool btf dump file > /dev/null ${bpftool}`,
  );
  expect(parse + validate).toBeLessThan(1000);
});
