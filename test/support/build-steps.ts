/**
 * Builds a small fixture (a few compiler and linker commands) into test/.build/<id>-<hash>/ once:
 * the hash covers the commands, the tools' versions and every file of the source folder, so a rerun
 * with nothing changed builds nothing, and two test files building the same fixture at once both
 * end with one complete folder.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEST_BUILD_DIR } from "./paths.js";

/** One command: a tool and its arguments; "$OUT/" in an argument is the build folder. */
export interface BuildStep {
  tool: string;
  args: string[];
}

const DONE = ".done";

function toolVersion(tool: string): string {
  return execFileSync(tool, ["--version"], { encoding: "utf8" });
}

/** Runs `steps` in `sourceDir` unless an identical build exists; returns the build folder. */
export function buildSteps(id: string, sourceDir: string, steps: readonly BuildStep[]): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(steps));
  for (const tool of new Set(steps.map((s) => s.tool))) h.update(toolVersion(tool));
  for (const f of readdirSync(sourceDir).sort()) {
    h.update(f);
    h.update(readFileSync(join(sourceDir, f)));
  }
  const dir = join(TEST_BUILD_DIR, `${id}-${h.digest("hex").slice(0, 16)}`);
  if (existsSync(join(dir, DONE))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  for (const step of steps) {
    const args = step.args.map((a) => a.replace("$OUT/", `${tmp}/`));
    execFileSync(step.tool, args, { cwd: sourceDir, stdio: ["ignore", "ignore", "pipe"] });
  }
  writeFileSync(join(tmp, DONE), "");
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process finished first
  }
  return dir;
}
