// Shared by the btf tests: where the host's BTF lives and how to run bpftool.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { skipBecause } from "../../../test/support/tools.js";

export const SYS_BTF = "/sys/kernel/btf";
export const VMLINUX_BTF = join(SYS_BTF, "vmlinux");
export const hasVmlinuxBtf = existsSync(VMLINUX_BTF);

/** Module BTF files next to vmlinux under /sys/kernel/btf (split BTF on vmlinux). */
export function moduleBtfFiles(): string[] {
  if (!existsSync(SYS_BTF)) return [];
  return readdirSync(SYS_BTF)
    .filter((f) => f !== "vmlinux")
    .map((f) => join(SYS_BTF, f));
}

function findBpftool(): string | undefined {
  try {
    execFileSync("bpftool", ["version"], { stdio: "ignore" });
    return "bpftool";
  } catch {
    return undefined;
  }
}
export const bpftool = findBpftool();
/** True (with the reason printed) when bpftool is missing: comparisons with it then skip; under BTFORGE_REQUIRE_PEERS=1 that fails instead. */
export const noBpftool = skipBecause(bpftool ? undefined : "bpftool is not installed", "comparisons with bpftool");

/** `bpftool btf dump file FILE [-B BASE]` output. */
export function bpftoolDump(file: string, base?: string): string {
  const args = base ? ["btf", "dump", "-B", base, "file", file] : ["btf", "dump", "file", file];
  return execFileSync(bpftool!, args, { encoding: "utf8", maxBuffer: 1 << 30 });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "btforge-btf-"));
}

/** skipBecause (test/support/tools.ts) for a condition: prints the reason when it holds, fails under BTFORGE_REQUIRE_PEERS=1. */
export function skipNote(cond: boolean, reason: string): boolean {
  return skipBecause(cond ? reason : undefined, "this test");
}

/** The first differing line of two texts, for a readable failure. */
export function firstDifference(a: string, b: string): string | undefined {
  if (a === b) return undefined;
  const al = a.split("\n");
  const bl = b.split("\n");
  for (let i = 0; i < Math.max(al.length, bl.length); i++) {
    if (al[i] !== bl[i]) return `line ${i + 1}:\n  ours:    ${al[i]}\n  bpftool: ${bl[i]}`;
  }
  return "texts differ";
}
