// Structures and unions: members with bit offsets (DWARF 2–3 DW_AT_bit_offset, DWARF 4+
// DW_AT_data_bit_offset, member locations as constants or DW_OP_plus_uconst expressions),
// bitfields (BTF kind_flag), anonymous members, and declarations as FWD.
import type { BtfMember } from "@btforge/btf";
import { DW_AT, DW_OP, DW_TAG, type DieCursor, formName, opName } from "@btforge/dwarf";
import { btforgeError } from "../../errors/btforge-error.js";
import { type PackedRef, captureRef } from "../refs.js";
import type { PendingAnnotation, UnitEncoder } from "./unit-encoder.js";

/** Reads an unsigned LEB128 from an expression; returns [value, next position]. */
function uleb(expr: Uint8Array, at: number): [number, number] {
  let value = 0;
  let scale = 1;
  for (;;) {
    if (at >= expr.length) return [value, at];
    const b = expr[at++]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return [value, at];
  }
}

/** Byte offset of a member from DW_AT_data_member_location: a constant, or (DWARF 2) an expression. */
function memberByteOffset(u: UnitEncoder, c: DieCursor): number {
  if (!c.has(DW_AT.data_member_location)) return 0;
  const constant = c.uint(DW_AT.data_member_location);
  if (constant !== undefined) return constant;
  const expr = c.block(DW_AT.data_member_location);
  if (expr !== undefined && expr.length > 0 && (expr[0] === DW_OP.plus_uconst || expr[0] === DW_OP.constu)) return uleb(expr, 1)[0];
  const what =
    expr === undefined ? `in form ${formName(c.form(DW_AT.data_member_location)!)}` : expr.length === 0 ? "expression (empty)" : `expression ${opName(expr[0]!)}`;
  throw btforgeError("DWARF_VALUE_OUT_OF_RANGE", [`member at DIE 0x${c.offset.toString(16)}: its location`, `${what} (not a constant offset)`], {
    location: u.location(c.offset),
  });
}

/** The storage unit size of a DWARF 2–3 bitfield when DW_AT_byte_size is missing: the size of its type. */
function storageUnitSize(u: UnitEncoder, c: DieCursor): number {
  const look = u.file.cursor(u.unit);
  let at = c.ref(DW_AT.type);
  for (let hops = 0; hops < 16 && at !== undefined && at >= u.unit.offset && at < u.unit.end; hops++) {
    look.seek(at);
    const size = look.uint(DW_AT.byte_size);
    if (size !== undefined) return size;
    at = look.ref(DW_AT.type);
  }
  return 4;
}

/** Bit offset from the start of the struct, and the bitfield width (0 for an ordinary member). */
function memberBits(u: UnitEncoder, c: DieCursor): [number, number] {
  const bitSize = c.uint(DW_AT.bit_size) ?? 0;
  const dataBitOffset = c.uint(DW_AT.data_bit_offset);
  if (dataBitOffset !== undefined) return [dataBitOffset, bitSize];
  const byteOffset = memberByteOffset(u, c);
  const oldBitOffset = c.has(DW_AT.bit_offset) ? c.sint(DW_AT.bit_offset) ?? c.uint(DW_AT.bit_offset) ?? 0 : undefined;
  if (oldBitOffset === undefined) return [byteOffset * 8, bitSize];
  // DWARF 2–3 count DW_AT_bit_offset from the most significant bit of the storage unit.
  if (!u.littleEndian) return [byteOffset * 8 + oldBitOffset, bitSize];
  const storage = c.uint(DW_AT.byte_size) ?? storageUnitSize(u, c);
  return [byteOffset * 8 + storage * 8 - oldBitOffset - bitSize, bitSize];
}

/**
 * Puts members in ascending offset order (stable), with their references, DIEs and annotations:
 * Rust lays fields out in its own order but lists them as declared, and BTF (the kernel) wants
 * offsets ascending. A C compiler never lists them out of order, so only foreign units come here.
 */
function inOffsetOrder(members: BtfMember[], refs: PackedRef[], dies: number[], annotations: PendingAnnotation[]): void {
  let sorted = true;
  for (let i = 1; i < members.length && sorted; i++) sorted = members[i - 1]!.bitOffset <= members[i]!.bitOffset;
  if (sorted) return;
  const order = members.map((_, i) => i).sort((a, b) => members[a]!.bitOffset - members[b]!.bitOffset || a - b);
  const position = new Int32Array(order.length);
  order.forEach((from, to) => (position[from] = to));
  const [m, r, d] = [order.map((i) => members[i]!), order.map((i) => refs[i]!), order.map((i) => dies[i]!)];
  members.splice(0, members.length, ...m);
  refs.splice(0, refs.length, ...r);
  dies.splice(0, dies.length, ...d);
  for (const a of annotations) if (a.component >= 0) a.component = position[a.component]!;
}

export function encodeAggregate(u: UnitEncoder, c: DieCursor): boolean {
  const offset = c.offset;
  const isUnion = c.tag === DW_TAG.union_type;
  const what = isUnion ? "union" : "struct";
  const name = u.identifierOff(c, () => what);
  const t = u.table;
  /** The name for messages (error paths only). */
  const label = () => (name === 0 ? "(anon)" : t.strings.get(name));
  if (c.flag(DW_AT.declaration)) {
    if (name === 0) {
      // An anonymous declaration can never be completed; nothing can name it either.
      u.alias(offset, 0);
      return u.skip(c);
    }
    u.define(offset, t.addFwd(name, isUnion));
    // A declaration's children (C++ methods, nested types) describe nothing BTF keeps.
    return u.skip(c);
  }
  const size = c.uint(DW_AT.byte_size) ?? 0;
  const members: BtfMember[] = [];
  const refs: PackedRef[] = [];
  const memberDies: number[] = [];
  const annotations: PendingAnnotation[] = [];
  u.gnuAnnotations(c, annotations, -1);
  const more = u.eachChild(c, (child) => {
    switch (child.tag) {
      case DW_TAG.member: {
        // C++ static members are declarations of variables, not storage in the object.
        if (child.flag(DW_AT.external) || child.flag(DW_AT.declaration)) return u.skip(child);
        const index = members.length;
        const [bitOffset, bitfieldSize] = memberBits(u, child);
        if (bitOffset + bitfieldSize > size * 8) {
          throw btforgeError("DWARF_VALUE_OUT_OF_RANGE", [`member at DIE 0x${child.offset.toString(16)}: bit offset`, `${bitOffset} (past the end of its ${size}-byte ${what})`], {
            location: u.location(child.offset),
          });
        }
        members.push({ name: u.identifierOff(child, () => `member of ${what} ${label()}`), type: 0, bitOffset, bitfieldSize });
        refs.push(captureRef(child) ?? u.danglingRef(child.offset));
        memberDies.push(child.offset);
        u.gnuAnnotations(child, annotations, index);
        return u.eachChild(child, (grand) =>
          grand.tag === DW_TAG.LLVM_annotation ? u.annotation(grand, annotations, index) : u.visit(grand),
        );
      }
      case DW_TAG.LLVM_annotation:
        return u.annotation(child, annotations, -1);
      case DW_TAG.subprogram:
      case DW_TAG.inheritance:
      case DW_TAG.variable:
      case DW_TAG.template_type_parameter:
      case DW_TAG.template_value_parameter:
        return u.skip(child);
      default:
        // Nested type definitions (clang, C++) are encoded in their own right.
        return u.visit(child);
    }
  });
  if (u.foreign) inOffsetOrder(members, refs, memberDies, annotations);
  let id: number;
  try {
    id = isUnion ? t.addUnion(name, size, members) : t.addStruct(name, size, members);
  } catch (err) {
    throw btforgeError("DWARF_VALUE_OUT_OF_RANGE", [`a bitfield of ${what} ${label()} at DIE 0x${offset.toString(16)}:`, (err as Error).message], {
      location: u.location(offset),
    });
  }
  for (let i = 0; i < refs.length; i++) u.bind(id, 3 * i + 1, refs[i]!, memberDies[i]!);
  u.define(offset, id);
  u.annotate(id, annotations);
  return more;
}
