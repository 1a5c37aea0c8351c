// What CO-RE can relocate, after libbpf's rules (tools/lib/bpf/relo_core.c, libbpf.c):
// - a relocation finds its target type by kind and "essential" name (the name without a
//   `___flavor` suffix); ENUM and ENUM64 match each other, every other kind only itself
//   (btf_kind_core_compat), so a struct that became a union has no candidate;
// - a field is found by name, through anonymous members, and must have a compatible type
//   (bpf_core_fields_are_compat): modifiers and typedefs are skipped; any struct/union matches any
//   struct/union; pointers match pointers and floats floats; ints match ints (not the deprecated
//   bitfield-like ints with a bit offset); enums and forward declarations match by essential name
//   (an anonymous one matches any); arrays match when their elements do.
// A field whose offset or size moved is then relocated; one whose type is not compatible is not.

import { BtfKind } from "../constants.js";
import { intWord } from "../kinds/builtin/scalars.js";
import type { BtfTypeStore } from "../store.js";
import { nameOf } from "./spell.js";

const MAX_DEPTH = 32;

/** libbpf's bpf_core_fields_are_compat across two BTFs. */
export function fieldsCoreCompatible(ta: BtfTypeStore, a: number, tb: BtfTypeStore, b: number): boolean {
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    a = skipModsAndTypedefs(ta, a);
    b = skipModsAndTypedefs(tb, b);
    if (a === 0 || b === 0 || !ta.has(a) || !tb.has(b)) return false;
    const ka = ta.kind(a);
    const kb = tb.kind(b);
    if (isComposite(ka) && isComposite(kb)) return true;
    if (!kindsCoreCompatible(ka, kb)) return false;
    switch (ka) {
      case BtfKind.PTR:
      case BtfKind.FLOAT:
        return true;
      case BtfKind.FWD:
      case BtfKind.ENUM:
      case BtfKind.ENUM64: {
        const na = essentialName(nameOf(ta, a));
        const nb = essentialName(nameOf(tb, b));
        return na === "" || nb === "" || na === nb;
      }
      case BtfKind.INT:
        return intWord.offset(ta.word(a, 0)) === 0 && intWord.offset(tb.word(b, 0)) === 0;
      case BtfKind.ARRAY:
        a = ta.word(a, 0);
        b = tb.word(b, 0);
        continue;
      default:
        return false;
    }
  }
  return false;
}

/** btf_kind_core_compat: the same kind, or both enums. */
export function kindsCoreCompatible(ka: number, kb: number): boolean {
  return ka === kb || (isEnum(ka) && isEnum(kb));
}

/** The name without libbpf's `___flavor` suffix: the last `X___Y` with X and Y not `_` (bpf_core_essential_name_len). */
export function essentialName(name: string): string {
  for (let i = name.length - 5; i >= 0; i--) {
    if (name[i] !== "_" && name.startsWith("___", i + 1) && name[i + 4] !== "_") return name.slice(0, i + 1);
  }
  return name;
}

/**
 * Whether two pointers point at differently named structs, unions or enums (`struct btf *` and
 * `struct bpf_reg_state *`). libbpf relocates such a field (any pointer matches any pointer), but
 * what a program then reads through it is another type: nothing can relocate that.
 */
export function pointeesDiffer(ta: BtfTypeStore, a: number, tb: BtfTypeStore, b: number): boolean {
  a = skipModsAndTypedefs(ta, a);
  b = skipModsAndTypedefs(tb, b);
  if (a === 0 || b === 0 || !ta.has(a) || !tb.has(b) || ta.kind(a) !== BtfKind.PTR || tb.kind(b) !== BtfKind.PTR) return false;
  a = skipModsAndTypedefs(ta, ta.sizeOrType(a));
  b = skipModsAndTypedefs(tb, tb.sizeOrType(b));
  if (a === 0 || b === 0 || !ta.has(a) || !tb.has(b) || !isNamedTag(ta.kind(a)) || !isNamedTag(tb.kind(b))) return false;
  const na = essentialName(nameOf(ta, a));
  const nb = essentialName(nameOf(tb, b));
  return na !== "" && nb !== "" && na !== nb;
}

function isNamedTag(kind: number): boolean {
  return isComposite(kind) || isEnum(kind) || kind === BtfKind.FWD;
}

function skipModsAndTypedefs(t: BtfTypeStore, id: number): number {
  for (let depth = 0; depth < MAX_DEPTH && id !== 0 && t.has(id); depth++) {
    const kind = t.kind(id);
    if (kind !== BtfKind.CONST && kind !== BtfKind.VOLATILE && kind !== BtfKind.RESTRICT && kind !== BtfKind.TYPE_TAG && kind !== BtfKind.TYPEDEF) return id;
    id = t.sizeOrType(id);
  }
  return id;
}

function isComposite(kind: number): boolean {
  return kind === BtfKind.STRUCT || kind === BtfKind.UNION;
}

function isEnum(kind: number): boolean {
  return kind === BtfKind.ENUM || kind === BtfKind.ENUM64;
}
