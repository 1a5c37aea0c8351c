// Builds the project's own `btf-load` helper (native/btf-load.c) at first use. Node has no
// bpf() syscall, so the kernel check runs through this small C program. The binary is cached
// under ~/.cache/btforge/bin with the hash of its source in the name: an edited source gets a
// fresh build, and concurrent builders never see a half-written file (temp file + rename).

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** native/ sits two levels above both src/kernel/ and dist/kernel/. */
const SOURCE_PATH = fileURLToPath(new URL("../../native/btf-load.c", import.meta.url));

export function helperCacheDir(): string {
  const root = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(root, "btforge", "bin");
}

let built: string | undefined;

/**
 * The path of a built helper, compiling it with `cc -O2 -Wall` when the cache has no binary for
 * the current source. Throws with the compiler's output when the build fails.
 */
export function ensureHelperBinary(): string {
  if (built && existsSync(built)) return built;
  const source = readFileSync(SOURCE_PATH);
  const hash = createHash("sha256").update(source).digest("hex").slice(0, 16);
  const dir = helperCacheDir();
  const target = join(dir, `btf-load-${hash}`);
  if (!existsSync(target)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${target}.tmp-${process.pid}`;
    try {
      execFileSync("cc", ["-O2", "-Wall", "-o", temp, SOURCE_PATH], { stdio: ["ignore", "pipe", "pipe"] });
      renameSync(temp, target);
    } catch (err) {
      rmSync(temp, { force: true });
      const e = err as { code?: string; stderr?: Buffer };
      if (e.code === "ENOENT") throw new Error("cannot build the btf-load helper: no C compiler (cc) on PATH");
      const out = e.stderr ? e.stderr.toString().trim() : String(err);
      throw new Error(`cannot build the btf-load helper from ${SOURCE_PATH}: ${out}`);
    }
  }
  built = target;
  return target;
}
