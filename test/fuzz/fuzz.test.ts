/**
 * The fuzz suite (issue 12): seeded, reproducible mutants of committed objects and one small real
 * module, every kind of damage in mutations.ts, each run through `btforge encode FILE -o OUT`.
 * Each must end in valid BTF (exit 0; the kernel loads it where it can) or in exactly one stderr
 * line naming the file (exit 1); never a stack trace, another exit code, a hang or a file left
 * behind. A failure prints its seed, input, case and mutation, and the command that replays it.
 *
 * FUZZ_SEED and FUZZ_COUNT choose the campaign (defaults: a fixed seed, 360 mutants, well under a
 * minute on two busy cores); `npm run fuzz -- --seed S --count N` runs larger ones.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cliMissing } from "../support/cli.js";
import { skipBecause } from "../support/tools.js";
import { type CampaignOptions, type CampaignResult, describeFailure, runCampaign, summarize } from "./campaign.js";
import { fuzzInputs } from "./inputs.js";
import { MUTATION_KINDS, type MutationKind } from "./mutations.js";

const env = process.env;
const SEED = Number(env.FUZZ_SEED ?? 20_240_612);
const COUNT = Number(env.FUZZ_COUNT ?? 360);
/** A hang is reported as a hang: the kill timer is generous and is not the test's timeout. */
const RUN_TIMEOUT_MS = Number(env.FUZZ_TIMEOUT_MS ?? 60_000);
const WORKERS = Number(env.FUZZ_WORKERS ?? 2);
const KINDS = env.FUZZ_KINDS ? (env.FUZZ_KINDS.split(",") as MutationKind[]) : undefined;
const ONLY = env.FUZZ_INPUT !== undefined && env.FUZZ_CASE !== undefined ? { input: env.FUZZ_INPUT, case: Number(env.FUZZ_CASE) } : undefined;
const KEEP = env.FUZZ_KEEP === "1";
const REPORT = env.FUZZ_REPORT;
const STACK = Number(env.FUZZ_STACK ?? 1);

const dir = mkdtempSync(join(tmpdir(), "btforge-fuzz-"));
afterAll(() => {
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
});

const skip = skipBecause(cliMissing(), "the fuzz suite");
const { inputs, skipped } = fuzzInputs(env.FUZZ_EXTRA ? env.FUZZ_EXTRA.split(":") : []);
if (skipped && !skip) console.warn(`fuzz: ${skipped}`);

function options(over: Partial<CampaignOptions>): CampaignOptions {
  return { seed: SEED, count: COUNT, inputs, dir, timeoutMs: RUN_TIMEOUT_MS, workers: WORKERS, kinds: KINDS, only: ONLY, keepFailures: KEEP, report: REPORT, stack: STACK, ...over };
}

function failures(result: CampaignResult): string {
  return result.cases.filter((c) => c.outcome === "failed").map((c) => describeFailure(SEED, c, STACK)).join("\n\n");
}

describe("fuzz: mutated objects and a module, through btforge encode", () => {
  // Generous: every run could take its whole kill timer and the suite would still end, and say why.
  const budget = (n: number) => Math.max(120_000, Math.ceil(n / WORKERS) * RUN_TIMEOUT_MS);

  test.skipIf(skip)(
    `${ONLY ? `case ${ONLY.case} of ${ONLY.input}` : `${COUNT} mutants`} (seed ${SEED}): valid BTF or one line naming the file; no crash, hang or leftover`,
    async () => {
      const result = await runCampaign(options({ onCase: (c) => console.error(`fuzz failure: ${describeFailure(SEED, c, STACK)}`) }));
      console.log(summarize(result));
      expect(failures(result)).toBe("");
      if (ONLY) return;
      // A campaign where nothing was refused, or nothing encoded, or a kind never ran would prove little.
      const outcomes = new Set(result.cases.map((c) => c.outcome));
      expect(outcomes).toEqual(new Set(["encoded", "refused"]));
      const kinds = new Set(result.cases.map((c) => c.kind));
      for (const kind of KINDS ?? MUTATION_KINDS) expect(kinds, `no ${kind} mutant ran`).toContain(kind);
    },
    budget(ONLY ? 1 : COUNT),
  );

  test.skipIf(skip || ONLY !== undefined)(
    "the batch worker judges as real btforge processes do (the first 12 mutants, both ways)",
    async () => {
      const count = Math.min(12, COUNT);
      const batched = await runCampaign(options({ count, kernel: false }));
      const real = await runCampaign(options({ count, kernel: false, batch: false }));
      const view = (r: CampaignResult) => r.cases.map((c) => `${c.input} ${c.case} ${c.outcome} ${c.message}`);
      expect(view(batched)).toEqual(view(real));
      expect(real.cases.every((c) => c.via === "process")).toBe(true);
    },
    budget(24),
  );
});
