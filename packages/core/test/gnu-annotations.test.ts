// GCC 16's btf_decl_tag / btf_type_tag (DW_TAG_GNU_annotation, chained through DW_AT_GNU_annotation)
// give the same BTF as clang's DW_TAG_LLVM_annotation children: the same program is described both
// ways on hand-built DWARF (no compiler here writes the GCC form yet) and the BTF of each is compared,
// for a struct and its member, a pointer with two type tags, and a function and its parameter.
import { describe, expect, test } from "vitest";
import { BtfKind, type BtfTable, validateBtf, writeBtf } from "@btforge/btf";
import { DW_AT, DW_ATE, DW_FORM, DW_TAG, DwarfFile } from "@btforge/dwarf";
import { ElfFile, ET, STB, STT } from "@btforge/elf";
import { DeclTagPlugin, Encoder, emptyConfig, FunctionsPlugin, NO_FEATURES, TypesPlugin, TypeTagPlugin } from "@btforge/core";
import { type Attr, type Die, DwarfBuilder } from "../../dwarf/test/builder.js";
import { buildElf } from "../../elf/test/elf-builder.js";

const name = (value: string): Attr => ({ at: DW_AT.name, form: DW_FORM.string, value });
const type = (label: string): Attr => ({ at: DW_AT.type, form: DW_FORM.ref4, value: { ref: label } });
const TEXT = 0x401000n;

type Style = "llvm" | "gnu";

/** Annotation DIEs for `tags` on one DIE: LLVM children, or a GNU chain (DIEs at unit level, attribute on the DIE). */
function annotated(style: Style, die: Die, kind: "btf_decl_tag" | "btf_type_tag", tags: string[], chains: Die[], label: string): Die {
  if (style === "llvm") {
    const children = tags.map((value): Die => ({ tag: DW_TAG.LLVM_annotation, attrs: [name(kind), { at: DW_AT.const_value, form: DW_FORM.string, value }] }));
    return { ...die, children: [...(die.children ?? []), ...children] };
  }
  // GCC's chain starts at the tag nearest the pointer (the last written) for type tags, at the first for decl tags.
  const order = kind === "btf_type_tag" ? [...tags].reverse() : tags;
  order.forEach((value, i) => {
    const next: Attr[] = i + 1 < order.length ? [{ at: DW_AT.GNU_annotation, form: DW_FORM.ref4, value: { ref: `${label}${i + 1}` } }] : [];
    chains.push({ tag: DW_TAG.GNU_annotation, label: `${label}${i}`, attrs: [name(kind), { at: DW_AT.const_value, form: DW_FORM.string, value }, ...next] });
  });
  return { ...die, attrs: [...(die.attrs ?? []), { at: DW_AT.GNU_annotation, form: DW_FORM.ref4, value: { ref: `${label}0` } }] };
}

function program(style: Style): DwarfFile {
  const chains: Die[] = [];
  const int: Die = { tag: DW_TAG.base_type, label: "int", attrs: [name("int"), { at: DW_AT.byte_size, form: DW_FORM.data1, value: 4 }, { at: DW_AT.encoding, form: DW_FORM.data1, value: DW_ATE.signed }] };
  const member = annotated(style, { tag: DW_TAG.member, attrs: [name("a"), type("int"), { at: DW_AT.data_member_location, form: DW_FORM.data1, value: 0 }] }, "btf_decl_tag", ["member_tag"], chains, "m");
  const struct = annotated(style, { tag: DW_TAG.structure_type, label: "s", attrs: [name("sample"), { at: DW_AT.byte_size, form: DW_FORM.data1, value: 4 }], children: [member] }, "btf_decl_tag", ["struct_tag"], chains, "s");
  const ptr = annotated(style, { tag: DW_TAG.pointer_type, label: "ptr", attrs: [{ at: DW_AT.byte_size, form: DW_FORM.data1, value: 8 }, type("s")] }, "btf_type_tag", ["outer", "inner"], chains, "p");
  const param = annotated(style, { tag: DW_TAG.formal_parameter, attrs: [name("p"), type("ptr"), { at: DW_AT.location, form: DW_FORM.exprloc, value: [0x55] }] }, "btf_decl_tag", ["param_tag"], chains, "q");
  const fn = annotated(style, {
    tag: DW_TAG.subprogram,
    attrs: [name("use"), { at: DW_AT.external, form: DW_FORM.flag_present }, type("int"), { at: DW_AT.low_pc, form: DW_FORM.addr, value: TEXT }, { at: DW_AT.high_pc, form: DW_FORM.data4, value: 16 }],
    children: [param],
  }, "btf_decl_tag", ["func_tag", "second_tag"], chains, "f");
  const b = new DwarfBuilder();
  b.unit({ version: 5, root: { tag: DW_TAG.compile_unit, attrs: [name("t.c"), { at: DW_AT.producer, form: DW_FORM.string, value: style === "gnu" ? "GNU C17 16.0.0" : "clang version 20" }], children: [int, struct, ptr, fn, ...chains] } });
  return new DwarfFile(b.finish(), { littleEndian: true, name: `${style}.o` });
}

const elf = ElfFile.fromBytes(buildElf({
  type: ET.EXEC,
  sections: [{ name: ".text", type: 1, flags: 6n, addr: TEXT, data: new Uint8Array(16) }],
  symbols: [{ name: "use", value: TEXT, size: 16, type: STT.FUNC, bind: STB.GLOBAL, section: 1 }],
}), "exec");

async function encode(style: Style): Promise<BtfTable> {
  const config = { ...emptyConfig("test"), features: { ...NO_FEATURES, functions: true, decl_tag: true, type_tag: true } };
  const encoder = new Encoder({ config, plugins: [new TypesPlugin(), new DeclTagPlugin(), new TypeTagPlugin(), new FunctionsPlugin()] });
  const e = await encoder.runOn({ path: `${style}.o`, elf, dwarf: program(style) }, { until: "symbols" });
  return e.btf;
}

/** The BTF as lines that name types by content (ids differ between the two encodings). */
function describeBtf(t: BtfTable): string[] {
  const spell = (id: number): string => {
    if (id === 0) return "void";
    const k = t.kind(id);
    if (k === BtfKind.PTR) return `*${spell(t.sizeOrType(id))}`;
    if (k === BtfKind.TYPE_TAG) return `tag(${t.name(id)})${spell(t.sizeOrType(id))}`;
    if (k === BtfKind.FUNC_PROTO) return `fn(${Array.from({ length: t.vlen(id) }, (_, i) => `${t.strings.get(t.word(id, 2 * i))}:${spell(t.word(id, 2 * i + 1))}`).join(",")})->${spell(t.sizeOrType(id))}`;
    if (k === BtfKind.FUNC) return `func ${t.name(id)}`;
    return `${t.name(id)}`;
  };
  const lines: string[] = [];
  for (let id = 1; id <= t.lastId; id++) {
    const k = t.kind(id);
    if (k === BtfKind.DECL_TAG) lines.push(`decl_tag ${t.name(id)} on ${spell(t.sizeOrType(id))}#${t.word(id, 0) | 0}`);
    else if (k === BtfKind.FUNC) lines.push(`func ${t.name(id)}: ${spell(t.sizeOrType(id))}`);
    else if (k === BtfKind.PTR) lines.push(`ptr ${spell(id)}`);
  }
  return lines.sort();
}

describe("GCC annotations (DW_TAG_GNU_annotation)", () => {
  test("give the BTF clang's annotations give: decl tags on a struct, its member, a function and its parameter; type tags in order on a pointer", async () => {
    const llvm = await encode("llvm");
    const gnu = await encode("gnu");
    const expected = [
      "decl_tag func_tag on func use#-1",
      "decl_tag member_tag on sample#0",
      "decl_tag param_tag on func use#0",
      "decl_tag second_tag on func use#-1",
      "decl_tag struct_tag on sample#-1",
      "func use: fn(p:*tag(inner)tag(outer)sample)->int",
      "ptr *tag(inner)tag(outer)sample",
    ];
    expect(describeBtf(llvm)).toEqual(expected);
    expect(describeBtf(gnu)).toEqual(expected);
    expect(validateBtf(writeBtf(gnu)).ok).toBe(true);
  });

  test("a pointer's chain ends at the first annotation that is not a type tag", async () => {
    const chains: Die[] = [];
    const ptr: Die = {
      tag: DW_TAG.pointer_type, label: "ptr",
      attrs: [{ at: DW_AT.byte_size, form: DW_FORM.data1, value: 8 }, { at: DW_AT.GNU_annotation, form: DW_FORM.ref4, value: { ref: "a0" } }],
    };
    chains.push({ tag: DW_TAG.GNU_annotation, label: "a0", attrs: [name("btf_type_tag"), { at: DW_AT.const_value, form: DW_FORM.string, value: "__user" }, { at: DW_AT.GNU_annotation, form: DW_FORM.ref4, value: { ref: "a1" } }] });
    chains.push({ tag: DW_TAG.GNU_annotation, label: "a1", attrs: [name("btf_decl_tag"), { at: DW_AT.const_value, form: DW_FORM.string, value: "stray" }, { at: DW_AT.GNU_annotation, form: DW_FORM.ref4, value: { ref: "a2" } }] });
    chains.push({ tag: DW_TAG.GNU_annotation, label: "a2", attrs: [name("btf_type_tag"), { at: DW_AT.const_value, form: DW_FORM.string, value: "__rcu" }] });
    const b = new DwarfBuilder();
    b.unit({ version: 5, root: { tag: DW_TAG.compile_unit, attrs: [name("t.c")], children: [ptr, ...chains] } });
    const config = { ...emptyConfig("test"), features: { ...NO_FEATURES, decl_tag: true, type_tag: true } };
    const encoder = new Encoder({ config, plugins: [new TypesPlugin(), new DeclTagPlugin(), new TypeTagPlugin()] });
    const e = await encoder.runOn({ path: "t.o", elf: {} as ElfFile, dwarf: new DwarfFile(b.finish(), { littleEndian: true, name: "t.o" }) }, { until: "types" });
    const t = e.btf;
    const tags = Array.from({ length: t.count }, (_, i) => i + 1).filter((id) => t.kind(id) === BtfKind.TYPE_TAG || t.kind(id) === BtfKind.DECL_TAG).map((id) => `${t.kind(id) === BtfKind.TYPE_TAG ? "type" : "decl"}:${t.name(id)}`);
    expect(tags).toEqual(["type:__user"]);
  });
});
