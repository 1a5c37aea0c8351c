// Every form, decoded by each accessor, across DWARF versions, 32/64-bit DWARF and byte orders.
import { describe, expect, test } from "vitest";
import { DW_AT, DW_FORM, DW_TAG, DwarfError, DwarfFile, type DieCursor } from "../src/index.js";
import { type Attr, DwarfBuilder, type Value } from "./builder.js";

/** Attribute numbers in the user range, one per form under test, so each DIE can carry many. */
let nextAt = 0x2100;
const slot = () => nextAt++;

interface Case {
  at: number;
  form: number;
  value: Value;
  implicit?: bigint;
  minVersion?: number;
  check: (c: DieCursor, at: number, b: DwarfBuilder) => void;
}

const expectCode = (fn: () => unknown, code: string) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DwarfError);
    expect((e as DwarfError).code).toBe(code);
    return;
  }
  throw new Error(`expected ${code}`);
};

const cases: Case[] = [
  { at: slot(), form: DW_FORM.data1, value: 0xfe, check: (c, at) => {
    expect([c.uint(at), c.sint(at), c.bigint(at), c.sbigint(at)]).toEqual([254, -2, 254n, -2n]);
    expect([c.str(at), c.ref(at), c.addr(at), c.block(at)]).toEqual([undefined, undefined, undefined, undefined]);
  } },
  { at: slot(), form: DW_FORM.data2, value: 0xfffe, check: (c, at) => expect([c.uint(at), c.sint(at), c.sbigint(at)]).toEqual([65534, -2, -2n]) },
  { at: slot(), form: DW_FORM.data4, value: 0xfffffffe, check: (c, at) => expect([c.uint(at), c.sint(at), c.bigint(at)]).toEqual([0xfffffffe, -2, 0xfffffffen]) },
  { at: slot(), form: DW_FORM.data8, value: 0xfffffffffffffffen, check: (c, at) => {
    expectCode(() => c.uint(at), "DWARF_VALUE_TOO_LARGE");
    expect([c.sint(at), c.bigint(at), c.sbigint(at)]).toEqual([-2, 0xfffffffffffffffen, -2n]);
  } },
  { at: slot(), form: DW_FORM.data8, value: 1234, check: (c, at) => expect(c.uint(at)).toBe(1234) },
  { at: slot(), form: DW_FORM.sdata, value: -5, check: (c, at) => expect([c.uint(at), c.sint(at), c.bigint(at)]).toEqual([undefined, -5, -5n]) },
  { at: slot(), form: DW_FORM.sdata, value: 300, check: (c, at) => expect([c.uint(at), c.sint(at)]).toEqual([300, 300]) },
  { at: slot(), form: DW_FORM.udata, value: 1n << 63n, check: (c, at) => {
    expect(c.bigint(at)).toBe(1n << 63n);
    expectCode(() => c.uint(at), "DWARF_VALUE_TOO_LARGE");
  } },
  { at: slot(), form: DW_FORM.udata, value: 624485, check: (c, at) => expect([c.uint(at), c.sint(at)]).toEqual([624485, 624485]) },
  { at: slot(), form: DW_FORM.flag, value: 1, check: (c, at) => expect([c.uint(at), c.flag(at)]).toEqual([1, true]) },
  { at: slot(), form: DW_FORM.flag, value: 0, check: (c, at) => expect([c.uint(at), c.flag(at)]).toEqual([0, false]) },
  { at: slot(), form: DW_FORM.flag_present, value: undefined, check: (c, at) => expect([c.uint(at), c.flag(at)]).toEqual([1, true]) },
  { at: slot(), form: DW_FORM.string, value: "héllo", check: (c, at) => expect([c.str(at), c.strKey(at)]).toEqual(["héllo", -1]) },
  { at: slot(), form: DW_FORM.string, value: "", check: (c, at) => expect(c.str(at)).toBe("") },
  { at: slot(), form: DW_FORM.strp, value: "world", check: (c, at) => {
    expect(c.str(at)).toBe("world");
    expect(c.strKey(at) % 2).toBe(0);
  } },
  { at: slot(), form: DW_FORM.addr, value: 0x11223344n, check: (c, at) => expect(c.addr(at)).toBe(0x11223344n) },
  { at: slot(), form: DW_FORM.block1, value: [1, 2, 3], check: (c, at) => expect([...c.block(at)!]).toEqual([1, 2, 3]) },
  { at: slot(), form: DW_FORM.block2, value: [4, 5], check: (c, at) => expect([...c.block(at)!]).toEqual([4, 5]) },
  { at: slot(), form: DW_FORM.block4, value: [6], check: (c, at) => expect([...c.block(at)!]).toEqual([6]) },
  { at: slot(), form: DW_FORM.block, value: Array.from({ length: 200 }, (_, i) => i), check: (c, at) => expect(c.block(at)!.length).toBe(200) },
  { at: slot(), form: DW_FORM.ref1, value: { ref: "a" }, check: (c, at, b) => expect(c.ref(at)).toBe(b.offsetOf("a")) },
  { at: slot(), form: DW_FORM.ref2, value: { ref: "b" }, check: (c, at, b) => expect(c.ref(at)).toBe(b.offsetOf("b")) },
  { at: slot(), form: DW_FORM.ref4, value: { ref: "a" }, check: (c, at, b) => {
    expect(c.ref(at)).toBe(b.offsetOf("a"));
    expect(c.refUnit(at)).toBe(c.unit);
  } },
  { at: slot(), form: DW_FORM.ref8, value: { ref: "b" }, check: (c, at, b) => expect(c.ref(at)).toBe(b.offsetOf("b")) },
  { at: slot(), form: DW_FORM.ref_udata, value: { ref: "a" }, check: (c, at, b) => expect(c.ref(at)).toBe(b.offsetOf("a")) },
  { at: slot(), form: DW_FORM.ref_addr, value: { ref: "b" }, check: (c, at, b) => {
    expect(c.ref(at)).toBe(b.offsetOf("b"));
    expect(c.refUnit(at)).toBe(c.unit);
  } },
  { at: slot(), form: DW_FORM.indirect, value: { form: DW_FORM.udata, value: 77 }, check: (c, at) => {
    expect(c.form(at)).toBe(DW_FORM.udata);
    expect(c.uint(at)).toBe(77);
  } },
  { at: slot(), form: DW_FORM.indirect, value: { form: DW_FORM.string, value: "via indirect" }, check: (c, at) => expect(c.str(at)).toBe("via indirect") },
  { at: slot(), form: DW_FORM.GNU_strp_alt, value: 8, check: (c, at) => expect([c.has(at), c.str(at)]).toEqual([true, undefined]) },
  { at: slot(), form: DW_FORM.GNU_ref_alt, value: 8, check: (c, at) => expect(c.ref(at)).toBeUndefined() },
  { at: slot(), form: DW_FORM.data4, value: 0x40, check: (c, at) => expect(c.secOffset(at)).toBe(c.unit.version < 4 ? 0x40 : undefined) },
  // DWARF 4 and later
  { at: slot(), form: DW_FORM.sec_offset, value: 0x1234, minVersion: 4, check: (c, at) => expect([c.uint(at), c.secOffset(at)]).toEqual([0x1234, 0x1234]) },
  { at: slot(), form: DW_FORM.exprloc, value: [0x03, 1, 2], minVersion: 4, check: (c, at) => expect([...c.block(at)!]).toEqual([0x03, 1, 2]) },
  // DWARF 5
  { at: slot(), form: DW_FORM.implicit_const, value: undefined, implicit: -7n, minVersion: 5, check: (c, at) => {
    expect([c.uint(at), c.sint(at), c.bigint(at)]).toEqual([undefined, -7, -7n]);
  } },
  { at: slot(), form: DW_FORM.implicit_const, value: undefined, implicit: 9n, minVersion: 5, check: (c, at) => expect([c.uint(at), c.sint(at)]).toEqual([9, 9]) },
  { at: slot(), form: DW_FORM.data16, value: 5n, minVersion: 5, check: (c, at) => expect([c.uint(at), c.bigint(at)]).toEqual([5, 5n]) },
  { at: slot(), form: DW_FORM.data16, value: (1n << 64n) | 6n, minVersion: 5, check: (c, at) => {
    expect(c.bigint(at)).toBe(6n);
    expectCode(() => c.uint(at), "DWARF_VALUE_TOO_LARGE");
  } },
  { at: slot(), form: DW_FORM.line_strp, value: "line.c", minVersion: 5, check: (c, at) => expect(c.str(at)).toBe("line.c") },
  { at: slot(), form: DW_FORM.strp_sup, value: 4, minVersion: 5, check: (c, at) => expect(c.str(at)).toBeUndefined() },
  { at: slot(), form: DW_FORM.ref_sup4, value: 4, minVersion: 5, check: (c, at) => expect(c.ref(at)).toBeUndefined() },
  { at: slot(), form: DW_FORM.ref_sup8, value: 4, minVersion: 5, check: (c, at) => expect(c.ref(at)).toBeUndefined() },
  { at: slot(), form: DW_FORM.strx1, value: 1, minVersion: 5, check: (c, at) => expect(c.str(at)).toBe("s1") },
  { at: slot(), form: DW_FORM.strx2, value: 2, minVersion: 5, check: (c, at) => expect(c.str(at)).toBe("s2") },
  // strKey: the same string through strx2 and strx4 has one key; another string another key.
  { at: slot(), form: DW_FORM.strx4, value: 2, minVersion: 5, check: (c, at) => {
    const viaStrx4 = c.strKey(at);
    expect(viaStrx4).toBeGreaterThanOrEqual(0);
    expect(viaStrx4).not.toBe(c.strKey(at - 2));
    expect(viaStrx4).toBe(c.strKey(at - 1));
  } },
  { at: slot(), form: DW_FORM.strx3, value: 0, minVersion: 5, check: (c, at) => expect(c.str(at)).toBe("s0") },
  { at: slot(), form: DW_FORM.strx4, value: 2, minVersion: 5, check: (c, at) => expect(c.str(at)).toBe("s2") },
  { at: slot(), form: DW_FORM.strx, value: 1, minVersion: 5, check: (c, at) => expect(c.str(at)).toBe("s1") },
  { at: slot(), form: DW_FORM.addrx1, value: 1, minVersion: 5, check: (c, at) => expect(c.addr(at)).toBe(0xb1n) },
  { at: slot(), form: DW_FORM.addrx2, value: 0, minVersion: 5, check: (c, at) => expect(c.addr(at)).toBe(0xb0n) },
  { at: slot(), form: DW_FORM.addrx3, value: 1, minVersion: 5, check: (c, at) => expect(c.addr(at)).toBe(0xb1n) },
  { at: slot(), form: DW_FORM.addrx4, value: 0, minVersion: 5, check: (c, at) => expect(c.addr(at)).toBe(0xb0n) },
  { at: slot(), form: DW_FORM.addrx, value: 1, minVersion: 5, check: (c, at) => expect(c.addr(at)).toBe(0xb1n) },
  { at: slot(), form: DW_FORM.LLVM_addrx_offset, value: [1, 0x10], minVersion: 5, check: (c, at) => expect(c.addr(at)).toBe(0xc1n) },
  { at: slot(), form: DW_FORM.rnglistx, value: 1, minVersion: 5, check: (c, at) => expect(c.secOffset(at)).toBe(c.unit.rnglistsBase + 0x30) },
  { at: slot(), form: DW_FORM.loclistx, value: 0, minVersion: 5, check: (c, at) => expect(c.secOffset(at)).toBe(c.unit.loclistsBase + 0x50) },
  { at: slot(), form: DW_FORM.ref_sig8, value: 0xfeedfacecafebeefn, minVersion: 5, check: (c, at, b) => {
    expect(c.ref(at)).toBe(b.offsetOf("sigtype"));
    expect(c.refUnit(at)?.typeSignature).toBe(0xfeedfacecafebeefn);
  } },
];

const configs = [2, 3, 4, 5].flatMap((version) =>
  ([4, 8] as const).flatMap((offsetSize) =>
    [true, false].map((le) => ({ version, offsetSize, le, addressSize: version === 2 && offsetSize === 4 ? 4 : 8 })),
  ),
).filter((c) => c.version >= 3 || c.offsetSize === 4); // 64-bit DWARF starts with DWARF 3

describe.each(configs)("DWARF $version, $offsetSize-byte offsets, little endian $le", (cfg) => {
  const active = cases.filter((k) => cfg.version >= (k.minVersion ?? 2));
  const b = new DwarfBuilder(cfg.le);
  if (cfg.version >= 5) {
    b.unit({ version: 5, unitType: 2, signature: 0xfeedfacecafebeefn, typeLabel: "sigtype", offsetSize: cfg.offsetSize,
      root: { tag: DW_TAG.type_unit, children: [{ tag: DW_TAG.base_type, label: "sigtype" }] } });
  }
  const attrs: Attr[] = active.map((k) => ({ at: k.at, form: k.form, value: k.value, implicit: k.implicit }));
  const v5bases: Attr[] = cfg.version >= 5 ? [
    { at: DW_AT.str_offsets_base, form: DW_FORM.sec_offset, value: { base: "str_offsets" } },
    { at: DW_AT.addr_base, form: DW_FORM.sec_offset, value: { base: "addr" } },
    { at: DW_AT.rnglists_base, form: DW_FORM.sec_offset, value: { base: "rnglists" } },
    { at: DW_AT.loclists_base, form: DW_FORM.sec_offset, value: { base: "loclists" } },
  ] : [];
  b.unit({
    version: cfg.version, offsetSize: cfg.offsetSize, addressSize: cfg.addressSize,
    strOffsets: ["s0", "s1", "s2"], addresses: [0xb0n, 0xb1n], rnglists: [0x20, 0x30], loclists: [0x50],
    root: {
      tag: DW_TAG.compile_unit, attrs: v5bases,
      children: [
        { tag: DW_TAG.base_type, label: "a" },
        // The attributes twice: once with a sibling before them, once after a variable-size DIE.
        { tag: DW_TAG.variable, attrs, children: [{ tag: DW_TAG.member, attrs }] },
        { tag: DW_TAG.base_type, label: "b" },
      ],
    },
  });
  const file = new DwarfFile(b.finish(), { littleEndian: cfg.le, name: "built" });
  const unit = file.units().find((u) => u.unitType !== 2)!;

  test.each(active.map((k) => [k.form.toString(16), k] as const))("form 0x%s", (_, k) => {
    const c = file.cursor(unit);
    const seen: number[] = [];
    while (c.next()) {
      if (c.tag !== DW_TAG.variable && c.tag !== DW_TAG.member) continue;
      seen.push(c.tag);
      expect(c.has(k.at)).toBe(true);
      expect(c.form(k.at)).toBe(k.form === DW_FORM.indirect ? (k.value as { form: number }).form : k.form);
      k.check(c, k.at, b);
    }
    expect(seen).toEqual([DW_TAG.variable, DW_TAG.member]);
  });

  test("the walk sees every DIE with its depth", () => {
    const c = file.cursor(unit);
    const walk: Array<[number, number]> = [];
    while (c.next()) walk.push([c.tag, c.depth]);
    expect(walk).toEqual([
      [DW_TAG.compile_unit, 0], [DW_TAG.base_type, 1], [DW_TAG.variable, 1], [DW_TAG.member, 2], [DW_TAG.base_type, 1],
    ]);
    expect(c.next()).toBe(false);
  });

  test("attributes can be listed with their forms", () => {
    const c = file.cursor(unit);
    while (c.next() && c.tag !== DW_TAG.variable);
    expect(c.attributeCount).toBe(active.length);
    for (let i = 0; i < c.attributeCount; i++) {
      expect(c.attributeName(i)).toBe(active[i].at);
      const k = active[i];
      expect(c.attributeForm(i)).toBe(k.form === DW_FORM.indirect ? (k.value as { form: number }).form : k.form);
    }
  });
});
