#!/usr/bin/env node
// @ts-check
/**
 * `npm run fuzz -- [--seed S] [--count N] [--input NAME --case K] [--kinds a,b] [--stack N] [--extra PATH]...
 * [--workers W] [--timeout-ms T] [--keep] [--report FILE.jsonl]`: a fuzz campaign of any size, or the replay of one
 * mutant, through the same suite `npm test` runs (test/fuzz/fuzz.test.ts) with its settings in
 * FUZZ_* variables. Failures print their seed, input, case and mutation.
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

const FLAGS = {
  "--seed": "FUZZ_SEED",
  "--count": "FUZZ_COUNT",
  "--input": "FUZZ_INPUT",
  "--case": "FUZZ_CASE",
  "--kinds": "FUZZ_KINDS",
  "--workers": "FUZZ_WORKERS",
  "--timeout-ms": "FUZZ_TIMEOUT_MS",
  "--stack": "FUZZ_STACK",
};

const env = { ...process.env };
const extra = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const flag = args[i];
  if (flag === "--keep") {
    env.FUZZ_KEEP = "1";
  } else if (flag === "--extra" && args[i + 1] !== undefined) {
    extra.push(resolve(args[++i]));
  } else if (flag === "--report" && args[i + 1] !== undefined) {
    env.FUZZ_REPORT = resolve(args[++i]);
  } else if (flag in FLAGS && args[i + 1] !== undefined) {
    env[FLAGS[/** @type {keyof typeof FLAGS} */ (flag)]] = args[++i];
  } else {
    console.error(`fuzz: unknown or incomplete option ${flag}\nusage: npm run fuzz -- [--seed S] [--count N] [--input NAME --case K] [--kinds a,b] [--stack N] [--extra PATH]... [--workers W] [--timeout-ms T] [--keep] [--report FILE.jsonl]`);
    process.exit(2);
  }
}
if (extra.length > 0) env.FUZZ_EXTRA = extra.join(":");
if ((env.FUZZ_INPUT === undefined) !== (env.FUZZ_CASE === undefined)) {
  console.error("fuzz: --input and --case go together (the replay of one mutant)");
  process.exit(2);
}

const root = fileURLToPath(new URL("../..", import.meta.url));
const vitest = spawnSync(process.execPath, [resolve(root, "node_modules/vitest/vitest.mjs"), "run", "test/fuzz/fuzz.test.ts", "--testNamePattern", "\\(seed "], {
  cwd: root,
  env,
  stdio: "inherit",
});
process.exit(vitest.status ?? 1);
