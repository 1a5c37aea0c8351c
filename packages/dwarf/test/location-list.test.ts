// Location expressions and location lists, on hand-assembled bytes: the operations decoded with
// their operands and nested blocks (DW_OP_entry_value), every entry kind of a DWARF 5
// .debug_loclists list and of a DWARF 4 .debug_loc list visited in order, and malformed input
// reported as unreadable rather than thrown.
import { describe, expect, test } from "vitest";
import {
  DW_AT, DW_FORM, DW_OP, DW_TAG, DwarfFile, type DwarfSections, decodeExpression, type ExpressionEncoding, ExpressionOps,
  forEachLocationExpression, type LocationListStatus,
} from "../src/index.js";
import { Bytes, DwarfBuilder } from "./builder.js";

const ENC: ExpressionEncoding = { addressSize: 8, offsetSize: 4, version: 5, littleEndian: true };

function ops(bytes: number[], enc = ENC): { ok: boolean; list: [string, number, number][]; out: ExpressionOps } {
  const out = new ExpressionOps();
  const ok = decodeExpression(Uint8Array.from(bytes), enc, out);
  const list: [string, number, number][] = [];
  for (let i = 0; i < out.count; i++) list.push([`0x${out.op[i]!.toString(16)}`, out.operand[i]!, out.operand2[i]!]);
  return { ok, list, out };
}

const hex = (op: number) => `0x${op.toString(16)}`;

describe("decodeExpression", () => {
  test("registers, register values and the stack value mark", () => {
    expect(ops([DW_OP.reg0 + 5]).list).toEqual([[hex(0x55), 0, 0]]);
    const breg = ops([DW_OP.breg0 + 4, 0x78, DW_OP.stack_value]);
    expect(breg.ok).toBe(true);
    expect(breg.list).toEqual([[hex(0x74), -8, 0], [hex(DW_OP.stack_value), 0, 0]]);
    expect(ops([DW_OP.fbreg, 0x70]).list).toEqual([[hex(DW_OP.fbreg), -16, 0]]);
    expect(ops([DW_OP.bregx, 0x21, 0x02]).list).toEqual([[hex(DW_OP.bregx), 33, 2]]);
  });

  test("DW_OP_entry_value keeps where its nested expression is, and that decodes on its own", () => {
    const bytes = [DW_OP.entry_value, 1, DW_OP.reg0 + 4, DW_OP.stack_value];
    const { ok, out } = ops(bytes);
    expect(ok).toBe(true);
    expect(out.count).toBe(2);
    expect([out.blockStart[0], out.blockEnd[0]]).toEqual([2, 3]);
    const nested = new ExpressionOps();
    expect(decodeExpression(Uint8Array.from(bytes), ENC, nested, out.blockStart[0]!, out.blockEnd[0]!)).toBe(true);
    expect([nested.count, nested.op[0]]).toEqual([1, DW_OP.reg0 + 4]);
    // GCC's pre-DWARF 5 spelling.
    expect(ops([DW_OP.GNU_entry_value, 1, DW_OP.reg0 + 5, DW_OP.stack_value]).out.blockEnd[0]).toBe(3);
  });

  test("pieces of an aggregate in two registers", () => {
    expect(ops([DW_OP.reg0 + 5, DW_OP.piece, 8, DW_OP.reg0 + 4, DW_OP.piece, 8]).list).toEqual([
      [hex(0x55), 0, 0], [hex(DW_OP.piece), 8, 0], [hex(0x54), 0, 0], [hex(DW_OP.piece), 8, 0],
    ]);
  });

  test("every operand size: constants up to 8 bytes (even past 2^53), GCC's parameter_ref, typed constants, references by version", () => {
    const big = ops([DW_OP.const8u, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, DW_OP.stack_value]);
    expect(big.ok).toBe(true);
    expect(big.out.count).toBe(2);
    expect(ops([DW_OP.constu, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]).out.count).toBe(1);
    expect(ops([DW_OP.const2s, 0xfe, 0xff]).list).toEqual([[hex(DW_OP.const2s), -2, 0]]);
    expect(ops([DW_OP.GNU_parameter_ref, 0x8a, 0x02, 0, 0, DW_OP.stack_value]).list[0]).toEqual([hex(DW_OP.GNU_parameter_ref), 0x28a, 0]);
    const typed = ops([DW_OP.const_type, 0x2a, 4, 1, 2, 3, 4, DW_OP.stack_value]);
    expect(typed.ok && typed.out.count === 2 && typed.out.blockStart[0] === 3 && typed.out.blockEnd[0] === 7).toBe(true);
    // implicit_pointer names a .debug_info offset: the address size in DWARF 2, the offset size after.
    expect(ops([DW_OP.implicit_pointer, 1, 0, 0, 0, 0, 0, 0, 0, 0x7f], { ...ENC, version: 2 }).list).toEqual([[hex(DW_OP.implicit_pointer), 1, -1]]);
    expect(ops([DW_OP.implicit_pointer, 1, 0, 0, 0, 0x7f]).list).toEqual([[hex(DW_OP.implicit_pointer), 1, -1]]);
    expect(ops([DW_OP.addr, 8, 7, 6, 5, 4, 3, 2, 1], { ...ENC, littleEndian: false }).list[0]![1]).toBe(0x0807060504030201);
  });

  test("an unknown operation or one running past the end makes the expression unreadable", () => {
    const unknown = ops([DW_OP.reg0, 0x01, DW_OP.reg0 + 1]);
    expect(unknown.ok).toBe(false);
    expect(unknown.out.count).toBe(1);
    expect(ops([DW_OP.const4u, 1, 2]).ok).toBe(false);
    expect(ops([DW_OP.entry_value, 5, DW_OP.reg0]).ok).toBe(false);
    expect(ops([DW_OP.constu, 0x80]).ok).toBe(false);
  });
});

/** One unit whose only DIE (a formal parameter) has DW_AT_location in `form` with `value`. */
function fileWithLocation(version: number, form: number, value: number | number[], extra: Partial<DwarfSections>, loclists?: number[]): DwarfFile {
  const b = new DwarfBuilder();
  b.unit({
    version,
    loclists,
    root: {
      tag: DW_TAG.compile_unit,
      attrs: loclists ? [{ at: DW_AT.loclists_base, form: DW_FORM.sec_offset, value: { base: "loclists" } }] : [],
      children: [{ tag: DW_TAG.formal_parameter, attrs: [{ at: DW_AT.location, form, value }] }],
    },
  });
  const sections = b.finish();
  if (extra.debug_loclists && sections.debug_loclists) {
    const joined = new Uint8Array(sections.debug_loclists.length + extra.debug_loclists.length);
    joined.set(sections.debug_loclists);
    joined.set(extra.debug_loclists, sections.debug_loclists.length);
    return new DwarfFile({ ...sections, ...extra, debug_loclists: joined }, { littleEndian: true, name: "t.o" });
  }
  return new DwarfFile({ ...sections, ...extra }, { littleEndian: true, name: "t.o" });
}

function visitAll(file: DwarfFile): { status: LocationListStatus; entries: number[][] } {
  const c = file.cursor(file.units()[0]!);
  c.next();
  c.next();
  const entries: number[][] = [];
  const status = forEachLocationExpression(file, c, DW_AT.location, (bytes, start, end, index) => {
    entries.push([index, ...bytes.subarray(start, end)]);
  });
  return { status, entries };
}

describe("forEachLocationExpression", () => {
  test("an exprloc is the one location", () => {
    const file = fileWithLocation(5, DW_FORM.exprloc, [DW_OP.reg0 + 5], {});
    expect(visitAll(file)).toEqual({ status: "ok", entries: [[0, DW_OP.reg0 + 5]] });
  });

  test("DWARF 4 .debug_loc: address pairs, base address selections passed over, (0, 0) ends the list", () => {
    const loc = new Bytes();
    loc.uint(0, 8).uint(0, 8); // padding before the list: never read
    loc.uint(0x10, 8).uint(0x14, 8).uint(1, 2).u8(DW_OP.reg0 + 5);
    loc.uint(-1n, 8).uint(0x1000, 8); // base address selection
    loc.uint(0x14, 8).uint(0x30, 8).uint(3, 2).u8(DW_OP.entry_value).u8(1).u8(DW_OP.reg0 + 5);
    loc.uint(0, 8).uint(0, 8);
    const file = fileWithLocation(4, DW_FORM.sec_offset, 16, { debug_loc: Uint8Array.from(loc.out) });
    expect(visitAll(file)).toEqual({ status: "ok", entries: [[0, DW_OP.reg0 + 5], [1, DW_OP.entry_value, 1, DW_OP.reg0 + 5]] });
  });

  test("DWARF 5 .debug_loclists through DW_FORM_loclistx: every entry kind, views and base addresses passed over", () => {
    const body = new Bytes();
    body.u8(0x09).uleb(0).uleb(1); // GNU view pair
    body.u8(0x01).uleb(0); // base_addressx
    body.u8(0x04).uleb(0).uleb(4).uleb(1).u8(DW_OP.reg0 + 5); // offset_pair
    body.u8(0x06).uint(0x2000, 8); // base_address
    body.u8(0x02).uleb(1).uleb(2).uleb(1).u8(DW_OP.reg0 + 4); // startx_endx
    body.u8(0x03).uleb(1).uleb(8).uleb(1).u8(DW_OP.reg0 + 1); // startx_length
    body.u8(0x07).uint(0x10, 8).uint(0x20, 8).uleb(1).u8(DW_OP.reg0 + 2); // start_end
    body.u8(0x08).uint(0x20, 8).uleb(16).uleb(2).u8(DW_OP.fbreg).u8(0x78); // start_length
    body.u8(0x05).uleb(1).u8(DW_OP.lit0 + 3); // default_location
    body.u8(0x00);
    // The builder writes the unit's offset table (one entry); the body follows it.
    const tableSize = 12 + 4;
    const file = fileWithLocation(5, DW_FORM.loclistx, 0, { debug_loclists: Uint8Array.from(body.out) }, [tableSize - 12]);
    expect(visitAll(file)).toEqual({
      status: "ok",
      entries: [[0, 0x55], [1, 0x54], [2, 0x51], [3, 0x52], [4, DW_OP.fbreg, 0x78], [5, DW_OP.lit0 + 3]],
    });
  });

  test("an unknown entry kind or a list past its section is unreadable, not an exception", () => {
    const bad = fileWithLocation(5, DW_FORM.sec_offset, 0, { debug_loclists: Uint8Array.from([0x04, 0, 2, 1, 0x55, 0x0c]) });
    expect(visitAll(bad)).toEqual({ status: "invalid", entries: [[0, 0x55]] });
    const cut = fileWithLocation(4, DW_FORM.sec_offset, 0, { debug_loc: Uint8Array.from(new Bytes().uint(1, 8).uint(2, 8).uint(9, 2).u8(0x55).out) });
    expect(visitAll(cut).status).toBe("invalid");
    const missing = fileWithLocation(4, DW_FORM.sec_offset, 0, {});
    expect(visitAll(missing).status).toBe("invalid");
  });

  test("a visitor returning true stops the walk", () => {
    const loc = new Bytes();
    for (let i = 0; i < 3; i++) loc.uint(i + 1, 8).uint(i + 2, 8).uint(1, 2).u8(DW_OP.reg0 + i);
    loc.uint(0, 8).uint(0, 8);
    const file = fileWithLocation(4, DW_FORM.sec_offset, 0, { debug_loc: Uint8Array.from(loc.out) });
    const c = file.cursor(file.units()[0]!);
    c.next();
    c.next();
    const seen: number[] = [];
    expect(forEachLocationExpression(file, c, DW_AT.location, (_b, _s, _e, index) => (seen.push(index), index === 1))).toBe("ok");
    expect(seen).toEqual([0, 1]);
    expect(forEachLocationExpression(file, c, DW_AT.name, () => undefined)).toBe("absent");
  });
});
