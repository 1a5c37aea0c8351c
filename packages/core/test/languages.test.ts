// lang_exclude and units in languages other than C, on hand-built DWARF (no compiler): excluded
// units contribute no type and no subprogram; a unit left in that BTF cannot fully describe
// (C++, Rust) never fails: names BTF cannot carry are dropped and counted in one warning per unit,
// fields Rust reorders are put in offset order, zero-sized base types become empty structs. The
// same invalid name in a C unit stays an error. Real objects: test/lang-exclude.test.ts.
import { describe, expect, test } from "vitest";
import { type BtfTable, validateBtf, writeBtf } from "@btforge/btf";
import { DW_AT, DW_ATE, DW_FORM, DW_LANG, DW_TAG, DwarfFile } from "@btforge/dwarf";
import type { ElfFile } from "@btforge/elf";
import { type BtforgeError, emptyConfig, Encoder, type Features, NO_FEATURES, SUBPROGRAMS_ARTIFACT, type SubprogramList, TYPES_ARTIFACT, TypesPlugin, type TypesStats } from "@btforge/core";
import { type Attr, type Die, DwarfBuilder } from "../../dwarf/test/builder.js";

const name = (value: string): Attr => ({ at: DW_AT.name, form: DW_FORM.string, value });
const size = (n: number): Attr => ({ at: DW_AT.byte_size, form: DW_FORM.data1, value: n });
const type = (label: string): Attr => ({ at: DW_AT.type, form: DW_FORM.ref4, value: { ref: label } });
const at = (byte: number): Attr => ({ at: DW_AT.data_member_location, form: DW_FORM.data1, value: byte });
const base = (label: string, n: string, bytes: number, ate: number): Die => ({
  tag: DW_TAG.base_type,
  label,
  attrs: [name(n), size(bytes), { at: DW_AT.encoding, form: DW_FORM.data1, value: ate }],
});
const member = (n: string, label: string, byte: number): Die => ({ tag: DW_TAG.member, attrs: [name(n), type(label), at(byte)] });
const struct = (n: string, bytes: number, members: Die[]): Die => ({ tag: DW_TAG.structure_type, attrs: [name(n), size(bytes)], children: members });
const subprogram = (n: string): Die => ({ tag: DW_TAG.subprogram, attrs: [name(n), { at: DW_AT.external, form: DW_FORM.flag_present }] });

/** A compile unit in `lang` (undefined: no DW_AT_language). */
const unit = (file: string, lang: number | undefined, children: Die[]): Die => ({
  tag: DW_TAG.compile_unit,
  attrs: [name(file), ...(lang === undefined ? [] : [{ at: DW_AT.language, form: DW_FORM.data1, value: lang }])],
  children,
});

const C_UNIT = unit("c.c", DW_LANG.C99, [base("int", "int", 4, DW_ATE.signed), struct("c_only", 8, [member("a", "int", 0), member("b", "int", 4)]), subprogram("c_func")]);
// What rustc writes: generic and path names, fields listed as declared but laid out reordered, ().
const RUST_UNIT = unit("lib.rs/@/cgu.0", DW_LANG.Rust, [
  base("u8", "u8", 1, DW_ATE.unsigned),
  base("u64", "u64", 8, DW_ATE.unsigned),
  base("unit", "()", 0, DW_ATE.unsigned),
  struct("Point", 24, [member("x", "u8", 16), member("y", "u64", 0), member("nothing", "unit", 17), member("z", "u64", 8)]),
  struct("Option<u64>", 16, [member("tag", "u8", 0), member("value", "u64", 8)]),
  subprogram("rust_fn"),
]);

function dwarfOf(units: Die[]): DwarfFile {
  const b = new DwarfBuilder(true);
  for (const root of units) b.unit({ version: 5, root });
  return new DwarfFile(b.finish(), { littleEndian: true, name: "mixed.o" });
}

async function encode(units: Die[], features: Partial<Features> = {}) {
  const config = { ...emptyConfig("test"), features: { ...NO_FEATURES, ...features } };
  const encoder = new Encoder({ config, plugins: [new TypesPlugin()] });
  const e = await encoder.runOn({ path: "mixed.o", elf: {} as ElfFile, dwarf: dwarfOf(units) }, { until: "types" });
  return {
    btf: e.btf,
    warnings: e.diagnostics.map((d) => d.message),
    stats: e.artifacts.get(TYPES_ARTIFACT) as TypesStats,
    subprograms: (e.artifacts.get(SUBPROGRAMS_ARTIFACT) as SubprogramList).length,
  };
}

const named = (t: BtfTable) => Array.from({ length: t.count }, (_, i) => t.typeView(i + 1)).filter((v) => v.name !== "").map((v) => `${v.kind} ${v.name}`);

describe("lang_exclude", () => {
  test("a Rust unit left out contributes no type and no subprogram; the C unit is untouched", async () => {
    const only = await encode([C_UNIT]);
    const r = await encode([C_UNIT, RUST_UNIT], { lang_exclude: ["rust"] });
    expect(named(r.btf)).toEqual(["INT int", "STRUCT c_only"]);
    expect(writeBtf(r.btf)).toEqual(writeBtf(only.btf));
    expect(r.subprograms).toBe(1);
    expect(r.stats).toMatchObject({ units: 1, excludedUnits: { rust: 1 } });
    expect(r.warnings).toEqual([]);
  });

  test("names are pahole's, in any case; c++ is DW_LANG_C_plus_plus only, c++14 its own", async () => {
    const cxx14 = unit("a.cc", DW_LANG.C_plus_plus_14, [struct("Box<int>", 4, [])]);
    expect((await encode([C_UNIT, RUST_UNIT], { lang_exclude: ["RUST"] })).stats.excludedUnits).toEqual({ rust: 1 });
    expect((await encode([C_UNIT, cxx14], { lang_exclude: ["c++"] })).stats.excludedUnits).toEqual({});
    expect((await encode([C_UNIT, cxx14], { lang_exclude: ["c++14"] })).stats.excludedUnits).toEqual({ "c++14": 1 });
    // C itself can be left out; a unit without DW_AT_language is never matched.
    const r = await encode([C_UNIT, unit("old.c", undefined, [base("int", "int", 4, DW_ATE.signed)])], { lang_exclude: ["c99"] });
    expect(r.stats).toMatchObject({ units: 1, excludedUnits: { c99: 1 } });
  });
});

test("a reference from a unit left in to a type in a unit left out becomes void, with a warning", async () => {
  const rust = unit("lib.rs", DW_LANG.Rust, [base("rust_u32", "u32", 4, DW_ATE.unsigned)]);
  const user = unit("user.c", DW_LANG.C99, [
    struct("uses_rust", 4, [{ tag: DW_TAG.member, attrs: [name("r"), { at: DW_AT.type, form: DW_FORM.ref_addr, value: { ref: "rust_u32" } }, at(0)] }]),
  ]);
  const memberType = (t: BtfTable) => (Array.from({ length: t.count }, (_, i) => t.typeView(i + 1)).find((v) => v.name === "uses_rust")!.members as { type: number }[])[0]!.type;
  const left = await encode([rust, user], { lang_exclude: ["rust"] });
  expect(memberType(left.btf)).toBe(0);
  expect(left.warnings).toEqual([expect.stringMatching(/^DIE 0x[0-9a-f]+ refers to DIE 0x[0-9a-f]+ of \.debug_info, in a unit lang_exclude leaves out; void used$/)]);
  const kept = await encode([rust, user]);
  expect(kept.btf.typeView(memberType(kept.btf))).toMatchObject({ kind: "INT", name: "u32" });
});

describe("units in languages BTF cannot fully describe, left in", () => {
  test("Rust: invalid names dropped (one warning for the unit), fields in offset order, () an empty struct; valid BTF", async () => {
    const r = await encode([C_UNIT, RUST_UNIT]);
    expect(r.warnings).toEqual([
      'unit "lib.rs/@/cgu.0" (rust): 1 name BTF cannot carry dropped (the types stay, anonymous); lang_exclude=rust leaves such units out',
    ]);
    const views = Array.from({ length: r.btf.count }, (_, i) => r.btf.typeView(i + 1));
    const point = views.find((v) => v.name === "Point")!;
    expect((point.members as { name: string; bitOffset: number }[]).map((m) => [m.name, m.bitOffset])).toEqual([
      ["y", 0],
      ["z", 64],
      ["x", 128],
      ["nothing", 136],
    ]);
    const nothing = (point.members as { type: number }[])[3]!.type;
    expect(r.btf.typeView(nothing)).toMatchObject({ kind: "STRUCT", name: "", size: 0, members: [] });
    expect(views.filter((v) => v.kind === "STRUCT" && v.size === 16)).toMatchObject([{ name: "" }]);
    expect(validateBtf(writeBtf(r.btf)).ok).toBe(true);
    expect(r.subprograms).toBe(2);
  });

  test("the same invalid name in a C unit is still an error (encode_force makes it a warning)", async () => {
    const bad = unit("bad.c", DW_LANG.C11, [struct("Option<u64>", 4, [])]);
    const err = await encode([bad]).catch((e: unknown) => e as BtforgeError);
    expect((err as BtforgeError).code).toBe("INVALID_NAME");
    const forced = await encode([bad], { encode_force: true });
    expect(forced.warnings).toEqual([expect.stringMatching(/^struct at DIE 0x[0-9a-f]+: invalid name "Option<u64>" dropped \(encode_force\)$/)]);
  });
});
