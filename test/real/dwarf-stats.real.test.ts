/**
 * Real-kernel suite (issue 2): `btforge dwarf-stats` on the Debian 6.1 cloud vmlinux (163 MB of
 * DWARF 5) and ten of its modules (relocatable, .rela.debug_*) counts exactly the DIEs per tag,
 * units and versions llvm-dwarfdump shows. The oracle's counts are cached (minutes on vmlinux).
 */
import { basename } from "node:path";
import { describe, expect, test } from "vitest";
import { cliDwarfCounts, cliMissing } from "../support/cli.js";
import { sortedCounts } from "../support/dwarf-counts.js";
import { kernelMissing, kernelModules, VMLINUX } from "../support/kernel-files.js";
import { llvmDwarfdumpMissing } from "../support/llvm-dwarfdump.js";
import { cachedLlvmDwarfdumpCounts } from "../support/oracle-cache.js";
import { skipBecause } from "../support/tools.js";

const skip = skipBecause(kernelMissing() ?? llvmDwarfdumpMissing() ?? cliMissing(), "real-kernel dwarf-stats suite");

describe("Debian 6.1 cloud kernel: dwarf-stats equals llvm-dwarfdump", () => {
  test.skipIf(skip)("vmlinux", { timeout: 1_800_000 }, async () => {
    const [ours, theirs] = await Promise.all([cliDwarfCounts(VMLINUX, 600_000), cachedLlvmDwarfdumpCounts(VMLINUX)]);
    expect(theirs.units).toBeGreaterThan(2000);
    expect(sortedCounts(ours)).toEqual(sortedCounts(theirs));
  });

  const modules = skip ? [] : kernelModules();
  test.skipIf(skip)("the test modules are cached (test/real/fetch-kernel.sh)", () => expect(modules.length).toBeGreaterThanOrEqual(10));
  for (const ko of modules) {
    test(basename(ko), { timeout: 600_000 }, async () => {
      const [ours, theirs] = await Promise.all([cliDwarfCounts(ko), cachedLlvmDwarfdumpCounts(ko)]);
      expect(sortedCounts(ours)).toEqual(sortedCounts(theirs));
    });
  }
});
