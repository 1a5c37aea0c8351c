// Agreement between validateBtf and the running kernel's BPF_BTF_LOAD, measured on thousands
// of deterministic mutants of valid blobs. For every one, the accept/reject verdict must match,
// and a rejection's first problem must end the kernel's log the same way (its reason); how
// often whole "[id] KIND name ... reason" lines match is printed as well.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { loadManyIntoKernel, runningKernelTarget, type KernelVerdict } from "../src/kernel/index.js";
import { kernelMissing, VMLINUX as CACHED_VMLINUX } from "../../../test/support/kernel-files.js";
import { firstMissing, skipBecause, skipKernel, toolMissing } from "../../../test/support/tools.js";
import { validateBtf, type ValidationResult } from "../src/validate/index.js";
import { mutate, MUTATION_CLASSES, type Mutant, type Seed } from "./agreement-mutations.js";
import { seedBuilders } from "./validate-blobs.js";

// BTFORGE_AGREEMENT_MUTANTS / _SEED widen a run (a deeper CI job, a hunt); the defaults are the committed figure.
const MUTANTS = Number(process.env.BTFORGE_AGREEMENT_MUTANTS ?? 6000);
const RNG_SEED = Number(process.env.BTFORGE_AGREEMENT_SEED ?? 0x5eed_b7f);
const VMLINUX = "/sys/kernel/btf/vmlinux";

const noKernel = skipKernel("the validator's agreement with the kernel");
// The offline verdicts follow the running kernel's rules, the kernel they are compared with.
const running = runningKernelTarget();
const noTarget = !noKernel && skipBecause(running.ok ? undefined : running.reason, "the validator's agreement with the kernel (its rules)");
const target = running.ok ? running.target : undefined;

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
  return mutants.map((m, i) => ({ ...m, offline: validateBtf(m.bytes, { target }), kernel: verdicts[i]! }));
}

function report(title: string, cases: Case[]): { disagree: Case[]; wording: Case[] } {
  const disagree = cases.filter((c) => c.offline.ok !== c.kernel.accepted);
  const rejected = cases.filter((c) => !c.kernel.accepted);
  const sameReason = rejected.filter((c) => !c.offline.ok && lastLogLine(c.kernel).endsWith(c.offline.problems[0]!.reason));
  // Where the kernel's last line describes the type itself ("[id] KIND name details reason"), compare whole lines.
  const typeLines = rejected.filter((c) => !c.offline.ok && /^\[\d+\] /.test(lastLogLine(c.kernel)));
  // Names with bytes outside printable ASCII are rendered differently (escapes here, raw bytes there).
  const printable = (line: string) => line.replace(/\\x[0-9a-f]{2}/g, "").replace(/[^\x20-\x7e]/g, "");
  const sameLine = typeLines.filter((c) => {
    const p = c.offline.problems[0]!;
    return printable(`[${p.typeId}] ${p.message}`) === printable(lastLogLine(c.kernel));
  });
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
    const r = c.offline.ok ? "(accepted offline)" : c.offline.problems[0]!.reason.replace(/:[0-9a-f]+$/, ":N").replace(/\d+/g, "N");
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const reasonList = [...reasons].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ×${n}`).join("; ");
  console.log(
    `${title}: verdict agreement ${cases.length - disagree.length}/${cases.length} ` +
      `(kernel rejected ${rejected.length}); first-problem wording matches the kernel log on ${sameReason.length}/${rejected.length}, ` +
      `whole "[id] ..." line on ${sameLine.length}/${typeLines.length}\n` +
      `  rejected/total per class: ${classes}\n  kernel reasons seen: ${reasonList}`,
  );
  for (const c of disagree.slice(0, 20)) console.log(`  DISAGREE ${describeCase(c)}`);
  const wording = rejected.filter((c) => !c.offline.ok && !sameReason.includes(c));
  for (const c of wording.slice(0, 10)) console.log(`  wording ${describeCase(c)}`);
  for (const c of typeLines.filter((c) => !sameLine.includes(c)).slice(0, 8)) console.log(`  line ${describeCase(c)}`);
  return { disagree, wording };
}

/** A C file as compilers write types: bitfields, flexible arrays, function pointers, qualifiers. */
const C_SOURCE = `
#include <stdint.h>
struct list { struct list *next, *prev; };
union val { int i; double d; char s[8]; };
enum color { RED, GREEN = 5, BLUE = -1 };
typedef int (*cb_t)(const char *, ...);
struct obj { unsigned a:3, b:5; enum color c:4; long l; struct list node; union val v[2]; cb_t cb;
             const volatile uint64_t * restrict p; float f; char flex[]; };
int counter;
static struct obj gobj;
int use(struct obj *o, int n) { return o->a + n + counter + gobj.b; }
int printer(const char *fmt, ...) { (void)fmt; return 0; }
`;

/** pahole -J's BTF for C_SOURCE built by gcc, or undefined (with the reason printed) when a tool is missing. */
function paholeSeed(): Seed | undefined {
  if (skipBecause(firstMissing(toolMissing("gcc"), toolMissing("pahole"), toolMissing("objcopy")), "the pahole-made agreement seed")) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "btforge-agree-"));
  try {
    writeFileSync(join(dir, "s.c"), C_SOURCE);
    execFileSync("gcc", ["-g", "-O1", "-c", "s.c", "-o", "s.o"], { cwd: dir, stdio: "pipe" });
    execFileSync("pahole", ["-J", "s.o"], { cwd: dir, stdio: "pipe" });
    execFileSync("objcopy", ["--dump-section", ".BTF=s.btf", "s.o", "scratch.o"], { cwd: dir, stdio: "pipe" });
    const bytes = new Uint8Array(readFileSync(join(dir, "s.btf")));
    return { name: "pahole", bytes, records: recordsOf(bytes) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function seeds(): Seed[] {
  const built = seedBuilders().map(({ name, builder }) => ({ name, bytes: builder.bytes(), records: builder.layout() }));
  const pahole = paholeSeed();
  return pahole ? [...built, pahole] : built;
}

describe.skipIf(noKernel || noTarget)("offline validator agrees with the kernel", () => {
  test(`${MUTANTS} mutants of small valid blobs`, () => {
    const base = seeds();
    const cases = runCases([...base.map((s) => ({ cls: "seed", seed: s.name, bytes: s.bytes })), ...mutate(base, MUTANTS, RNG_SEED)]);
    expect(cases.length).toBeGreaterThanOrEqual(2000);
    // The seeds themselves are valid, by the kernel's word.
    expect(cases.filter((c) => c.cls === "seed").map((c) => [c.seed, c.kernel.errno ?? "ok"])).toEqual(base.map((s) => [s.name, "ok"]));
    // Every class must produce both outcomes somewhere, or it tests nothing.
    expect(new Set(cases.filter((c) => !c.kernel.accepted).map((c) => c.cls)).size).toBeGreaterThan(MUTATION_CLASSES.length / 2);
    const { disagree, wording } = report("small blobs", cases);
    expect(disagree.map(describeCase)).toEqual([]);
    // The first problem is the one the kernel names, in the kernel's words.
    expect(wording.map(describeCase)).toEqual([]);
  });

  test.skipIf(skipBecause(existsSync(VMLINUX) ? undefined : `${VMLINUX} is absent`, "the big-blob agreement"))("big blobs: vmlinux BTF (running kernel, cached 6.1 kernel) and a few mutants", () => {
    const big: Seed[] = [VMLINUX, cachedKernelBtf()].flatMap((source) => {
      if (!source) return [];
      const bytes = source instanceof Uint8Array ? source : new Uint8Array(readFileSync(source));
      return [{ name: source instanceof Uint8Array ? "vmlinux-6.1" : "vmlinux", bytes, records: recordsOf(bytes) }];
    });
    // Aimed mutations only: a blind flip in 5.5 MB mostly lands in a name or a member offset.
    const aimed = ["bad-type-id", "cycle", "self-containing", "datasec-entries", "bitfield", "bad-name-offset", "record-delete", "string-char"];
    const cases = runCases([
      ...big.map((s) => ({ cls: "seed", seed: s.name, bytes: s.bytes })),
      ...mutate(big, aimed.length * big.length, RNG_SEED ^ 0xbeef, aimed),
    ]);
    expect(cases.filter((c) => c.cls === "seed").every((c) => c.kernel.accepted)).toBe(true);
    const { disagree, wording } = report("big blobs", cases);
    expect(disagree.map(describeCase)).toEqual([]);
    expect(wording.map(describeCase)).toEqual([]);
  });
});

/** The .BTF of the cached 6.1 kernel (pahole 1.24's output), when test/real/fetch-kernel.sh has run. */
function cachedKernelBtf(): Uint8Array | undefined {
  if (skipBecause(firstMissing(kernelMissing(), toolMissing("objcopy")), "the cached-kernel agreement seed")) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "btforge-agree-"));
  try {
    execFileSync("objcopy", ["-O", "binary", "--only-section=.BTF", CACHED_VMLINUX, join(dir, "v.btf")], { stdio: "pipe" });
    return new Uint8Array(readFileSync(join(dir, "v.btf")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Record boundaries of a valid blob, for aiming mutations (only used on known-good blobs). */
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
