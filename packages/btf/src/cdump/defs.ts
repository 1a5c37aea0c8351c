// C definitions of the kinds that declare something: struct/union bodies (members, bitfields,
// padding, packed), enums (32- and 64-bit values, odd sizes), typedefs and forward declarations.
// Each prints without the final `;`: the caller decides whether it is a statement or inline.

import { BtfKind } from "../constants.js";
import { BtfError } from "../errors.js";
import { memberOffset } from "../kinds/builtin/aggregates.js";
import { emitTypeDecl } from "./decl.js";
import { emitBitPadding } from "./padding.js";
import type { DumpState } from "./state.js";
import { indent } from "./text.js";

/** Nesting bound for inline (anonymous) definitions. */
const MAX_NESTING = 256;
/**
 * Largest gap filled with padding lines (one `long: 64;` per 8 bytes). Real gaps stay within a
 * page; a bigger one comes from a corrupt offset or size and would print millions of lines.
 */
const MAX_GAP_BYTES = 1 << 20;

function keyword(s: DumpState, id: number): string {
  return s.table.kind(id) === BtfKind.UNION ? "union" : "struct";
}

/** `struct foo` / `union foo`. */
export function emitStructFwd(s: DumpState, id: number): void {
  const name = s.names.tagName(id);
  s.print(name ? `${keyword(s, id)} ${name}` : keyword(s, id));
}

/** A FWD type: kind_flag says union. */
export function emitFwdDef(s: DumpState, id: number): void {
  s.print(`${s.table.kindFlag(id) ? "union" : "struct"} ${s.names.tagName(id)}`);
}

export function emitEnumFwd(s: DumpState, id: number): void {
  s.print(`enum ${s.names.tagName(id)}`);
}

export function emitTypedefDef(s: DumpState, id: number, lvl: number): void {
  const name = s.names.identName(id);
  const target = s.table.sizeOrType(id);
  // Old GCCs describe __gnuc_va_list as a typedef of void; spell it as the built-in it is.
  if (target === 0 && name === "__gnuc_va_list") {
    s.print("typedef __builtin_va_list __gnuc_va_list");
    return;
  }
  s.print("typedef ");
  emitTypeDecl(s, target, name, lvl);
}

export function emitStructDef(s: DumpState, id: number, lvl: number): void {
  if (lvl > MAX_NESTING) throw nestingError(id);
  const t = s.table;
  const isStruct = t.kind(id) === BtfKind.STRUCT;
  const kflag = t.kindFlag(id);
  const size = t.sizeOrType(id);
  const packed = isStruct && s.layout.isPacked(id);
  const name = s.names.tagName(id);
  s.print(name ? `${keyword(s, id)} ${name} {` : `${keyword(s, id)} {`);

  const w = t.words(id);
  const vlen = w.length / 3;
  let off = 0;
  let prevBitfield = false;
  for (let at = 0; at < w.length; at += 3) {
    const type = w[at + 1]!;
    const bits = memberOffset.bitfieldSize(w[at + 2]!, kflag);
    const mOff = memberOffset.bitOffset(w[at + 2]!, kflag);
    const mAlign = packed ? 1 : s.layout.alignOf(type);
    checkGap(id, off, mOff);
    emitBitPadding(s, off, mOff, mAlign, prevBitfield && bits !== 0, lvl + 1);
    s.print(`\n${indent(lvl + 1)}`);
    emitTypeDecl(s, type, t.strings.get(w[at]!), lvl + 1);
    if (bits !== 0) {
      s.print(`: ${bits};`);
      off = mOff + bits;
      prevBitfield = true;
    } else {
      off = mOff + Math.max(0, s.layout.resolveSize(type)) * 8;
      prevBitfield = false;
      s.print(";");
    }
  }
  if (isStruct) {
    checkGap(id, off, size * 8);
    emitBitPadding(s, off, size * 8, s.layout.alignOf(id), false, lvl + 1);
  }

  // An empty struct stays on one line: `struct empty {}`.
  s.print(vlen !== 0 || size !== 0 ? `\n${indent(lvl)}}` : "}");
  if (packed) s.print(" __attribute__((packed))");
}

export function emitEnumDef(s: DumpState, id: number, lvl: number): void {
  const t = s.table;
  const name = s.names.tagName(id);
  s.print(name ? `enum ${name}` : "enum");
  const vlen = t.vlen(id);
  if (vlen === 0) return;
  s.print(" {");
  const is64 = t.kind(id) === BtfKind.ENUM64;
  const w = t.words(id);
  if (is64) emitEnum64Values(s, w, t.kindFlag(id), lvl + 1);
  else emitEnum32Values(s, w, t.kindFlag(id), lvl + 1);
  s.print(`\n${indent(lvl)}}`);

  // Sizes C would not pick from the values alone need a mode attribute.
  const size = t.sizeOrType(id);
  if (size === 1) {
    s.print(" __attribute__((mode(byte)))");
  } else if (size === 8 && s.layout.ptrSize === 8) {
    // A 32-bit ENUM never grows to 8 bytes by itself; an ENUM64 does when a value needs it.
    let needsWord = true;
    if (is64) for (let at = 2; at < w.length; at += 3) if (w[at] !== 0) needsWord = false;
    if (needsWord) s.print(" __attribute__((mode(word)))");
  }
}

function enumeratorName(s: DumpState, nameOff: number): string {
  const name = s.table.strings.get(nameOff);
  const uses = s.names.countEnumerator(name);
  return uses > 1 ? `${name}___${uses}` : name;
}

function emitEnum32Values(s: DumpState, w: Uint32Array, signed: boolean, lvl: number): void {
  const pfx = indent(lvl);
  for (let at = 0; at + 2 <= w.length; at += 2) {
    const v = w[at + 1]!;
    s.print(`\n${pfx}${enumeratorName(s, w[at]!)} = ${signed ? v | 0 : v},`);
  }
}

function emitEnum64Values(s: DumpState, w: Uint32Array, signed: boolean, lvl: number): void {
  const pfx = indent(lvl);
  for (let at = 0; at + 3 <= w.length; at += 3) {
    const lo = w[at + 1]!;
    const hi = w[at + 2]!;
    const u = (BigInt(hi) << 32n) | BigInt(lo);
    const text = signed ? `${BigInt.asIntN(64, u)}LL` : `${u}ULL`;
    s.print(`\n${pfx}${enumeratorName(s, w[at]!)} = ${text},`);
  }
}

function checkGap(id: number, fromBits: number, toBits: number): void {
  if (toBits - fromBits > MAX_GAP_BYTES * 8) {
    throw new BtfError("BTF_BAD_ARGUMENT", `a ${Math.floor((toBits - fromBits) / 8)}-byte gap between members is too big to pad (corrupt offset or size?)`, { typeId: id });
  }
}

function nestingError(id: number): BtfError {
  return new BtfError("BTF_BAD_TYPE_ID", `anonymous types nest deeper than ${MAX_NESTING} (a cycle?)`, { typeId: id });
}
