// The variable emitter on hand-built inputs (no compiler): DWARF from the DWARF test builder, an
// ELF from the ELF test builder, and a fake types plugin that records which BTF id each type DIE
// became. Covers what compilers rarely produce on demand: an address-0 variable beside discarded
// ones at address 0, renamed statics, duplicates across units, cross-unit specifications,
// overlaps, zero sizes, types larger than their symbol.
import { describe, expect, test } from "vitest";
import { BtfKind, BtfVarLinkage, validateBtf, writeBtf } from "@btforge/btf";
import { DW_AT, DW_FORM, DW_TAG, DwarfFile } from "@btforge/dwarf";
import { ElfFile, ET, STB, STT } from "@btforge/elf";
import {
  DIE_TYPES_ARTIFACT,
  DieTypes,
  Encoder,
  type EncoderPlugin,
  type Encoding,
  type VariableInfo,
  VariablesPlugin,
  VARIABLES_ARTIFACT,
  type VariablesStats,
  isVariableCandidate,
} from "@btforge/core";
import { DwarfBuilder, type Attr, type Die } from "../../dwarf/test/builder.js";
import { buildElf, type BuildSymbol } from "../../elf/test/elf-builder.js";

const PERCPU = ".data..percpu";
const DATA_ADDR = 0xffffffff82000000n;

const addrOp = (address: bigint) => {
  const bytes = [0x03];
  for (let i = 0n; i < 8n; i++) bytes.push(Number((address >> (8n * i)) & 0xffn));
  return bytes;
};
const name = (value: string): Attr => ({ at: DW_AT.name, form: DW_FORM.string, value });
const type = (label: string, form: number = DW_FORM.ref4): Attr => ({ at: DW_AT.type, form, value: { ref: label } });
const external: Attr = { at: DW_AT.external, form: DW_FORM.flag_present };
const location = (address: bigint): Attr => ({ at: DW_AT.location, form: DW_FORM.exprloc, value: addrOp(address) });
const variable = (attrs: Attr[], label?: string): Die => ({ tag: DW_TAG.variable, attrs, label });

/** DWARF of two units; `data` is the address .data variables are at (0 for ET_REL). */
function buildDwarf(dataAddress: bigint): { builder: DwarfBuilder; dwarf: DwarfFile } {
  const b = new DwarfBuilder();
  const types: Die[] = [
    { tag: DW_TAG.base_type, label: "int", attrs: [name("int"), { at: DW_AT.byte_size, form: DW_FORM.data1, value: 4 }] },
    { tag: DW_TAG.structure_type, label: "fixed", attrs: [name("fixed_data"), { at: DW_AT.byte_size, form: DW_FORM.data1, value: 48 }] },
    { tag: DW_TAG.array_type, label: "arr", attrs: [type("int")] },
    { tag: DW_TAG.structure_type, label: "big", attrs: [name("big"), { at: DW_AT.byte_size, form: DW_FORM.data1, value: 64 }] },
    { tag: DW_TAG.base_type, label: "unrecorded", attrs: [name("unrecorded")] },
  ];
  b.unit({
    version: 5,
    root: {
      tag: DW_TAG.compile_unit,
      attrs: [name("a.c")],
      children: [
        ...types,
        variable([name("counter"), type("int"), external, { at: DW_AT.declaration, form: DW_FORM.flag_present }], "counter_decl"),
        variable([{ at: DW_AT.specification, form: DW_FORM.ref4, value: { ref: "counter_decl" } }, location(0x40n)]),
        variable([name("fixed_percpu_data"), type("fixed"), external, location(0n)]),
        // An object of a discarded section: the linker resolved its address to 0.
        variable([name("__UNIQUE_ID___addressable_foo7"), type("int"), location(0n)]),
        variable([name("static_arr"), type("arr"), location(0x50n)]),
        variable([name("renamed"), type("int"), location(0x60n)]),
        variable([name("zero_sized"), type("int"), location(0x70n)]),
        variable([name("no_btf"), type("unrecorded"), location(0x74n)]),
        variable([name("too_big"), type("big"), location(0x80n)]),
        variable([name("overlapping"), type("int"), location(0x42n)]),
        variable([name("in_data"), type("int"), external, location(dataAddress + 0x10n)]),
        variable([name("reg_var"), type("int"), { at: DW_AT.location, form: DW_FORM.exprloc, value: [0x50] }]),
        {
          tag: DW_TAG.subprogram,
          attrs: [name("f")],
          children: [variable([name("local_static"), type("int"), location(0x90n)])],
        },
      ],
    },
  });
  b.unit({
    version: 5,
    root: {
      tag: DW_TAG.compile_unit,
      attrs: [name("b.c")],
      children: [
        // The same variable again, through a specification in the other unit.
        variable([{ at: DW_AT.specification, form: DW_FORM.ref_addr, value: { ref: "counter_decl" } }, location(0x40n)]),
        variable([name("late"), type("int", DW_FORM.ref_addr), external, location(0x88n)]),
      ],
    },
  });
  return { builder: b, dwarf: new DwarfFile(b.finish(), { littleEndian: true, name: "fixture" }) };
}

function buildInput(kind: "exec" | "rel"): { elf: ElfFile; dwarf: DwarfFile; builder: DwarfBuilder } {
  const dataAddress = kind === "exec" ? DATA_ADDR : 0n;
  const obj = (symbolName: string, value: number, size: number, section = 1, bind: number = STB.GLOBAL): BuildSymbol => ({
    name: symbolName, value: BigInt(value), size, type: STT.OBJECT, bind, section,
  });
  const symbols: BuildSymbol[] = [
    { name: "", type: STT.SECTION, bind: STB.LOCAL, section: 1 },
    { name: "__per_cpu_start", value: 0n, type: STT.NOTYPE, bind: STB.GLOBAL, section: 1 },
    obj("fixed_percpu_data", 0, 48),
    obj("counter", 0x40, 4),
    obj("overlapping", 0x42, 4),
    obj("static_arr", 0x50, 16, 1, STB.LOCAL),
    obj("renamed.lto_priv.0", 0x60, 4, 1, STB.LOCAL),
    obj("zero_sized", 0x70, 0),
    obj("no_btf", 0x74, 4),
    obj("too_big", 0x80, 8),
    obj("late", 0x88, 4),
    obj("local_static.0", 0x90, 4, 1, STB.LOCAL),
    obj("__UNIQUE_ID_generated12", 0x98, 4, 1, STB.LOCAL),
    obj("orphan", 0xa0, 4),
    { ...obj("in_data", 0x10, 4, 2), value: dataAddress + 0x10n },
  ];
  const bytes = buildElf({
    type: kind === "exec" ? ET.EXEC : ET.REL,
    sections: [
      { name: PERCPU, type: 1, flags: 3n, addr: 0n, data: new Uint8Array(0x100) },
      { name: ".data", type: 1, flags: 3n, addr: dataAddress, data: new Uint8Array(0x100) },
    ],
    symbols,
  });
  const { builder, dwarf } = buildDwarf(dataAddress);
  return { elf: ElfFile.fromBytes(bytes, `${kind}.fixture`), dwarf, builder };
}

/** The fake types plugin: int, struct fixed_data, int[4], struct big; "unrecorded" gets no type. */
function fakeTypes(builder: DwarfBuilder): EncoderPlugin {
  return {
    apply(encoder) {
      encoder.hooks.types.tap("fake-types", (encoding) => {
        const btf = encoding.btf;
        const int = btf.addInt("int", 4, 1, 0, 32);
        const fixed = btf.addStruct("fixed_data", 48, []);
        const arr = btf.addArray(int, int, 4);
        const big = btf.addStruct("big", 64, []);
        const dieTypes = new DieTypes();
        const ids: [string, number][] = [["int", int], ["fixed", fixed], ["arr", arr], ["big", big]];
        for (const [label, id] of ids) dieTypes.record("debug_info", builder.offsetOf(label), id);
        encoding.artifacts.set(DIE_TYPES_ARTIFACT, dieTypes);
      });
    },
  };
}

/** Includes the named sections and (as Encoding.includesVariable wants an answer) their variables. */
const includeSections = (names: string[]): EncoderPlugin => ({
  apply(encoder) {
    encoder.hooks.includeSection.tap("test-sections", (_e, s) => (names.includes(s.name) ? true : undefined));
    encoder.hooks.includeVariable.tap("test-sections", (_e, v) => (names.includes(v.section) ? true : undefined));
  },
});

async function encode(kind: "exec" | "rel", plugins: EncoderPlugin[], trace?: string[]): Promise<Encoding> {
  const { elf, dwarf, builder } = buildInput(kind);
  const encoder = new Encoder({ plugins: [fakeTypes(builder), new VariablesPlugin(), ...plugins], trace: trace && ((l) => void trace.push(l)) });
  return encoder.runOn({ path: `${kind}.fixture`, elf, dwarf });
}

/** The DATASECs as {section: [name, offset, size, linkage, type name]}. */
function datasecs(encoding: Encoding): Record<string, [string, number, number, string, string][]> {
  const btf = encoding.btf;
  const out: Record<string, [string, number, number, string, string][]> = {};
  const typeName = (id: number): string =>
    btf.kind(id) === BtfKind.ARRAY ? `${typeName(btf.word(id, 0))}[${btf.word(id, 2)}]` : btf.name(id);
  for (let id = 1; id <= btf.lastId; id++) {
    if (btf.kind(id) !== BtfKind.DATASEC) continue;
    expect(btf.sizeOrType(id)).toBe(0x100);
    out[btf.name(id)] = Array.from({ length: btf.vlen(id) }, (_, i) => {
      const v = btf.word(id, i * 3);
      expect(btf.kind(v)).toBe(BtfKind.VAR);
      const linkage = btf.word(v, 0) === BtfVarLinkage.GLOBAL_ALLOCATED ? "global" : "static";
      return [btf.name(v), btf.word(id, i * 3 + 1), btf.word(id, i * 3 + 2), linkage, typeName(btf.sizeOrType(v))];
    });
  }
  return out;
}

const PERCPU_EXPECTED: [string, number, number, string, string][] = [
  ["fixed_percpu_data", 0, 48, "global", "fixed_data"],
  ["counter", 0x40, 4, "global", "int"],
  ["static_arr", 0x50, 16, "static", "int[4]"],
  ["renamed", 0x60, 4, "static", "int"],
  ["late", 0x88, 4, "global", "int"],
];

describe.each(["exec", "rel"] as const)("variable emitter, %s input", (kind) => {
  test("the per-CPU section: sorted VARs from the symbols, offset 0 kept, every skip counted", async () => {
    const trace: string[] = [];
    const encoding = await encode(kind, [includeSections([PERCPU])], trace);
    expect(datasecs(encoding)).toEqual({ [PERCPU]: PERCPU_EXPECTED });
    const stats = encoding.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats;
    expect(stats.vars).toBe(5);
    expect(stats.datasecs).toBe(1);
    expect(stats.includedSections).toEqual([PERCPU]);
    expect(stats.sections[PERCPU]).toEqual({ vars: 5, bytes: 48 + 4 + 16 + 4 + 4, size: 0x100 });
    expect(stats.skipped).toEqual({
      // __UNIQUE_ID___addressable_foo7 at address 0, where fixed_percpu_data is
      ...(kind === "exec" ? { discarded: 1 } : { "no-symbol": 1 }),
      "zero-size": 1,
      "no-type": 1,
      "type-larger-than-symbol": 1,
      "section-excluded": 1, // in_data
      "no-address": 1, // reg_var
      duplicate: 1, // counter from b.c
      overlap: 1,
      "section-symbol": 1,
      "not-object": 1, // __per_cpu_start
      "generated-symbol": 1,
      "no-dwarf": 1, // orphan
      "local-static": 1, // local_static.0: function-local statics are not file scope
    });
    expect(stats.definitions).toBe(13);
    expect(trace.some((l) => l.includes("skip overlapping") && l.includes("overlaps"))).toBe(true);
    expect(trace.some((l) => l.includes("skip symbol __per_cpu_start"))).toBe(true);
    expect(validateBtf(writeBtf(encoding.btf)).ok).toBe(true);
  });

  test("every allocated section that is included gets its DATASEC, in section order", async () => {
    const encoding = await encode(kind, [includeSections([PERCPU, ".data"])]);
    expect(datasecs(encoding)).toEqual({ [PERCPU]: PERCPU_EXPECTED, ".data": [["in_data", 0x10, 4, "global", "int"]] });
    const btf = encoding.btf;
    const kinds = Array.from({ length: btf.lastId }, (_, i) => btf.kind(i + 1)).filter((k) => k >= BtfKind.VAR);
    // Each section's VARs, then its DATASEC.
    expect(kinds).toEqual([...Array(5).fill(BtfKind.VAR), BtfKind.DATASEC, BtfKind.VAR, BtfKind.DATASEC]);
  });

  test("includeVariable sees the candidate with its linkage and offset, and can veto it", async () => {
    const seen: VariableInfo[] = [];
    const veto: EncoderPlugin = {
      apply(encoder) {
        encoder.hooks.includeVariable.tap({ name: "veto", stage: -1 }, (_e, v) => (seen.push(v), v.name === "counter" ? false : undefined));
      },
    };
    const encoding = await encode(kind, [includeSections([PERCPU]), veto]);
    expect(datasecs(encoding)[PERCPU]!.map((e) => e[0])).toEqual(["fixed_percpu_data", "overlapping", "static_arr", "renamed", "late"]);
    const counter = seen.find((v) => v.name === "counter")!;
    expect(isVariableCandidate(counter) && counter.external && counter.offset === 0x40 && counter.section === PERCPU).toBe(true);
    expect(seen.find((v) => v.name === "static_arr")).toMatchObject({ external: false, size: 16, offset: 0x50 });
    // With counter out, overlapping (0x42) no longer overlaps anything. The duplicate from b.c asks again: its first description was vetoed, not encoded.
    expect(seen.filter((v) => v.name === "counter")).toHaveLength(2);
    expect((encoding.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats).skipped["variable-excluded"]).toBe(2);
  });
});

describe("variable emitter, cost when unused", () => {
  test("without an includeSection tap it adds nothing and reads no symbol or DWARF", async () => {
    const { elf, dwarf } = buildInput("exec");
    let symbolsRead = false;
    const spied = Object.create(elf, { symbols: { value: () => ((symbolsRead = true), elf.symbols()) } }) as ElfFile;
    // No types plugin either: the emitter must not even ask for the DWARF type index.
    const encoding = await new Encoder({ plugins: [new VariablesPlugin()] }).runOn({ path: "x", elf: spied, dwarf });
    expect(encoding.btf.count).toBe(0);
    expect(symbolsRead).toBe(false);
    expect(encoding.artifacts.has(VARIABLES_ARTIFACT)).toBe(false);
  });

  test("a tap that includes nothing: no DWARF walked, empty figures", async () => {
    const { elf, dwarf } = buildInput("exec");
    const encoding = await new Encoder({ plugins: [new VariablesPlugin(), includeSections([".nothing"])] }).runOn({ path: "x", elf, dwarf });
    const stats = encoding.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats;
    expect(stats).toMatchObject({ vars: 0, datasecs: 0, includedSections: [], skipped: {}, definitions: 0 });
    expect(encoding.btf.count).toBe(0);
  });
});
