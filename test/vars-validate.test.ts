/**
 * The review of the per-CPU patch asked that DATASEC order be checked: `btforge validate` (and
 * validateBtf under it) rejects a DATASEC whose entries are out of order or overlap, with the
 * kernel's wording ("Invalid offset"), and the kernel itself agrees where it can be asked.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BtfTable, BtfVarLinkage, formatProblems, loadIntoKernel, validateBtf, writeBtf } from "@btforge/btf";
import { cliMissing, runCli } from "./support/cli.js";
import { skipBecause, skipKernel } from "./support/tools.js";

/** int, three VARs, and a 32-byte ".data..percpu" DATASEC with the entries at the given [offset, size]. */
function percpuBtf(entries: [number, number][]): Uint8Array {
  const btf = new BtfTable();
  const int = btf.addInt("int", 4, 1, 0, 32);
  const vars = ["a", "b", "c"].map((n) => btf.addVar(n, int, BtfVarLinkage.GLOBAL_ALLOCATED));
  btf.addDatasec(".data..percpu", 32, entries.map(([offset, size], i) => ({ type: vars[i]!, offset, size })));
  return writeBtf(btf);
}

const CASES: [string, [number, number][]][] = [
  ["out of order", [[8, 4], [0, 4], [16, 4]]],
  ["overlapping", [[0, 8], [4, 4], [16, 4]]],
  ["a duplicate offset (what newer pahole's global_var emits for init_uts_ns)", [[0, 4], [0, 4], [16, 4]]],
];

describe("DATASEC order and overlap", () => {
  test("sorted, non-overlapping entries (offset 0 included) are valid", () => {
    expect(formatProblems(validateBtf(percpuBtf([[0, 4], [4, 4], [16, 16]])))).toEqual([]);
  });

  for (const [what, entries] of CASES) {
    test(`validateBtf rejects entries ${what} with the kernel's "Invalid offset"`, () => {
      const result = validateBtf(percpuBtf(entries));
      expect(result.ok).toBe(false);
      const lines = formatProblems(result);
      // As btf_verifier_log_vsi words it: the DATASEC, then the entry, then the reason.
      expect(lines.join("\n")).toMatch(/DATASEC \.data\.\.percpu.*\n?.*type_id=\d+ offset=\d+ size=\d+\s+Invalid offset/);
    });
  }

  const noKernel = skipKernel("kernel agreement on DATASEC order");
  test.skipIf(noKernel)("the kernel says the same", () => {
    expect(loadIntoKernel(percpuBtf([[0, 4], [4, 4], [16, 16]])).accepted).toBe(true);
    for (const [, entries] of CASES) {
      const verdict = loadIntoKernel(percpuBtf(entries));
      expect(verdict.accepted).toBe(false);
      expect(verdict.log).toMatch(/Invalid offset/);
    }
  });

  const noCli = skipBecause(cliMissing(), "btforge validate on a bad DATASEC");
  test.skipIf(noCli)("btforge validate exits non-zero and names the problem", async () => {
    const dir = mkdtempSync(join(tmpdir(), "btforge-datasec-"));
    const bad = join(dir, "unsorted.btf");
    writeFileSync(bad, percpuBtf(CASES[0]![1]));
    const r = await runCli(["validate", bad]);
    expect(r.code).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/Invalid offset/);
    const good = join(dir, "sorted.btf");
    writeFileSync(good, percpuBtf([[0, 4], [4, 4], [16, 16]]));
    expect((await runCli(["validate", good])).code).toBe(0);
  });
});
