// Agreement between validateBtf and the running kernel's BPF_BTF_LOAD, measured on thousands
// of deterministic mutants of valid blobs. The accept/reject verdict must match for every one;
// how often the first problem's wording matches the kernel's last log line is printed too.

import { readFileSync, existsSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { kernelAvailable, loadManyIntoKernel, type KernelVerdict } from "../src/kernel/index.js";
import { validateBtf, type ValidationResult } from "../src/validate/index.js";
import { mutate, MUTATION_CLASSES, type Mutant, type Seed } from "./agreement-mutations.js";
import { seedBuilders } from "./validate-blobs.js";

const MUTANTS = 3000;
const RNG_SEED = 0x5eed_b7f;
const VMLINUX = "/sys/kernel/btf/vmlinux";

const availability = kernelAvailable();
if (!availability.ok) console.warn(`agreement test skipped: ${availability.reason}`);

function lastLogLine(v: KernelVerdict): string {
  const lines = v.log.trimEnd().split("\n");
  return lines[lines.length - 1]!.trim();
}

interface Case extends Mutant {
  offline: ValidationResult;
  kernel: KernelVerdict;
}

function describeCase(c: Case): string {
  const off = c.offline.ok ? "accept" : `reject: ${c.offline.problems[0]!.message}`;
  const ker = c.kernel.accepted ? "accept" : `reject ${c.kernel.errno}: ${lastLogLine(c.kernel)}`;
  return `${c.seed}/${c.cls}: offline ${off} | kernel ${ker}`;
}

function runCases(mutants: Mutant[]): Case[] {
  const verdicts = loadManyIntoKernel(mutants.map((m) => m.bytes));
  return mutants.map((m, i) => ({ ...m, offline: validateBtf(m.bytes), kernel: verdicts[i]! }));
}

function report(title: string, cases: Case[]): Case[] {
  const disagree = cases.filter((c) => c.offline.ok !== c.kernel.accepted);
  const rejected = cases.filter((c) => !c.kernel.accepted);
  const sameReason = rejected.filter((c) => !c.offline.ok && lastLogLine(c.kernel).endsWith(c.offline.problems[0]!.reason));
  const perClass = new Map<string, { n: number; rejected: number }>();
  for (const c of cases) {
    const e = perClass.get(c.cls) ?? { n: 0, rejected: 0 };
    e.n++;
    if (!c.kernel.accepted) e.rejected++;
    perClass.set(c.cls, e);
  }
  const classes = [...perClass].map(([k, v]) => `${k} ${v.rejected}/${v.n}`).join(", ");
  const reasons = new Map<string, number>();
  for (const c of rejected) {
    const r = c.offline.ok ? "(accepted offline)" : c.offline.problems[0]!.reason.replace(/\d+/g, "N");
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const reasonList = [...reasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ×${n}`).join("; ");
  console.log(
    `${title}: verdict agreement ${cases.length - disagree.length}/${cases.length} ` +
      `(kernel rejected ${rejected.length}); first-problem wording matches the kernel log on ${sameReason.length}/${rejected.length}\n` +
      `  rejected/total per class: ${classes}\n  kernel reasons seen: ${reasonList}`,
  );
  for (const c of disagree.slice(0, 20)) console.log(`  DISAGREE ${describeCase(c)}`);
  const wording = rejected.filter((c) => !c.offline.ok && !sameReason.includes(c));
  for (const c of wording.slice(0, 10)) console.log(`  wording ${describeCase(c)}`);
  return disagree;
}

function seeds(): Seed[] {
  return seedBuilders().map(({ name, builder }) => ({ name, bytes: builder.bytes(), records: builder.layout() }));
}

describe.skipIf(!availability.ok)("offline validator agrees with the kernel", () => {
  test(`${MUTANTS} mutants of small valid blobs`, () => {
    const base = seeds();
    const cases = runCases([...base.map((s) => ({ cls: "seed", seed: s.name, bytes: s.bytes })), ...mutate(base, MUTANTS, RNG_SEED)]);
    expect(cases.length).toBeGreaterThanOrEqual(2000);
    // Every class must produce both outcomes somewhere, or it tests nothing.
    expect(new Set(cases.filter((c) => !c.kernel.accepted).map((c) => c.cls)).size).toBeGreaterThan(MUTATION_CLASSES.length / 2);
    const disagree = report("small blobs", cases);
    expect(disagree.map(describeCase)).toEqual([]);
  });

  test.skipIf(!existsSync(VMLINUX))("the running kernel's vmlinux BTF and a few mutants of it", () => {
    const vmlinux = new Uint8Array(readFileSync(VMLINUX));
    const records = recordsOf(vmlinux);
    const seed: Seed = { name: "vmlinux", bytes: vmlinux, records };
    const cases = runCases([{ cls: "seed", seed: "vmlinux", bytes: vmlinux }, ...mutate([seed], 6, RNG_SEED ^ 0xbeef)]);
    expect(cases[0]!.kernel.accepted).toBe(true);
    const disagree = report("vmlinux", cases);
    expect(disagree.map(describeCase)).toEqual([]);
  });
});

/** Record boundaries of a valid blob, for aiming mutations (only used on vmlinux, known good). */
function recordsOf(bytes: Uint8Array): Seed["records"] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const start = 24 + v.getUint32(8, true);
  const end = start + v.getUint32(12, true);
  const trailing = (kind: number, vlen: number) =>
    [0, 1, 0, 3, 3 * vlen, 3 * vlen, 2 * vlen, 0, 0, 0, 0, 0, 0, 2 * vlen, 1, 3 * vlen, 0, 1, 0, 3 * vlen][kind]!;
  const records: Seed["records"] = [];
  for (let p = start, id = 1; p < end; id++) {
    const info = v.getUint32(p + 4, true);
    const words = 3 + trailing((info >>> 24) & 0x1f, info & 0xffff);
    records.push({ id, kind: (info >>> 24) & 0x1f, offset: p, words });
    p += words * 4;
  }
  return records;
}
