// The types plugin on hand-built DWARF (no compiler): every construct's BTF form, the pahole
// conventions it follows, and the bad inputs it must name clearly (loops, offsets past the end,
// references to non-types, invalid names, tags it does not know).
import { describe, expect, test } from "vitest";
import { type BtfTable, BtfKind, validateBtf, writeBtf } from "@btforge/btf";
import { DW_AT, DW_ATE, DW_FORM, DW_TAG, DW_UT, DwarfFile } from "@btforge/dwarf";
import type { ElfFile } from "@btforge/elf";
import { BtforgeError, DIE_TYPES_ARTIFACT, DieTypes, Encoder, TypesPlugin, emptyConfig, type Features, NO_FEATURES } from "@btforge/core";
import { type Attr, type Die, DwarfBuilder } from "../../dwarf/test/builder.js";

const name = (value: string): Attr => ({ at: DW_AT.name, form: DW_FORM.string, value });
const size = (n: number): Attr => ({ at: DW_AT.byte_size, form: DW_FORM.data1, value: n });
const type = (label: string, form: number = DW_FORM.ref4): Attr => ({ at: DW_AT.type, form, value: { ref: label } });
const base = (label: string, n: string, bytes: number, ate: number): Die => ({
  tag: DW_TAG.base_type,
  label,
  attrs: [name(n), size(bytes), { at: DW_AT.encoding, form: DW_FORM.data1, value: ate }],
});
const INT = base("int", "int", 4, DW_ATE.signed);
const member = (n: string | undefined, label: string, attrs: Attr[] = []): Die => ({
  tag: DW_TAG.member,
  attrs: [...(n ? [name(n)] : []), type(label), ...attrs],
});
const at = (byte: number): Attr => ({ at: DW_AT.data_member_location, form: DW_FORM.data1, value: byte });
const cu = (children: Die[]): Die => ({ tag: DW_TAG.compile_unit, attrs: [name("t.c")], children });

function dwarfOf(roots: Die[][], littleEndian = true, version = 5): DwarfFile {
  return built(roots, littleEndian, version).dwarf;
}

/** The DWARF and the builder that made it, which knows each labelled DIE's offset. */
function built(roots: Die[][], littleEndian = true, version = 5): { dwarf: DwarfFile; b: DwarfBuilder } {
  const b = new DwarfBuilder(littleEndian);
  for (const children of roots) b.unit({ version, root: cu(children) });
  return { dwarf: new DwarfFile(b.finish(), { littleEndian, name: "test.o" }), b };
}

const hex = (n: number) => `0x${n.toString(16)}`;

async function encode(dwarf: DwarfFile, features: Partial<Features> = {}): Promise<{ btf: BtfTable; warnings: string[]; types: DieTypes }> {
  const config = { ...emptyConfig("test"), features: { ...NO_FEATURES, ...features } };
  const encoder = new Encoder({ config, plugins: [new TypesPlugin()] });
  // Only the types phase runs: it needs no ELF.
  const e = await encoder.runOn({ path: "test.o", elf: {} as ElfFile, dwarf }, { until: "types" });
  return { btf: e.btf, warnings: e.diagnostics.map((d) => d.message), types: e.artifacts.get(DIE_TYPES_ARTIFACT) as DieTypes };
}

async function encodeError(dwarf: DwarfFile, features: Partial<Features> = {}): Promise<BtforgeError> {
  try {
    await encode(dwarf, features);
  } catch (err) {
    return err as BtforgeError;
  }
  throw new Error("expected the encoding to fail");
}

const views = (t: BtfTable) => Array.from({ length: t.count }, (_, i) => t.typeView(i + 1));
const valid = (t: BtfTable) => validateBtf(writeBtf(t)).ok;

describe("types plugin: constructs", () => {
  test("bitfields set kind_flag; DWARF 4+ data_bit_offset and DWARF 2 bit_offset agree on both byte orders", async () => {
    const dwarf5 = [
      INT,
      { tag: DW_TAG.structure_type, attrs: [name("bf"), size(8)], children: [
        member("a", "int", [{ at: DW_AT.bit_size, form: DW_FORM.data1, value: 3 }, { at: DW_AT.data_bit_offset, form: DW_FORM.data1, value: 0 }]),
        member("b", "int", [{ at: DW_AT.bit_size, form: DW_FORM.data1, value: 5 }, { at: DW_AT.data_bit_offset, form: DW_FORM.data1, value: 3 }]),
        member("c", "int", [at(4)]),
      ] },
    ];
    // DWARF 2: offsets counted from the storage unit's most significant bit.
    const dwarf2 = (le: boolean): Die[] => [
      INT,
      { tag: DW_TAG.structure_type, attrs: [name("bf"), size(8)], children: [
        member("a", "int", [size(4), { at: DW_AT.bit_size, form: DW_FORM.data1, value: 3 }, { at: DW_AT.bit_offset, form: DW_FORM.data1, value: le ? 29 : 0 }, at(0)]),
        member("b", "int", [size(4), { at: DW_AT.bit_size, form: DW_FORM.data1, value: 5 }, { at: DW_AT.bit_offset, form: DW_FORM.data1, value: le ? 24 : 3 }, at(0)]),
        member("c", "int", [at(4)]),
      ] },
    ];
    const expected = [
      { name: "a", bitOffset: 0, bitfieldSize: 3 },
      { name: "b", bitOffset: 3, bitfieldSize: 5 },
      { name: "c", bitOffset: 32, bitfieldSize: 0 },
    ];
    for (const dwarf of [dwarfOf([dwarf5]), dwarfOf([dwarf2(true)], true, 2), dwarfOf([dwarf2(false)], false, 2)]) {
      const { btf } = await encode(dwarf);
      const s = views(btf).find((v) => v.kind === "STRUCT")!;
      expect(btf.kindFlag(s.id)).toBe(true);
      expect((s.members as { name: string; bitOffset: number; bitfieldSize: number }[]).map((m) => ({ name: m.name, bitOffset: m.bitOffset, bitfieldSize: m.bitfieldSize }))).toEqual(expected);
      expect(valid(btf)).toBe(true);
    }
  });

  test("arrays: multi-dimensional flattened (as pahole), flexible and zero-length give 0, index type is the unit's int", async () => {
    const sub = (attrs: Attr[]): Die => ({ tag: DW_TAG.subrange_type, attrs });
    const { btf } = await encode(dwarfOf([[
      INT,
      { tag: DW_TAG.array_type, attrs: [type("int")], children: [sub([{ at: DW_AT.upper_bound, form: DW_FORM.data1, value: 1 }]), sub([{ at: DW_AT.count, form: DW_FORM.data1, value: 3 }])] },
      { tag: DW_TAG.array_type, attrs: [type("int")], children: [sub([])] },
      { tag: DW_TAG.array_type, attrs: [type("int")], children: [sub([{ at: DW_AT.upper_bound, form: DW_FORM.data4, value: 0xffffffff }])] },
      { tag: DW_TAG.array_type, attrs: [type("int")], children: [sub([{ at: DW_AT.upper_bound, form: DW_FORM.data8, value: 0xffffffffffffffffn }])] },
      // 0xff in one byte is a bound of 255: 256 elements, not the zero-length marker.
      { tag: DW_TAG.array_type, attrs: [type("int")], children: [sub([{ at: DW_AT.upper_bound, form: DW_FORM.data1, value: 0xff }])] },
    ]]));
    const arrays = views(btf).filter((v) => v.kind === "ARRAY");
    expect(arrays.map((a) => a.nelems)).toEqual([6, 0, 0, 0, 256]);
    expect(arrays.every((a) => a.indexType === 1 && a.type === 1)).toBe(true);
    expect(views(btf).some((v) => v.name === "__ARRAY_SIZE_TYPE__")).toBe(false);
  });

  test("a unit without int gets one __ARRAY_SIZE_TYPE__ for the whole run", async () => {
    const arr = (elem: string): Die => ({ tag: DW_TAG.array_type, attrs: [type(elem)], children: [{ tag: DW_TAG.subrange_type, attrs: [{ at: DW_AT.count, form: DW_FORM.data1, value: 2 }] }] });
    const char = (label: string) => base(label, "char", 1, DW_ATE.signed_char);
    const { btf } = await encode(dwarfOf([[char("c1"), arr("c1")], [char("c2"), arr("c2")]]));
    expect(views(btf).filter((v) => v.name === "__ARRAY_SIZE_TYPE__")).toHaveLength(1);
    expect(valid(btf)).toBe(true);
  });

  test("enums: signedness from values, ENUM64 only with the enum64 feature, declarations as value-less ENUM", async () => {
    const enumerator = (n: string, form: number, value: number | bigint): Die => ({ tag: DW_TAG.enumerator, attrs: [name(n), { at: DW_AT.const_value, form, value }] });
    const units = [[
      { tag: DW_TAG.enumeration_type, attrs: [name("neg"), size(4)], children: [enumerator("M1", DW_FORM.sdata, -1), enumerator("P1", DW_FORM.udata, 1)] },
      { tag: DW_TAG.enumeration_type, attrs: [name("wide"), size(8)], children: [enumerator("BIG", DW_FORM.data8, 0x1_0000_0002n)] },
      { tag: DW_TAG.enumeration_type, attrs: [name("later"), { at: DW_AT.declaration, form: DW_FORM.flag_present }] },
    ]];
    const with64 = views((await encode(dwarfOf(units), { enum64: true })).btf);
    expect(with64.map((v) => [v.kind, v.name])).toEqual([["ENUM", "neg"], ["ENUM64", "wide"], ["ENUM", "later"]]);
    expect(with64[0]!.signed).toBe(true);
    expect(with64[1]!.signed).toBe(false);
    expect(with64[2]!.values).toEqual([]);
    const without = views((await encode(dwarfOf(units), { enum64: false })).btf);
    expect(without[1]!.kind).toBe("ENUM");
    expect((without[1]!.values as { value: number }[])[0]!.value).toBe(2);
  });

  test("floats: FLOAT with the float feature, else INT (pahole without --btf_gen_floats); odd sizes sanitized", async () => {
    const units = [[base("d", "double", 8, DW_ATE.float), base("u24", "DW_ATE_unsigned_24", 3, DW_ATE.unsigned)]];
    expect(views((await encode(dwarfOf(units), { float: true })).btf).map((v) => [v.kind, v.name])).toEqual([["FLOAT", "double"], ["INT", "__SANITIZED_FAKE_INT__"]]);
    expect(views((await encode(dwarfOf(units), { float: false })).btf)[0]!.kind).toBe("INT");
  });

  test("function pointers: FUNC_PROTO with varargs; atomic is transparent; declarations become FWD", async () => {
    const { btf } = await encode(dwarfOf([[
      INT,
      { tag: DW_TAG.subroutine_type, label: "fn", attrs: [type("int"), { at: DW_AT.prototyped, form: DW_FORM.flag_present }], children: [
        { tag: DW_TAG.formal_parameter, attrs: [type("int")] },
        { tag: DW_TAG.unspecified_parameters },
      ] },
      { tag: DW_TAG.pointer_type, attrs: [size(8), type("fn")] },
      { tag: DW_TAG.atomic_type, label: "aint", attrs: [type("int")] },
      { tag: DW_TAG.typedef, attrs: [name("atomic_int_t"), type("aint")] },
      { tag: DW_TAG.union_type, attrs: [name("u"), { at: DW_AT.declaration, form: DW_FORM.flag_present }] },
    ]]));
    const v = views(btf);
    const proto = v.find((x) => x.kind === "FUNC_PROTO")!;
    expect((proto.params as { type: number }[]).map((p) => p.type)).toEqual([1, 0]);
    expect(v.find((x) => x.kind === "TYPEDEF")!.type).toBe(1);
    expect(v.find((x) => x.kind === "FWD")).toMatchObject({ name: "u", fwdKind: "union" });
    expect(valid(btf)).toBe(true);
  });

  test("references across units (ref_addr) and into type units (ref_sig8) resolve; the DIE index answers for each", async () => {
    const b = new DwarfBuilder(true);
    b.unit({ version: 5, unitType: DW_UT.type, signature: 0x1234n, typeLabel: "tu_s", root: { tag: DW_TAG.type_unit, children: [
      { tag: DW_TAG.structure_type, label: "tu_s", attrs: [name("in_tu"), size(4)], children: [member("x", "tu_int", [at(0)])] },
      base("tu_int", "int", 4, DW_ATE.signed),
    ] } });
    b.unit({ version: 5, root: cu([INT]) });
    b.unit({ version: 5, root: cu([
      { tag: DW_TAG.typedef, attrs: [name("from_other_unit"), type("int", DW_FORM.ref_addr)] },
      { tag: DW_TAG.pointer_type, attrs: [size(8), { at: DW_AT.type, form: DW_FORM.ref_sig8, value: 0x1234n }] },
    ]) });
    const dwarf = new DwarfFile(b.finish(), { littleEndian: true, name: "test.o" });
    const { btf, types } = await encode(dwarf);
    const v = views(btf);
    const intId = v.find((x) => x.name === "int" && types.typeId("debug_info", b.offsetOf("int")) === x.id)!.id;
    expect(v.find((x) => x.name === "from_other_unit")!.type).toBe(intId);
    expect(btf.kind(v.find((x) => x.kind === "PTR")!.type as number)).toBe(BtfKind.STRUCT);
    expect(valid(btf)).toBe(true);
  });
});

describe("types plugin: bad DWARF", () => {
  test("a typedef loop is one error naming the file, the unit and the DIEs of the loop", async () => {
    const { dwarf, b } = built([[
      { tag: DW_TAG.typedef, label: "a", attrs: [name("a_t"), type("b")] },
      { tag: DW_TAG.typedef, label: "b", attrs: [name("b_t"), type("a")] },
    ]]);
    const err = await encodeError(dwarf);
    const [a, t] = [hex(b.offsetOf("a")), hex(b.offsetOf("b"))];
    expect(err.code).toBe("TYPE_LOOP");
    expect(err.location).toMatchObject({ file: "test.o", section: ".debug_info", unit: 0, die: b.offsetOf("a") });
    expect(err.message).toBe(
      `test.o: section .debug_info, unit 0x0, DIE ${a}: DWARF types refer to each other in a loop: ` +
        `DIE ${a} (DW_TAG_typedef 'a_t') → DIE ${t} (DW_TAG_typedef 'b_t') → DIE ${a} (DW_TAG_typedef 'a_t')`,
    );
  });

  test("a pointer whose DW_AT_type is itself is a reference loop named by its DIE, before dedup sees it", async () => {
    const { dwarf, b } = built([[{ tag: DW_TAG.pointer_type, label: "p", attrs: [size(8), type("p")] }]]);
    const err = await encodeError(dwarf);
    const p = hex(b.offsetOf("p"));
    expect(err.code).toBe("REFERENCE_LOOP");
    expect(err.message).toBe(
      `test.o: section .debug_info, unit 0x0, DIE ${p}: DWARF types refer to each other in a loop that no struct or union breaks: ` +
        `DIE ${p} (DW_TAG_pointer_type) → DIE ${p} (DW_TAG_pointer_type)`,
    );
  });

  test("a cycle through pointers, a qualifier and a function type names every DIE of the cycle in order", async () => {
    const { dwarf, b } = built([[
      INT,
      { tag: DW_TAG.pointer_type, label: "p", attrs: [size(8), type("c")] },
      { tag: DW_TAG.const_type, label: "c", attrs: [type("f")] },
      { tag: DW_TAG.subroutine_type, label: "f", attrs: [type("int")], children: [{ tag: DW_TAG.formal_parameter, attrs: [type("q")] }] },
      { tag: DW_TAG.pointer_type, label: "q", attrs: [size(8), type("p")] },
    ]]);
    const err = await encodeError(dwarf);
    const [p, c, f, q] = ["p", "c", "f", "q"].map((l) => hex(b.offsetOf(l)));
    expect(err.code).toBe("REFERENCE_LOOP");
    expect(err.location).toMatchObject({ file: "test.o", unit: 0, die: b.offsetOf("p") });
    expect(err.message).toMatch(
      `: DIE ${p} (DW_TAG_pointer_type) → DIE ${c} (DW_TAG_const_type) → DIE ${f} (DW_TAG_subroutine_type) → DIE ${q} (DW_TAG_pointer_type) → DIE ${p} (DW_TAG_pointer_type)`,
    );
  });

  test("a pointer loop across units (DW_FORM_ref_addr) names the other unit of each DIE outside the first", async () => {
    const { dwarf, b } = built([
      [{ tag: DW_TAG.pointer_type, label: "p1", attrs: [size(8), type("p2", DW_FORM.ref_addr)] }],
      [{ tag: DW_TAG.pointer_type, label: "p2", attrs: [size(8), type("p1", DW_FORM.ref_addr)] }],
    ]);
    const err = await encodeError(dwarf);
    const second = dwarf.units()[1]!.offset;
    expect(err.code).toBe("REFERENCE_LOOP");
    expect(err.message).toContain(`DIE ${hex(b.offsetOf("p1"))} (DW_TAG_pointer_type) → DIE ${hex(b.offsetOf("p2"))} in unit ${hex(second)} (DW_TAG_pointer_type)`);
  });

  test("a loop of types with no BTF form of their own (_Atomic, unnamed typedef) names its DIEs", async () => {
    const { dwarf, b } = built([[
      { tag: DW_TAG.pointer_type, label: "p", attrs: [size(8), type("a")] },
      { tag: DW_TAG.atomic_type, label: "a", attrs: [type("t")] },
      { tag: DW_TAG.typedef, label: "t", attrs: [type("a")] },
    ]]);
    const err = await encodeError(dwarf);
    const [a, t] = [hex(b.offsetOf("a")), hex(b.offsetOf("t"))];
    expect(err.code).toBe("TYPE_LOOP");
    expect(err.message).toBe(
      `test.o: section .debug_info, unit 0x0, DIE ${hex(b.offsetOf("p"))}: DWARF types refer to each other in a loop: ` +
        `DIE ${a} (DW_TAG_atomic_type) → DIE ${t} (DW_TAG_typedef) → DIE ${a} (DW_TAG_atomic_type), none of which has a BTF type of its own`,
    );
  });

  test("the same loop reached from another unit (DW_FORM_ref_addr) is named the same way", async () => {
    const { dwarf, b } = built([
      [{ tag: DW_TAG.pointer_type, label: "p", attrs: [size(8), type("a", DW_FORM.ref_addr)] }],
      [
        { tag: DW_TAG.atomic_type, label: "a", attrs: [type("t")] },
        { tag: DW_TAG.typedef, label: "t", attrs: [type("a")] },
      ],
    ]);
    const err = await encodeError(dwarf);
    const [a, t] = [hex(b.offsetOf("a")), hex(b.offsetOf("t"))];
    expect(err.code).toBe("TYPE_LOOP");
    expect(err.location).toMatchObject({ file: "test.o", die: b.offsetOf("p") });
    expect(err.message).toMatch(`: DIE ${a} (DW_TAG_atomic_type) → DIE ${t} (DW_TAG_typedef) → DIE ${a} (DW_TAG_atomic_type), none of which has a BTF type of its own`);
  });

  test("a reference through an alias to something that is no type names where the aliases end", async () => {
    const { dwarf, b } = built([
      [{ tag: DW_TAG.pointer_type, label: "p", attrs: [size(8), type("a", DW_FORM.ref_addr)] }],
      [{ tag: DW_TAG.atomic_type, label: "a", attrs: [type("v")] }, { tag: DW_TAG.variable, label: "v", attrs: [name("v")] }],
    ]);
    const err = await encodeError(dwarf);
    expect(err.code).toBe("DWARF_NOT_A_TYPE");
    expect(err.message).toMatch(`refers to DIE ${hex(b.offsetOf("v"))} of .debug_info as its type: it is a DW_TAG_variable, which has no BTF form`);
  });

  test("a loop a struct breaks, and one through an _Atomic alias, are told apart", async () => {
    // struct s { struct s *next; }: fine. A pointer to an _Atomic of itself: a loop, named by the pointer.
    const fine = await encode(dwarfOf([[
      { tag: DW_TAG.structure_type, label: "s", attrs: [name("s"), size(8)], children: [member("next", "ps", [at(0)])] },
      { tag: DW_TAG.pointer_type, label: "ps", attrs: [size(8), type("s")] },
    ]]));
    expect(valid(fine.btf)).toBe(true);
    const { dwarf, b } = built([[
      { tag: DW_TAG.pointer_type, label: "p", attrs: [size(8), type("a")] },
      { tag: DW_TAG.atomic_type, label: "a", attrs: [type("p")] },
    ]]);
    const err = await encodeError(dwarf);
    expect(err.code).toBe("REFERENCE_LOOP");
    expect(err.message).toMatch(new RegExp(`: DIE ${hex(b.offsetOf("p"))} \\(DW_TAG_pointer_type\\) → DIE ${hex(b.offsetOf("p"))} \\(DW_TAG_pointer_type\\)$`));
  });

  test("a member offset past the end of its struct names the member's DIE", async () => {
    const err = await encodeError(dwarfOf([[INT, { tag: DW_TAG.structure_type, attrs: [name("s"), size(4)], children: [member("x", "int", [at(8)])] }]]));
    expect(err.code).toBe("DWARF_VALUE_OUT_OF_RANGE");
    expect(err.message).toMatch(/member at DIE 0x[0-9a-f]+: bit offset 64 \(past the end of its 4-byte struct\) does not fit BTF$/);
    expect(err.location?.die).toBeGreaterThan(0);
  });

  test("a type reference to a non-type is an error; encode_force makes it void with a warning", async () => {
    const units = [[{ tag: DW_TAG.variable, label: "v", attrs: [name("v")] }, { tag: DW_TAG.typedef, attrs: [name("t"), type("v")] }]];
    const err = await encodeError(dwarfOf(units));
    expect(err.code).toBe("DWARF_NOT_A_TYPE");
    expect(err.message).toMatch(/refers to DIE 0x[0-9a-f]+ as its type: it is a DW_TAG_variable/);
    const forced = await encode(dwarfOf(units), { encode_force: true });
    expect(forced.warnings.join("\n")).toMatch(/void used \(encode_force\)/);
    expect(views(forced.btf)[0]).toMatchObject({ kind: "TYPEDEF", type: 0 });
  });

  test("an invalid name is an error; encode_force drops it with a warning", async () => {
    const units = [[INT, { tag: DW_TAG.structure_type, attrs: [name("bad name"), size(4)], children: [member("x", "int", [at(0)])] }]];
    expect((await encodeError(dwarfOf(units))).code).toBe("INVALID_NAME");
    const forced = await encode(dwarfOf(units), { encode_force: true });
    expect(views(forced.btf)[1]).toMatchObject({ kind: "STRUCT", name: "" });
    expect(forced.warnings).toHaveLength(1);
  });

  test("an unknown tag is walked through (documented skip): types inside it are still encoded", async () => {
    const { btf } = await encode(dwarfOf([[{ tag: 0x5ffe, children: [INT] }]]));
    expect(views(btf).map((v) => v.name)).toEqual(["int"]);
  });
});
