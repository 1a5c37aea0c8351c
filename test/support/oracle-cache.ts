/**
 * llvm-dwarfdump takes minutes on a vmlinux (gigabytes of text), so its counts for big, immutable
 * inputs are kept in the cache folder, keyed by the file's size and mtime and the tool's version.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync, existsSync } from "node:fs";
import { basename, join } from "node:path";
import type { DwarfCounts } from "./dwarf-counts.js";
import { CACHE_DIR } from "./kernel-files.js";
import { llvmDwarfdumpCounts, llvmDwarfdumpVersion } from "./llvm-dwarfdump.js";

export async function cachedLlvmDwarfdumpCounts(file: string): Promise<DwarfCounts> {
  const st = statSync(file);
  const key = `${basename(file)}-${st.size}-${Math.trunc(st.mtimeMs)}-llvm${llvmDwarfdumpVersion()}.json`;
  const dir = join(CACHE_DIR, "oracle");
  const path = join(dir, key);
  if (existsSync(path)) return JSON.parse(readFileSync(path, "utf8")) as DwarfCounts;
  const counts = await llvmDwarfdumpCounts(file);
  mkdirSync(dir, { recursive: true });
  writeFileSync(`${path}.tmp-${process.pid}`, JSON.stringify(counts));
  renameSync(`${path}.tmp-${process.pid}`, path);
  return counts;
}
