/**
 * Upstream pahole (dwarves 1436daf: v1.31 plus the 2026 features such as --btf_features=layout),
 * the oracle for what current kernel builds get. Debian ships only pahole 1.24;
 * ../shared/peers/build-pahole.sh builds this one into ~/.cache/btforge-peers (BTFORGE_PEERS
 * overrides) and .ci/run calls it before the tests; BTFORGE_UPSTREAM_PAHOLE names another binary.
 * A test never builds it itself: two minutes of cmake would block its worker.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join } from "node:path";
import { type BtfTable, parseBtf } from "@btforge/btf";
import { CACHE_DIR } from "./kernel-files.js";

export const UPSTREAM_PAHOLE =
  process.env.BTFORGE_UPSTREAM_PAHOLE ?? join(process.env.BTFORGE_PEERS ?? join(homedir(), ".cache/btforge-peers"), "pahole-1436daf/build/pahole");

/** Undefined when upstream pahole is built, else why the tests comparing with it skip. */
export function upstreamPaholeMissing(): string | undefined {
  return existsSync(UPSTREAM_PAHOLE) ? undefined : `upstream pahole is not built at ${UPSTREAM_PAHOLE} (run ../shared/peers/build-pahole.sh)`;
}

/** The path of upstream pahole, or undefined (upstreamPaholeMissing() says why). */
export function upstreamPahole(): string | undefined {
  return upstreamPaholeMissing() === undefined ? UPSTREAM_PAHOLE : undefined;
}

/**
 * Upstream pahole's BTF for `file` with `--btf_features=<features>` (raw, detached; split on
 * `baseFile` when given). With `cache`, the result is kept in the cache folder, keyed by the
 * input's size and mtime, the binary's mtime and the features: a vmlinux takes it many seconds.
 * A failed run gives its first line of output. pahole runs as a child process the test awaits: a
 * test worker blocked for a minute (a vmlinux on a busy machine) misses vitest's RPC deadline.
 */
export async function upstreamPaholeBtf(file: string, features: string, options: { cache?: boolean; base?: BtfTable; baseFile?: string } = {}): Promise<BtfTable | string> {
  const input = statSync(file);
  const tool = statSync(UPSTREAM_PAHOLE);
  const key = [basename(file), input.size, Math.trunc(input.mtimeMs), features.replace(/[^\w]+/g, "+"), Math.trunc(tool.mtimeMs)].join("-");
  const dir = join(CACHE_DIR, "oracle", "upstream-pahole");
  const cached = join(dir, `${key}.btf`);
  if (options.cache && existsSync(cached)) return parseBtf(readFileSync(cached), { base: options.base });
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `${key}.tmp-${process.pid}`);
  const args = [`--btf_features=${features}`, `--btf_encode_detached=${out}`];
  if (options.baseFile) args.push(`--btf_base=${options.baseFile}`);
  const r = await runUpstreamPahole([...args, file]);
  if (r.status !== 0 || !existsSync(out)) {
    rmSync(out, { force: true });
    return `upstream pahole failed on ${file}: ${(r.stderr || r.stdout || "").trim().split("\n")[0]}`;
  }
  const btf = parseBtf(readFileSync(out), { base: options.base });
  if (options.cache) renameSync(out, cached);
  else rmSync(out, { force: true });
  return btf;
}

/** Runs upstream pahole with `args`; resolves with its exit status and output. */
export function runUpstreamPahole(args: readonly string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(UPSTREAM_PAHOLE, args, { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}
