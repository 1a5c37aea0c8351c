/**
 * Real-kernel suite for all global variables (issue 7): the all-globals profile on the Debian 6.1
 * vmlinux. One DATASEC per ELF section holding any variable, each sorted and non-overlapping with
 * the section's size; every entry's offset and size are those of the ELF symbol readelf shows at
 * that place; a variable several units describe appears once (newer pahole's global_var emits 48
 * such duplicates on this vmlinux, e.g. init_uts_ns and ms_hyperv, and the kernel rejects it);
 * the blob validates and loads into the running kernel.
 */
import "../../packages/cli/src/builtin-plugins.js";
import { beforeAll, describe, expect, test } from "vitest";
import { formatProblems, parseBtf, validateBtf, writeBtf, type BtfTable } from "@btforge/btf";
import type { VariablesStats } from "@btforge/core";
import { STT } from "@btforge/elf";
import { peerSections, peerSymbols, readelfMissing } from "../../packages/elf/test/readelf.js";
import { allDatasecs, datasecSize, orderProblems, type DatasecRow } from "../fixtures/vars/btf-view.js";
import { kernelMissing, VMLINUX } from "../support/kernel-files.js";
import { expectKernelAccepts } from "../support/kernel-check.js";
import { sharedEncode } from "../support/shared-encode.js";
import { skipBecause, skipKernel } from "../support/tools.js";

const skip = skipBecause(kernelMissing() ?? readelfMissing, "real-kernel all-globals suite");
const noKernel = skipKernel("loading the all-globals vmlinux BTF");

describe.skipIf(skip)("Debian 6.1 vmlinux: all global variables", () => {
  let btf: BtfTable;
  let stats: VariablesStats;
  let datasecs: Map<string, DatasecRow[]>;
  beforeAll(async () => {
    const { bytes: encoded, report } = await sharedEncode(VMLINUX, { profile: "all-globals" });
    btf = parseBtf(encoded);
    stats = report.variables as VariablesStats;
    const ms = report.timings.taps.find((t) => t.plugin === "variables")?.ms ?? NaN;
    datasecs = allDatasecs(btf);
    const bytes = writeBtf(btf).length;
    console.log(`all-globals: ${stats.vars} VARs in ${stats.datasecs} DATASECs, ${bytes} BTF bytes, variables step ${ms.toFixed(0)} ms; skipped ${JSON.stringify(stats.skipped)}`);
  }, 1_800_000);

  test("one DATASEC per section with variables, sorted, non-overlapping, sized as the section", () => {
    const sizes = new Map(peerSections(VMLINUX).map((s) => [s.name, s.size]));
    expect(datasecs.size).toBe(stats.datasecs);
    expect([...datasecs.keys()]).toEqual(expect.arrayContaining([".data", ".bss", ".rodata", ".data..percpu", ".init.data"]));
    for (const [name, rows] of datasecs) {
      expect(orderProblems(rows, sizes.get(name)!), name).toEqual([]);
      expect(datasecSize(btf, name), name).toBe(sizes.get(name));
    }
    expect([...datasecs.values()].reduce((n, rows) => n + rows.length, 0)).toBe(stats.vars);
    expect(stats.vars).toBeGreaterThan(20_000);
  });

  test("every entry is the ELF object symbol at its section and offset, with its size", () => {
    const sections = peerSections(VMLINUX);
    // (section name, offset) → symbols there, from readelf.
    const at = new Map<string, { name: string; size: number }[]>();
    for (const s of peerSymbols(VMLINUX)) {
      if (s.type !== STT.OBJECT || s.section <= 0 || s.section >= sections.length) continue;
      const section = sections[s.section]!;
      const key = `${section.name}+${s.value - section.addr}`;
      at.set(key, [...(at.get(key) ?? []), { name: s.name, size: s.size }]);
    }
    const unmatched: string[] = [];
    for (const [name, rows] of datasecs) {
      for (const r of rows) {
        const there = at.get(`${name}+${r.offset}`) ?? [];
        if (!there.some((s) => (s.name === r.name || s.name.startsWith(`${r.name}.`)) && s.size === r.size)) unmatched.push(`${name}+${r.offset} ${r.name}`);
      }
    }
    expect(unmatched).toEqual([]);
  });

  test("variables several units describe appear once (init_uts_ns, ms_hyperv)", () => {
    const all = [...datasecs.values()].flat();
    for (const name of ["init_uts_ns", "ms_hyperv"]) expect(all.filter((r) => r.name === name), name).toHaveLength(1);
    expect(stats.skipped.duplicate).toBeGreaterThan(0);
    const percpu = datasecs.get(".data..percpu")!;
    expect(percpu).toHaveLength(356);
    expect(percpu[0]).toMatchObject({ name: "fixed_percpu_data", offset: 0 });
  });

  test("the blob validates", () => {
    expect(formatProblems(validateBtf(writeBtf(btf))).slice(0, 10)).toEqual([]);
  });

  test.skipIf(noKernel)("the blob loads into the running kernel", () => {
    expectKernelAccepts(writeBtf(btf), "all-globals vmlinux BTF");
  });
});
