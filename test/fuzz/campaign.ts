/**
 * A fuzz campaign: mutants of each input, made from (seed, input, case number) alone, each run
 * through `btforge encode MUTANT -o OUT` (one in five `--elf-out OUT`, through the ELF writer) in a
 * directory of its own, and judged:
 *
 * - exit 0: the BTF written is valid (the offline validator, and the kernel's BPF_BTF_LOAD for
 *   x86-64 inputs when it is available, in batches), stderr holds warnings only, and nothing but
 *   the input and OUT is left in the directory;
 * - exit 1: stderr is exactly one line, naming the mutant's path, nothing is left behind;
 * - anything else is a failure: another exit code, a signal, a stack trace, an uncaught
 *   exception, a hang (no answer before the kill timer), a leftover file, a changed input.
 */
import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { kernelAvailable, loadManyIntoKernel, validateBtf } from "@btforge/btf";
import { ElfFile, EM } from "@btforge/elf";
import { type InputLayout, layoutOf } from "./layout.js";
import { MUTATION_KINDS, type MutationKind, mutateStacked } from "./mutations.js";
import { CliPool, type RunResult } from "./pool.js";
import { hashSeed, Rng } from "./prng.js";

export interface FuzzInput {
  /** Names the input in seeds and replay commands: its file name. */
  name: string;
  path: string;
}

export interface CampaignOptions {
  seed: number;
  /** Mutants in all, dealt round-robin over the inputs. */
  count: number;
  inputs: readonly FuzzInput[];
  /** Only this case of this input (a replay). */
  only?: { input: string; case: number };
  kinds?: readonly MutationKind[];
  /** Up to this many mutations per mutant (default 1). */
  stack?: number;
  /** Where the mutants are written (one directory per mutant, removed once judged). */
  dir: string;
  timeoutMs: number;
  workers: number;
  /** false: every run is a real btforge process (slower; the batch worker's reference). */
  batch?: boolean;
  /** Check encoded x86-64 BTF with the running kernel when it can (default true). */
  kernel?: boolean;
  /** Keep the directories of failing mutants. */
  keepFailures?: boolean;
  /** Write every case's result here, one JSON object a line (for reading a campaign afterwards). */
  report?: string;
  onCase?: (c: CaseResult) => void;
}

export interface CaseResult {
  input: string;
  case: number;
  kind: MutationKind;
  what: string;
  path: string;
  outcome: "encoded" | "refused" | "failed";
  problems: string[];
  /** The error line of a refused mutant; the first stderr line otherwise. */
  message: string;
  via: RunResult["via"];
}

export interface CampaignResult {
  cases: CaseResult[];
  kernel: string;
  ms: number;
}

/** The command that makes and runs one mutant again. */
export function replayCommand(seed: number, input: string, k: number, stack = 1): string {
  return `npm run fuzz -- --seed ${seed}${stack > 1 ? ` --stack ${stack}` : ""} --input ${input} --case ${k}`;
}

interface Planned {
  input: FuzzInput;
  /** The input's place in the list: the kinds of its mutants start there, so a short campaign still has every kind. */
  position: number;
  layout: InputLayout;
  k: number;
}

/**
 * Mutant k of an input: its kind cycles through the kinds, its details (and, with `stack` above 1,
 * the further mutations on top) come from its own generator.
 */
export function makeMutant(seed: number, input: FuzzInput, position: number, layout: InputLayout, k: number, kinds: readonly MutationKind[] = MUTATION_KINDS, stack = 1) {
  const rng = new Rng(hashSeed(seed, input.name, k));
  return mutateStacked(rng, layout, kinds[(k + position) % kinds.length]!, stack, kinds);
}

function plan(options: CampaignOptions, layouts: Map<string, InputLayout>): Planned[] {
  const { inputs, only } = options;
  if (only) {
    const position = inputs.findIndex((i) => i.name === only.input);
    if (position < 0) throw new Error(`no input named ${only.input} (inputs: ${inputs.map((i) => i.name).join(", ")})`);
    const input = inputs[position]!;
    return [{ input, position, layout: layouts.get(input.name)!, k: only.case }];
  }
  const cases: Planned[] = [];
  for (let i = 0; i < options.count; i++) {
    const position = i % inputs.length;
    const input = inputs[position]!;
    cases.push({ input, position, layout: layouts.get(input.name)!, k: Math.floor(i / inputs.length) });
  }
  return cases;
}

const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\)|<anonymous>\)?)$/m;

/** The BTF of an output: the raw file, or the .BTF section of the ELF copy --elf-out wrote. */
function writtenBtf(out: string, elf: boolean): Uint8Array {
  const bytes = new Uint8Array(readFileSync(out));
  if (!elf) return bytes;
  const btf = ElfFile.fromBytes(bytes, out).readSection(".BTF");
  if (!btf) throw new Error("the ELF written has no .BTF section");
  return btf;
}

/** The verdict on one run, from its result and what it left in its directory. */
function judge(r: RunResult, path: string, out: string, elf: boolean, dir: string, before: Uint8Array, pointerSize: 4 | 8): { outcome: CaseResult["outcome"]; problems: string[]; btf?: Uint8Array } {
  const problems: string[] = [];
  const lines = r.stderr === "" ? [] : r.stderr.trimEnd().split("\n");
  if (r.timedOut) problems.push("hang: no answer before the kill timer");
  if (r.signal && !r.timedOut) problems.push(`killed by ${r.signal}`);
  for (const u of r.uncaught) problems.push(u.split("\n")[0]!);
  if (STACK_LINE.test(r.stderr)) problems.push("a stack trace on stderr");
  if (!Buffer.from(readFileSync(path)).equals(before)) problems.push("the input file was changed");
  const left = readdirSync(dir).filter((f) => f !== basename(path) && !(r.code === 0 && f === basename(out)));
  if (left.length > 0) problems.push(`left behind: ${left.join(", ")}`);
  let btf: Uint8Array | undefined;
  if (r.code === 0) {
    const warnings = lines.filter((l) => l.startsWith("btforge: warning: "));
    if (warnings.length !== lines.length) problems.push(`exit 0 with stderr: ${lines.find((l) => !l.startsWith("btforge: warning: "))}`);
    try {
      btf = writtenBtf(out, elf);
      const v = validateBtf(btf, { name: out, pointerSize, anyByteOrder: true, maxProblems: 3 });
      if (!v.ok) problems.push(`exit 0 but the BTF written does not validate: ${v.problems.map((p) => p.message).join("; ")}`);
    } catch (e) {
      problems.push(`exit 0 but no readable BTF at ${out}: ${(e as Error).message}`);
    }
  } else if (r.code === 1) {
    if (lines.length !== 1) problems.push(`exit 1 with ${lines.length} stderr lines (want exactly one)`);
    else if (!lines[0]!.includes(path)) problems.push("exit 1 but the error line does not name the file");
  } else if (!r.timedOut && !r.signal) {
    problems.push(`exit ${r.code} (want 0, or 1 for bad input)`);
  }
  const outcome = problems.length > 0 ? "failed" : r.code === 0 ? "encoded" : "refused";
  return { outcome, problems, btf };
}

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const started = performance.now();
  const layouts = new Map(options.inputs.map((i) => [i.name, layoutOf(i.path, new Uint8Array(readFileSync(i.path)))]));
  const cases = plan(options, layouts);
  const pool = new CliPool(options.workers, options.timeoutMs, options.batch ?? true);
  const results: CaseResult[] = new Array(cases.length);
  const kernel = options.kernel === false ? { ok: false as const, reason: "not asked for" } : kernelAvailable();
  // Encoded x86-64 BTF waiting for the kernel: checked in batches, one helper process per batch.
  const forKernel: { index: number; btf: Uint8Array }[] = [];
  const flushKernel = () => {
    if (!kernel.ok || forKernel.length === 0) return;
    const verdicts = loadManyIntoKernel(forKernel.map((x) => x.btf));
    verdicts.forEach((v, i) => {
      if (v.accepted) return;
      const c = results[forKernel[i]!.index]!;
      c.outcome = "failed";
      c.problems.push(`the kernel rejected the BTF written (${v.errno}): ${v.log.trimEnd().split("\n").pop()}`);
      options.onCase?.(c);
    });
    forKernel.length = 0;
  };

  mkdirSync(options.dir, { recursive: true });
  let next = 0;
  const runOne = async (index: number) => {
    const { input, position, layout, k } = cases[index]!;
    const mutant = makeMutant(options.seed, input, position, layout, k, options.kinds, options.stack);
    const dir = join(options.dir, `${input.name}.${k}`);
    mkdirSync(dir, { recursive: true });
    const path = join(dir, input.name);
    // One mutant in five goes through the ELF writer (a copy of the input with .BTF added) instead of raw BTF.
    const elf = k % 5 === 4;
    const out = join(dir, elf ? "out.elf" : "out.btf");
    writeFileSync(path, mutant.bytes);
    const r = await pool.run({ argv: ["encode", path, elf ? "--elf-out" : "-o", out], cwd: options.dir });
    const verdict = judge(r, path, out, elf, dir, mutant.bytes, layout.is64 ? 8 : 4);
    const lines = r.stderr.trimEnd().split("\n");
    const c: CaseResult = { input: input.name, case: k, kind: mutant.kind, what: mutant.what, path, outcome: verdict.outcome, problems: verdict.problems, message: lines[0] ?? "", via: r.via };
    results[index] = c;
    if (options.report) appendFileSync(options.report, `${JSON.stringify(c)}\n`);
    if (verdict.btf && layout.machine === EM.X86_64 && layout.littleEndian) forKernel.push({ index, btf: verdict.btf });
    if (c.outcome !== "failed" || !options.keepFailures) rmSync(dir, { recursive: true, force: true });
    if (c.outcome === "failed") options.onCase?.(c);
    if (forKernel.length >= 64) flushKernel();
  };
  // As many mutants in flight as the pool has workers; each takes the next case when it is done.
  const lanes = Array.from({ length: Math.max(1, options.workers) }, async () => {
    while (next < cases.length) await runOne(next++);
  });
  try {
    await Promise.all(lanes);
    flushKernel();
  } finally {
    pool.close();
  }
  return { cases: results, kernel: kernel.ok ? "checked" : `not checked (${kernel.reason})`, ms: performance.now() - started };
}

/** Per kind: mutants encoded, refused and failed; then the error codes' first words, for the report. */
export function summarize(result: CampaignResult): string {
  const rows = new Map<string, { encoded: number; refused: number; failed: number }>();
  for (const c of result.cases) {
    const row = rows.get(c.kind) ?? { encoded: 0, refused: 0, failed: 0 };
    row[c.outcome]++;
    rows.set(c.kind, row);
  }
  const total = { encoded: 0, refused: 0, failed: 0 };
  const lines = [...rows].map(([kind, r]) => {
    total.encoded += r.encoded;
    total.refused += r.refused;
    total.failed += r.failed;
    return `  ${kind.padEnd(15)} ${String(r.encoded).padStart(5)} encoded ${String(r.refused).padStart(5)} refused ${String(r.failed).padStart(4)} failed`;
  });
  return [
    `${result.cases.length} mutants in ${(result.ms / 1000).toFixed(1)} s: ${total.encoded} encoded (valid BTF), ${total.refused} refused (one line), ${total.failed} failed; kernel ${result.kernel}`,
    ...lines,
  ].join("\n");
}

/** One failure, as printed: where it came from, what was done, what went wrong, how to replay it. */
export function describeFailure(seed: number, c: CaseResult, stack = 1): string {
  return [
    `seed ${seed} input ${c.input} case ${c.case} (${c.via}): ${c.what}`,
    ...c.problems.map((p) => `  problem: ${p}`),
    c.message ? `  stderr: ${c.message}` : "",
    `  replay: ${replayCommand(seed, c.input, c.case, stack)}`,
  ].filter((l) => l !== "").join("\n");
}
