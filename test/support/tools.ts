/** Which external tools are installed: tests skip with the returned reason when one is missing. */
import { spawnSync } from "node:child_process";

const cache = new Map<string, string | undefined>();

/** Undefined when `tool --version` runs, else a reason to print when skipping. */
export function toolMissing(tool: string): string | undefined {
  if (!cache.has(tool)) {
    const r = spawnSync(tool, ["--version"], { stdio: "ignore" });
    cache.set(tool, r.error || r.status !== 0 ? `${tool} is not installed` : undefined);
  }
  return cache.get(tool);
}

/** Prints the reason (so a skipped suite says why) and returns whether to skip. */
export function skipBecause(reason: string | undefined, what: string): boolean {
  if (reason) console.warn(`skipping ${what}: ${reason}`);
  return reason !== undefined;
}
