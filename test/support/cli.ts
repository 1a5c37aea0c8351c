/**
 * Runs the built CLI (packages/cli/dist/bin.js) as a user would. The kill deadline only catches a
 * hang: it is far above any run's time on a busy machine (5 minutes unless a caller says more).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { DwarfCounts } from "./dwarf-counts.js";
import { CLI_BIN } from "./paths.js";

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Undefined when the CLI is built, else why CLI tests are skipped. */
export function cliMissing(): string | undefined {
  return existsSync(CLI_BIN) ? undefined : `${CLI_BIN} is not built (run npx tsc -b)`;
}

export function runCli(args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { cwd: options.cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, options.timeoutMs ?? 300_000);
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), timedOut });
    });
  });
}

/** `btforge dwarf-stats FILE --json`, reduced to the compared numbers. */
export async function cliDwarfCounts(file: string, timeoutMs = 120_000): Promise<DwarfCounts> {
  const r = await runCli(["dwarf-stats", file, "--json"], { timeoutMs });
  if (r.code !== 0 || r.timedOut) throw new Error(`btforge dwarf-stats ${file} failed (exit ${r.code}${r.timedOut ? ", timed out" : ""}): ${r.stderr}`);
  const json = JSON.parse(r.stdout) as DwarfCounts;
  return { units: json.units, versions: json.versions, unitTypes: json.unitTypes, tags: json.tags };
}
