/**
 * The readers' proof (issue 2): for every fixture object, compiled now with every compiler, DWARF
 * version, optimisation level and link kind installed, and for the committed objects, the DIE
 * counts per tag, units, versions and unit types btforge sees equal what llvm-dwarfdump shows.
 */
import { describe, expect, test } from "vitest";
import { libraryDwarfCounts } from "./support/btforge-counts.js";
import { cliDwarfCounts, cliMissing } from "./support/cli.js";
import { committedObjects } from "./support/committed.js";
import { buildCell, cellMissing, matrixCells } from "./support/compile.js";
import { sortedCounts } from "./support/dwarf-counts.js";
import { llvmDwarfdumpCounts, llvmDwarfdumpMissing } from "./support/llvm-dwarfdump.js";
import { skipBecause } from "./support/tools.js";

const noOracle = llvmDwarfdumpMissing();

describe("committed objects: btforge dwarf-stats --json equals llvm-dwarfdump", () => {
  const skip = skipBecause(noOracle ?? cliMissing(), "committed-object comparison");
  for (const { file, oracleFile } of committedObjects()) {
    test.skipIf(skip)(file.split("/").pop()!, async () => {
      const [ours, theirs] = await Promise.all([cliDwarfCounts(file), llvmDwarfdumpCounts(oracleFile)]);
      expect(theirs.units).toBeGreaterThan(0);
      expect(sortedCounts(ours)).toEqual(sortedCounts(theirs));
    });
  }
});

describe("compile matrix: every output's counts equal llvm-dwarfdump's", () => {
  for (const cell of matrixCells()) {
    const skip = skipBecause(noOracle ?? cellMissing(cell), cell.id);
    test.skipIf(skip)(cell.id, async () => {
      const outputs = buildCell(cell);
      expect(outputs.length).toBeGreaterThan(0);
      for (const { file, oracleFile } of outputs) {
        const theirs = await llvmDwarfdumpCounts(oracleFile);
        const ours = libraryDwarfCounts(file);
        expect(sortedCounts(ours), file).toEqual(sortedCounts(theirs));
      }
    });
  }
});
