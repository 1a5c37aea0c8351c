/**
 * All global variables (issue 7) on fixtures compiled at test time with gcc and clang: the
 * all-globals profile gives exactly the file-scope variables of sections.c, percpu_a.c and
 * percpu_b.c, one DATASEC per ELF section that holds any (.data, .bss, .rodata, kernel-style and
 * custom sections), each sorted, with the offsets and sizes readelf shows; thread-local variables,
 * a function's static and an extern declaration stay out. The plugin's options (statics, names,
 * include/exclude) narrow the set. The BTF validates and the kernel loads it.
 */
import "../packages/cli/src/builtin-plugins.js";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { formatProblems, validateBtf, writeBtf, type BtfTable } from "@btforge/btf";
import { createEncoder, VARIABLES_ARTIFACT, type VariablesStats } from "@btforge/core";
import { STT } from "@btforge/elf";
import { peerSections, peerSymbols, readelfMissing } from "../packages/elf/test/readelf.js";
import { allDatasecs, datasecSize, orderProblems } from "./fixtures/vars/btf-view.js";
import { buildVarsFixtures, varsFixturesMissing } from "./fixtures/vars/build.js";
import { expectKernelAccepts } from "./support/kernel-check.js";
import { skipBecause, skipKernel } from "./support/tools.js";

/** The file-scope variables with storage of the three CUs, and whether each is static. */
const GLOBALS: Record<string, "global" | "static"> = {
  data_var: "global", bss_var: "global", bss_array: "global", rodata_table: "global", rodata_string: "global",
  read_mostly_var: "global", ro_after_init_var: "global", custom_section_var: "global",
  static_data_var: "static", static_bss_var: "static", static_rodata: "static",
  pcpu_first_counter: "global", pcpu_cpu_number: "global", pcpu_net_stats: "global", pcpu_histogram: "global",
  pcpu_current_list: "global", pcpu_static_flag: "static", pcpu_static_stats: "static", pcpu_read_mostly: "global",
  pcpu_remote_ptr: "global", pcpu_remote_var: "global", pcpu_block_stats: "global", pcpu_small_byte: "static", pcpu_label: "global",
};

interface Row {
  name: string;
  offset: number;
  size: number;
}

/** readelf's view of the wanted variables: section name → rows by offset; plus section sizes. */
function readelfGlobals(file: string, keep: (name: string) => boolean): { sections: Map<string, Row[]>; sizes: Map<string, number> } {
  const sectionList = peerSections(file);
  const sections = new Map<string, Row[]>();
  for (const s of peerSymbols(file)) {
    if (s.type !== STT.OBJECT || !(s.name in GLOBALS) || !keep(s.name)) continue;
    const section = sectionList[s.section]!;
    const rows = sections.get(section.name) ?? [];
    rows.push({ name: s.name, offset: Number(s.value - section.addr), size: s.size });
    sections.set(section.name, rows);
  }
  for (const rows of sections.values()) rows.sort((a, b) => a.offset - b.offset);
  return { sections, sizes: new Map(sectionList.map((s) => [s.name, s.size])) };
}

async function encode(file: string, options?: Record<string, unknown>): Promise<{ btf: BtfTable; stats: VariablesStats }> {
  let configFile: string | undefined;
  if (options) {
    configFile = join(mkdtempSync(join(tmpdir(), "btforge-vars-")), "btforge.config.json");
    writeFileSync(configFile, JSON.stringify({ profile: "all-globals", plugins: [["global-vars", options]] }));
  }
  const encoder = await createEncoder(configFile ? { configFile } : { profile: "all-globals", search: false });
  const encoding = await encoder.run(file, { until: "finalize" });
  try {
    return { btf: encoding.btf, stats: encoding.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats };
  } finally {
    encoding.close();
  }
}

function simplified(btf: BtfTable): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const [name, rows] of allDatasecs(btf)) out.set(name, rows.map(({ name: n, offset, size }) => ({ name: n, offset, size })));
  return out;
}

const noKernel = skipKernel("kernel loads of the all-globals fixtures");

for (const compiler of ["gcc", "clang"] as const) {
  const skip = skipBecause(varsFixturesMissing(compiler) ?? readelfMissing, `all-globals fixtures with ${compiler}`);
  describe.skipIf(skip)(`all global variables, ${compiler} -O0 (ld -r of three CUs)`, () => {
    const file = skip ? "" : buildVarsFixtures(compiler).globalsRelocatable;

    test("one DATASEC per section, exactly the file-scope variables, as readelf places them", async () => {
      const { btf, stats } = await encode(file);
      const peer = readelfGlobals(file, () => true);
      expect(simplified(btf)).toEqual(peer.sections);
      expect([...peer.sections.keys()]).toEqual(expect.arrayContaining([".data", ".bss", ".rodata", ".data..read_mostly", ".data..ro_after_init", ".fixture_custom", ".data..percpu"]));
      for (const [name, rows] of allDatasecs(btf)) {
        expect(orderProblems(rows, peer.sizes.get(name)!)).toEqual([]);
        expect(datasecSize(btf, name)).toBe(peer.sizes.get(name));
        for (const r of rows) expect([r.name, r.linkage]).toEqual([r.name, GLOBALS[r.name]]);
      }
      const types = Object.fromEntries([...allDatasecs(btf).values()].flat().map((r) => [r.name, r.type]));
      // gcc puts a const on the array and on its element type, clang only on the element.
      expect(types.rodata_table).toMatch(/^(const )+int\[4\]$/);
      expect(types).toMatchObject({
        custom_section_var: "struct list_head",
        bss_array: "long[32]".replace("long", compiler === "gcc" ? "long int" : "long"),
        pcpu_remote_var: "struct pcpu_remote",
      });
      expect(stats.vars).toBe(Object.keys(GLOBALS).length);
      expect(formatProblems(validateBtf(writeBtf(btf)))).toEqual([]);
    });

    test("statics: false leaves the static variables out", async () => {
      const { btf } = await encode(file, { statics: false });
      expect(simplified(btf)).toEqual(readelfGlobals(file, (n) => GLOBALS[n] === "global").sections);
    });

    test("names (a glob and a regular expression) and exclude narrow the set", async () => {
      const { btf, stats } = await encode(file, { names: ["*_var", "/^PCPU_S/i"], exclude: [".data..percpu.?*", ".bss"] });
      const keep = (n: string) => /_var$|^pcpu_s/.test(n) && n !== "bss_var" && n !== "static_bss_var";
      expect(simplified(btf)).toEqual(readelfGlobals(file, keep).sections);
      expect(stats.includedSections).not.toContain(".bss");
      expect(stats.includedSections).not.toContain(".data..percpu..read_mostly");
      expect(stats.includedSections).toContain(".data..percpu");
    });

    test.skipIf(noKernel)("the kernel loads the BTF", async () => {
      const { btf } = await encode(file);
      expectKernelAccepts(writeBtf(btf), `${compiler} all-globals`);
    });
  });
}
