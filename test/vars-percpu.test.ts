/**
 * Per-CPU variables (issue 6) on fixtures compiled at test time with gcc and clang: the percpu
 * profile gives exactly one VAR per per-CPU variable, with the type its DWARF names (the one whose
 * type is complete only in the other CU included), its linkage, and the offset and size readelf
 * shows for its symbol; entries sorted, one at offset 0; the BTF validates and the kernel loads it.
 * Both a relocatable object (ld -r, like a .ko) and an executable whose per-CPU section does not
 * start at 0 (offsets are then symbol value minus section address).
 */
import "../packages/cli/src/builtin-plugins.js";
import { describe, expect, test } from "vitest";
import { validateBtf, writeBtf, formatProblems, type BtfTable } from "@btforge/btf";
import { createEncoder, VARIABLES_ARTIFACT, type VariablesStats } from "@btforge/core";
import { STT } from "@btforge/elf";
import { peerSections, peerSymbols, readelfMissing } from "../packages/elf/test/readelf.js";
import { datasecRows, datasecSize, orderProblems } from "./fixtures/vars/btf-view.js";
import { buildVarsFixtures, type Compiler, varsFixturesMissing } from "./fixtures/vars/build.js";
import { expectKernelAccepts } from "./support/kernel-check.js";
import { skipBecause, skipKernel } from "./support/tools.js";

const PERCPU = ".data..percpu";

/** Name → [linkage, type] for every per-CPU variable of percpu_a.c and percpu_b.c. */
function expectedVars(compiler: Compiler): Record<string, [string, string]> {
  const ulong = compiler === "gcc" ? "long unsigned int" : "unsigned long";
  return {
    pcpu_first_counter: ["global", "int"],
    pcpu_cpu_number: ["global", ulong],
    pcpu_net_stats: ["global", "struct pcpu_stats"],
    pcpu_histogram: ["global", "u64[16]"],
    pcpu_current_list: ["global", "struct list_head *"],
    pcpu_static_flag: ["static", "int"],
    pcpu_static_stats: ["static", "struct pcpu_stats[2]"],
    // percpu_a.c declares it with an incomplete type; the type comes from percpu_b.c.
    pcpu_remote_var: ["global", "struct pcpu_remote"],
    pcpu_block_stats: ["global", "struct pcpu_stats"],
    pcpu_small_byte: ["static", "u8"],
    pcpu_label: ["global", "const char *"],
  };
}

/** The per-CPU symbols as readelf shows them: name, section offset, size; by offset. */
function readelfPercpu(file: string): { rows: { name: string; offset: number; size: number }[]; sectionSize: number } {
  const section = peerSections(file).find((s) => s.name === PERCPU)!;
  const rows = peerSymbols(file)
    .filter((s) => s.section === section.index && s.type === STT.OBJECT)
    .map((s) => ({ name: s.name, offset: Number(s.value - section.addr), size: s.size }))
    .sort((a, b) => a.offset - b.offset);
  return { rows, sectionSize: section.size };
}

async function encodePercpu(file: string): Promise<{ btf: BtfTable; stats: VariablesStats }> {
  const encoder = await createEncoder({ profile: "percpu", search: false });
  const encoding = await encoder.run(file, { until: "finalize" });
  try {
    return { btf: encoding.btf, stats: encoding.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats };
  } finally {
    encoding.close();
  }
}

const noKernel = skipKernel("kernel loads of the per-CPU fixtures");

for (const compiler of ["gcc", "clang"] as const) {
  const skip = skipBecause(varsFixturesMissing(compiler) ?? readelfMissing, `per-CPU fixtures with ${compiler}`);
  describe.skipIf(skip)(`per-CPU variables, ${compiler} -O0`, () => {
    const fixtures = skip ? undefined : buildVarsFixtures(compiler);
    const files = fixtures ? { "ld -r object": fixtures.percpuRelocatable, executable: fixtures.percpuExecutable } : {};

    for (const [kind, file] of Object.entries(files)) {
      test(`${kind}: exactly the per-CPU VARs, placed as readelf shows their symbols`, async () => {
        const { btf, stats } = await encodePercpu(file);
        const peer = readelfPercpu(file);
        const rows = datasecRows(btf, PERCPU)!;
        expect(rows.map(({ name, offset, size }) => ({ name, offset, size }))).toEqual(peer.rows);
        expect(orderProblems(rows, peer.sectionSize)).toEqual([]);
        expect(datasecSize(btf, PERCPU)).toBe(peer.sectionSize);
        expect(rows.some((r) => r.offset === 0)).toBe(true);
        const byName = Object.fromEntries(rows.map((r) => [r.name, [r.linkage, r.type]]));
        expect(byName).toEqual(expectedVars(compiler));
        // Only the per-CPU section: pcpu_read_mostly (.data..percpu..read_mostly) and pcpu_remote_ptr (.data) stay out.
        expect(stats).toMatchObject({ vars: 11, datasecs: 1, includedSections: [PERCPU] });
        const result = validateBtf(writeBtf(btf));
        expect(formatProblems(result)).toEqual([]);
      });

      test.skipIf(noKernel)(`${kind}: the kernel loads the BTF`, async () => {
        const { btf } = await encodePercpu(file);
        expectKernelAccepts(writeBtf(btf), `${compiler} ${kind}`);
      });
    }
  });
}
