// Printing queued definitions, with the forward declarations C needs on the way.
//
// Before a definition is printed, every type its members (or its typedef target) mention is
// visited first. A named struct/union met on the way that is not being defined right now gets
// a forward declaration (`struct foo;`); one met while its own definition is in progress (a
// pointer back to it from a nested anonymous type) needs nothing. A typedef met while in
// progress is printed early: that is legal, because such a reference only goes through a
// pointer, and later uses only need the name.

import { BtfKind } from "../constants.js";
import { emitEnumDef, emitFwdDef, emitStructDef, emitStructFwd, emitTypedefDef } from "./defs.js";
import { DumpState, Emit, MAX_CHAIN } from "./state.js";
import { BtfError } from "../errors.js";

/** GCC typedefs of internal ARM SIMD types, spelled as standard types so other compilers take them. */
const MISSING_BASE_TYPES = new Map([
  ["__Poly8_t", "unsigned char"],
  ["__Poly16_t", "unsigned short"],
  ["__Poly64_t", "unsigned long long"],
  ["__Poly128_t", "unsigned __int128"],
]);

/** `__builtin_va_list` is a compiler built-in: redefining it breaks other compilers. */
export function isBlacklisted(s: DumpState, id: number): boolean {
  const off = s.table.nameOff(id);
  return off !== 0 && s.table.strings.get(off) === "__builtin_va_list";
}

/** Print one type's definition (top level when `containerId` is 0) and what it depends on. */
export function emitType(s: DumpState, id: number, containerId: number, depth = 0): void {
  const state = s.emit[id]!;
  if (state === Emit.EMITTED) return;
  if (depth > MAX_CHAIN) {
    throw new BtfError("BTF_BAD_TYPE_ID", `type references nest deeper than ${MAX_CHAIN} (a reference cycle?)`, { typeId: id });
  }
  const t = s.table;
  const kind = t.kind(id);
  if (state === Emit.EMITTING) {
    emitEarly(s, id, kind, containerId);
    return;
  }
  const topLevel = containerId === 0;

  switch (kind) {
    case BtfKind.INT: {
      const alias = MISSING_BASE_TYPES.get(s.names.tagName(id));
      if (alias !== undefined) s.print(`typedef ${alias} ${s.names.tagName(id)};\n\n`);
      s.emit[id] = Emit.EMITTED;
      break;
    }
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
      if (topLevel) {
        emitEnumDef(s, id, 0);
        s.print(";\n\n");
      }
      s.emit[id] = Emit.EMITTED;
      break;
    case BtfKind.PTR:
    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
      emitType(s, t.sizeOrType(id), containerId, depth + 1);
      break;
    case BtfKind.ARRAY:
      emitType(s, t.word(id, 0), containerId, depth + 1);
      break;
    case BtfKind.FWD:
      emitFwdDef(s, id);
      s.print(";\n\n");
      s.emit[id] = Emit.EMITTED;
      break;
    case BtfKind.TYPEDEF:
      s.emit[id] = Emit.EMITTING;
      emitType(s, t.sizeOrType(id), id, depth + 1);
      if (!s.fwdEmitted[id] && !isBlacklisted(s, id)) {
        emitTypedefDef(s, id, 0);
        s.print(";\n\n");
      }
      s.emit[id] = Emit.EMITTED;
      break;
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      emitComposite(s, id, containerId, depth);
      break;
    case BtfKind.FUNC_PROTO: {
      emitType(s, t.sizeOrType(id), containerId, depth + 1);
      const w = t.words(id);
      for (let at = 1; at < w.length; at += 2) emitType(s, w[at]!, containerId, depth + 1);
      break;
    }
    default:
      break;
  }
}

function emitComposite(s: DumpState, id: number, containerId: number, depth: number): void {
  const t = s.table;
  const topLevel = containerId === 0;
  const named = t.nameOff(id) !== 0;
  s.emit[id] = Emit.EMITTING;
  // Printed in full here (top level) or inline (anonymous): its members' types come first.
  if (topLevel || !named) {
    const inner = named ? id : containerId;
    const w = t.words(id);
    for (let at = 1; at < w.length; at += 3) emitType(s, w[at]!, inner, depth + 1);
  } else if (!s.fwdEmitted[id] && id !== containerId) {
    emitStructFwd(s, id);
    s.print(";\n\n");
    s.fwdEmitted[id] = 1;
  }
  if (topLevel) {
    emitStructDef(s, id, 0);
    s.print(";\n\n");
    s.emit[id] = Emit.EMITTED;
  } else {
    s.emit[id] = Emit.NONE;
  }
}

/** A type met again while its own definition is being printed. */
function emitEarly(s: DumpState, id: number, kind: number, containerId: number): void {
  if (s.fwdEmitted[id]) return;
  if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) {
    if (id === containerId) return; // a pointer to the struct being defined: no declaration needed
    if (s.table.nameOff(id) === 0) {
      s.warn(`anonymous struct/union loop, id:[${id}]`);
      return;
    }
    emitStructFwd(s, id);
    s.print(";\n\n");
    s.fwdEmitted[id] = 1;
  } else if (kind === BtfKind.TYPEDEF) {
    if (!isBlacklisted(s, id)) {
      emitTypedefDef(s, id, 0);
      s.print(";\n\n");
    }
    s.fwdEmitted[id] = 1;
  }
}
