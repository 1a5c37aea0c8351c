/**
 * Heavy encodes (a vmlinux: ~15 s and 700 MB) done once per build and shared by every suite that
 * needs them, across vitest's worker processes and across runs. The built CLI does the work in a
 * child process, so a test's worker never blocks its event loop for long (a worker blocked for a
 * minute misses vitest's RPC deadline on a busy machine). Results land in the cache folder keyed
 * by the input's path, size and mtime, the base's, the arguments, and a hash of the build (every
 * file of packages' and plugins' dist/ and config/): a rebuild or a new input encodes again, a
 * rerun does not. A lock folder makes concurrent callers wait for one encode instead of racing.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseBtf, type BtfTable } from "@btforge/btf";
import { loadConfig } from "@btforge/core";
import { CACHE_DIR } from "./kernel-files.js";
import { CLI_BIN, REPO_ROOT } from "./paths.js";

/** What `btforge encode --json` prints (the fields the suites read). */
export interface EncodeJson {
  file: string;
  profile: string;
  ok: boolean;
  btf: { types: number; kinds: Record<string, number>; totalBytes: number; vars: number; datasecs: Record<string, number> };
  types: { units: number; types: number; perKind: Record<string, number> } | null;
  functions: { candidates: number; encoded: number; skipped: Record<string, number> } | null;
  variables: { vars: number; datasecs: number; includedSections: string[]; skipped: Record<string, number> } | null;
  dedup: { typesBefore: number; typesAfter: number } | null;
  validation: { ok: boolean; problems: number } | null;
  timings: { totalMs: number; phases: Record<string, number>; taps: { hook: string; plugin: string; ms: number }[] };
}

export interface SharedEncoding {
  /** The encoded BTF, as written by `-o` (split BTF when a base was given). */
  readonly bytes: Uint8Array;
  readonly report: EncodeJson;
  /** True when this call found the result in the cache. */
  readonly cached: boolean;
}

export interface SharedEncodeOptions {
  /** A profile name (config/NAME.json). */
  profile?: string;
  /** A configuration file (--config). */
  config?: string;
  /** The base for split BTF (-B): a vmlinux or raw BTF. */
  base?: string;
  /** More command-line arguments for `btforge encode`. */
  args?: readonly string[];
}

const ENCODED_DIR = join(CACHE_DIR, "encoded");
/** Entries not used for this long are removed when a new one is written. */
const KEEP_MS = 3 * 24 * 3600 * 1000;

let buildHashMemo: string | undefined;

/** A hash of what the CLI runs: every file under dist/ of the packages and plugins, and the profiles. */
export function buildHash(): string {
  if (buildHashMemo !== undefined) return buildHashMemo;
  const h = createHash("sha256");
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|json)$/.test(entry.name)) h.update(path).update(readFileSync(path));
    }
  };
  for (const group of ["packages", "plugins"]) {
    for (const pkg of readdirSync(join(REPO_ROOT, group)).sort()) walk(join(REPO_ROOT, group, pkg, "dist"));
  }
  walk(join(REPO_ROOT, "config"));
  buildHashMemo = h.digest("hex").slice(0, 16);
  return buildHashMemo;
}

function fileIdentity(path: string): string {
  const real = realpathSync(path);
  const st = statSync(real);
  return `${real}:${st.size}:${Math.trunc(st.mtimeMs)}`;
}

function configIdentity(path: string | undefined): string {
  return path === undefined ? "" : `${path}:${readFileSync(path, "utf8")}`;
}

/**
 * What the configuration asks for: its merged features and plugins, so two profiles that ask for
 * the same (default and percpu) share one encode.
 */
async function configurationIdentity(options: SharedEncodeOptions): Promise<string> {
  const config = await loadConfig({ cwd: REPO_ROOT, profile: options.profile, configFile: options.config, search: false });
  return JSON.stringify({ features: config.features, plugins: config.plugins.map((p) => [p.ref, p.options]), config: configIdentity(options.config) });
}

async function cacheKey(file: string, options: SharedEncodeOptions): Promise<string> {
  const parts = [fileIdentity(file), await configurationIdentity(options), options.base ? fileIdentity(options.base) : "", ...(options.args ?? []), buildHash()];
  return createHash("sha256").update(parts.join("\n")).digest("hex").slice(0, 24);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Takes the lock folder, waiting while a live process holds it; a dead holder's lock is broken. */
async function acquire(lock: string): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, "pid"), String(process.pid));
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lock, "pid"), "utf8"));
    } catch {
      // Taken a moment ago, pid not written yet.
    }
    if (Number.isInteger(holder) && !pidAlive(holder)) rmSync(lock, { recursive: true, force: true });
    else await sleep(500);
  }
}

function runCli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

function prune(except: string): void {
  const now = Date.now();
  for (const name of readdirSync(ENCODED_DIR)) {
    if (name.startsWith(except)) continue;
    const path = join(ENCODED_DIR, name);
    try {
      if (now - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

/**
 * `btforge encode FILE [--profile P] [--config C] [-B BASE] ARGS -o OUT --json`, once per build and
 * input: later calls (in this or another process) read the cached result. Rejects with the CLI's
 * error line when the encode fails.
 */
export async function sharedEncode(file: string, options: SharedEncodeOptions = {}): Promise<SharedEncoding> {
  if (!existsSync(CLI_BIN)) throw new Error(`${CLI_BIN} is not built: run npm run build`);
  mkdirSync(ENCODED_DIR, { recursive: true });
  const key = await cacheKey(file, options);
  const btfPath = join(ENCODED_DIR, `${key}.btf`);
  const jsonPath = join(ENCODED_DIR, `${key}.json`);
  const read = (cached: boolean): SharedEncoding => ({ bytes: new Uint8Array(readFileSync(btfPath)), report: JSON.parse(readFileSync(jsonPath, "utf8")) as EncodeJson, cached });
  if (existsSync(jsonPath)) return read(true);
  const lock = join(ENCODED_DIR, `${key}.lock`);
  await acquire(lock);
  try {
    if (existsSync(jsonPath)) return read(true);
    const tmpBtf = `${btfPath}.${process.pid}.tmp`;
    const args = ["encode", file, "-o", tmpBtf, "--json", "--quiet"];
    if (options.profile !== undefined) args.push("--profile", options.profile);
    if (options.config !== undefined) args.push("--config", options.config);
    if (options.base !== undefined) args.push("-B", options.base);
    args.push(...(options.args ?? []));
    const r = await runCli(args);
    if (r.code !== 0) {
      rmSync(tmpBtf, { force: true });
      throw new Error(`btforge ${args.join(" ")} failed (exit ${r.code}): ${r.stderr.trim()}`);
    }
    renameSync(tmpBtf, btfPath);
    writeFileSync(`${jsonPath}.${process.pid}.tmp`, r.stdout);
    renameSync(`${jsonPath}.${process.pid}.tmp`, jsonPath);
    prune(key);
    return read(false);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The shared encoding's BTF parsed (on `base` for split BTF). */
export function parsedBtf(encoding: SharedEncoding, base?: BtfTable): BtfTable {
  return parseBtf(encoding.bytes, { base });
}
