/**
 * `btforge encode` on the fixture corpus, built with gcc and clang, DWARF 2–5, -O0/-O2, objects,
 * executables and shared objects, type units, DWARF64, compressed sections, ELF32 and other
 * targets. Every output validates, bpftool reads it, the running kernel loads it; and side by side
 * with pahole 1.24 (`pahole -J --btf_gen_floats --btf_encode_detached`) the named definitions
 * (structs/unions/enums with members and offsets, typedefs, FUNCs with prototypes) are the same set.
 *
 * Configuration: the default profile with consistent_func off, since pahole 1.24 predates it (the
 * vmlinux suite measures what consistent_func drops); pahole is asked for FLOAT too.
 * Where pahole 1.24 cannot encode an input at all (complex float types, DW_TAG_atomic_type in
 * DWARF 5 units, type units of a DWARF 5 shared object, zstd-compressed sections), the file is encoded and checked but not
 * compared; the last test asserts that enough files were compared for the comparison to mean something.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, test } from "vitest";
import { type BtfTable, parseBtf, validateBtf, formatProblems } from "@btforge/btf";
import { createEncoder, encodedBytes } from "@btforge/core";
import { ElfFile } from "@btforge/elf";
import "../packages/cli/src/builtin-plugins.js";
import { namedDefinitions, setDifference } from "./support/btf-definitions.js";
import { type Cell, buildCell, cellMissing, matrixCells } from "./support/compile.js";
import { REPO_ROOT } from "./support/paths.js";
import { expectKernelAccepts } from "./support/kernel-check.js";
import { skipBecause, skipKernel, toolMissing } from "./support/tools.js";

const work = mkdtempSync(join(tmpdir(), "btforge-encode-"));
const configFile = join(work, "btforge.config.json");
writeFileSync(configFile, JSON.stringify({ extends: "default", features: { consistent_func: false } }));

async function encode(file: string): Promise<Uint8Array> {
  const encoder = await createEncoder({ cwd: REPO_ROOT, configFile });
  const e = await encoder.run(file, { until: "finalize" });
  try {
    return encodedBytes(e);
  } finally {
    e.close();
  }
}

function paholeBtf(file: string): BtfTable | string {
  const out = join(work, `${basename(file)}.${process.hrtime.bigint()}.pahole.btf`);
  const r = spawnSync("pahole", ["-J", "--btf_gen_floats", `--btf_encode_detached=${out}`, file], { encoding: "utf8" });
  if (r.status !== 0) return `pahole failed: ${(r.stderr || r.stdout).trim().split("\n")[0]}`;
  try {
    return parseBtf(readFileSync(out));
  } catch (err) {
    return `pahole wrote no BTF (${(err as Error).message})`;
  }
}

/**
 * Known, explained difference: strict DWARF 2 has no DW_AT_type on enumerations, so pahole 1.24
 * calls every such enum unsigned; btforge calls an enum signed when a value is negative (libbpf's
 * rule for ENUM). Under -gstrict-dwarf, signedness is left out of the comparison.
 */
function comparable(defs: Set<string>, strictDwarf2: boolean): Set<string> {
  return strictDwarf2 ? new Set([...defs].map((d) => d.replace(/^(enum \w+: enum) signed /, "$1 "))) : defs;
}

/** "typedef color_t" of "typedef color_t = ...", "struct s" of "struct s: ...". */
const definedName = (definition: string) => definition.split(/[:=]/)[0]!.trim();

/** Objects with type units in COMDAT sections: pahole 1.24 does not read those. */
const typeUnitObject = (cell: Cell) => cell.link === "objects" && cell.flags.includes("-fdebug-types-section");

const noKernel = skipKernel("kernel loads of the encoded fixture corpus");
let compared = 0;
let uncompared = 0;
const noPahole = skipBecause(toolMissing("pahole"), "the comparison with pahole 1.24");
const noBpftool = skipBecause(toolMissing("bpftool"), "bpftool reading the encoded fixture corpus");

describe.each(matrixCells().map((cell) => [cell.id, cell] as [string, Cell]))("encode %s", (_id, cell) => {
  const missing = cellMissing(cell);
  test.skipIf(skipBecause(missing, cell.id))("validates, bpftool reads it, the kernel loads it, pahole agrees on the named definitions", async () => {
    for (const { file } of buildCell(cell)) {
      const bytes = await encode(file);
      const elf = ElfFile.open(file);
      const native = elf.is64 && elf.littleEndian;
      const pointerSize = elf.is64 ? 8 : 4;
      elf.close();
      // A 32-bit or big-endian target's BTF is checked by that target's rules, not loaded here.
      const verdict = validateBtf(bytes, { pointerSize, anyByteOrder: true });
      expect(formatProblems(verdict, file), file).toEqual([]);
      const out = join(work, `${basename(file)}.btf`);
      writeFileSync(out, bytes);
      if (!noBpftool) execFileSync("bpftool", ["btf", "dump", "file", out], { stdio: "ignore" });
      if (!noKernel && native) expectKernelAccepts(bytes, file);
      if (noPahole) continue;
      const theirs = paholeBtf(file);
      if (typeof theirs === "string") {
        console.warn(`${cell.id} ${basename(file)}: no comparison, ${theirs}`);
        uncompared++;
        continue;
      }
      compared++;
      const strict = cell.flags.includes("-gstrict-dwarf");
      const diff = setDifference(comparable(namedDefinitions(parseBtf(bytes)), strict), comparable(namedDefinitions(theirs), strict));
      if (cell.compiler === "clang" && cell.flags.includes("-O2")) {
        // pahole 1.24 drops clang's btf_decl_tag of a function and its parameters when the
        // function is optimized (it reads them at -O0); btforge keeps them.
        diff.onlyA = diff.onlyA.filter((d) => !/^decl_tag \w+ on func /.test(d));
      }
      if (typeUnitObject(cell)) {
        // pahole 1.24 reads no type unit of a relocatable object: what it has beyond btforge are
        // only its references into type units, turned to void; btforge has those names defined.
        const ours = new Set([...namedDefinitions(parseBtf(bytes))].map(definedName));
        expect(diff.onlyB.filter((d) => !(/\bvoid\b/.test(d) && ours.has(definedName(d)))), `${cell.id} ${basename(file)}`).toEqual([]);
      } else {
        expect(diff, `${cell.id} ${basename(file)}`).toEqual({ onlyA: [], onlyB: [] });
      }
    }
  });
});

test.skipIf(noPahole)("most inputs were compared with pahole", () => {
  console.warn(`compared with pahole: ${compared} files; not comparable (pahole 1.24 failed): ${uncompared}`);
  expect(compared).toBeGreaterThan(3 * uncompared);
});

test.skipIf(noPahole)("the comparison can fail: a changed member offset is a difference", () => {
  const cell = matrixCells().find((c) => c.id === "gcc-dwarf5-O0-objects")!;
  const file = buildCell(cell).find((o) => o.file.includes("layout"))!.file;
  const theirs = paholeBtf(file) as BtfTable;
  const defs = namedDefinitions(theirs);
  const changed = new Set([...defs].map((d) => d.replace(/@64/, "@72")));
  expect(setDifference(changed, defs).onlyA.length).toBeGreaterThan(0);
});

