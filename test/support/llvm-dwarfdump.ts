/**
 * The oracle: DIE counts per tag, units, versions and unit types as llvm-dwarfdump prints them.
 *
 * `llvm-dwarfdump --debug-info --debug-types FILE` prints one line per DIE that starts at column 0
 * with its offset ("0x0000000b: DW_TAG_compile_unit", deeper DIEs indented after the colon) and one
 * header line per unit ("0x00000000: Compile Unit: length = ..., version = 0x0005, unit_type = ...").
 * Attribute lines start with spaces. For vmlinux the output is several gigabytes, so it is never
 * held whole: the stream is scanned chunk by chunk for "\n0x" (a native memmem), and only those
 * lines are decoded; attribute lines are skipped without being split out.
 */
import { spawn, spawnSync } from "node:child_process";
import { bump, emptyCounts, type DwarfCounts } from "./dwarf-counts.js";

export const LLVM_DWARFDUMP = process.env.LLVM_DWARFDUMP ?? "llvm-dwarfdump";

/** Undefined when the tool runs, else the reason to print when skipping. */
export function llvmDwarfdumpMissing(): string | undefined {
  const r = spawnSync(LLVM_DWARFDUMP, ["--version"], { encoding: "utf8" });
  return r.status === 0 ? undefined : `${LLVM_DWARFDUMP} is not installed (apt-get install llvm)`;
}

export function llvmDwarfdumpVersion(): string {
  const out = spawnSync(LLVM_DWARFDUMP, ["--version"], { encoding: "utf8" }).stdout ?? "";
  return /version\s+(\S+)/i.exec(out)?.[1] ?? out.trim();
}

const DIE_LINE = /^0x[0-9a-f]+:\s+DW_TAG_(\w+)/;
const UNIT_LINE = /^0x[0-9a-f]+: (Compile|Type|Partial|Skeleton|Split Compile|Split Type) Unit: .*?version = 0x([0-9a-f]+)(?:, unit_type = (DW_UT_\w+))?/;
// Before DWARF 5 there is no unit_type field: the kind of header line says it.
const PRE_V5_UNIT_TYPE: Record<string, string> = {
  Compile: "DW_UT_compile",
  Type: "DW_UT_type",
  Partial: "DW_UT_partial",
  Skeleton: "DW_UT_skeleton",
  "Split Compile": "DW_UT_split_compile",
  "Split Type": "DW_UT_split_type",
};

/** Folds one "0x...:" line into the counts; returns false for lines that are neither DIE nor unit. */
export function countLine(line: string, counts: DwarfCounts): boolean {
  const die = DIE_LINE.exec(line);
  if (die) {
    bump(counts.tags, `DW_TAG_${die[1]}`);
    return true;
  }
  const unit = UNIT_LINE.exec(line);
  if (unit) {
    counts.units++;
    bump(counts.versions, String(parseInt(unit[2], 16)));
    bump(counts.unitTypes, unit[3] ?? PRE_V5_UNIT_TYPE[unit[1]]);
    return true;
  }
  return false;
}

/**
 * Incremental scanner over the tool's stdout. Lines of interest start with "0x"; everything between
 * them is skipped by searching for the next "\n0x". The carried tail always begins at a line start.
 */
export class DumpLineCounter {
  readonly counts: DwarfCounts = emptyCounts();
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let lineStart = 0;
    while (lineStart < buf.length) {
      if (buf[lineStart] === 0x30 && buf[lineStart + 1] === 0x78) {
        const end = buf.indexOf(10, lineStart);
        if (end === -1) break; // an incomplete "0x" line: finish it with the next chunk
        countLine(buf.toString("latin1", lineStart, end), this.counts);
        lineStart = end + 1;
        continue;
      }
      const next = buf.indexOf("\n0x", lineStart);
      if (next === -1) {
        // Keep only the last (possibly partial) line: it may be the start of a "0x" line.
        const lastNewline = buf.lastIndexOf(10);
        lineStart = lastNewline >= lineStart ? lastNewline + 1 : lineStart;
        break;
      }
      lineStart = next + 1;
    }
    this.carry = lineStart < buf.length ? Buffer.from(buf.subarray(lineStart)) : Buffer.alloc(0);
  }

  end(): DwarfCounts {
    if (this.carry.length) countLine(this.carry.toString("latin1").trimEnd(), this.counts);
    this.carry = Buffer.alloc(0);
    return this.counts;
  }
}

/** Runs llvm-dwarfdump on FILE and counts its DIEs and units, streaming. Rejects on a non-zero exit. */
export function llvmDwarfdumpCounts(file: string): Promise<DwarfCounts> {
  return new Promise((resolve, reject) => {
    const child = spawn(LLVM_DWARFDUMP, ["--debug-info", "--debug-types", file], { stdio: ["ignore", "pipe", "pipe"] });
    const counter = new DumpLineCounter();
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => counter.push(chunk));
    // Warnings are kept (bounded) for the failure message only.
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${LLVM_DWARFDUMP} exited with ${code} on ${file}: ${stderr.slice(0, 4096)}`));
      else resolve(counter.end());
    });
  });
}
