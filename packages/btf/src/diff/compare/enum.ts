// ENUM and ENUM64: kind, size, signedness, and enumerators by name. A program built without CO-RE
// has the old values compiled in; CO-RE's enumerator relocations find them by name.

import { BtfKind } from "../../constants.js";
import { enum64Value } from "../../kinds/builtin/enums.js";
import type { Change, EnumValue } from "../model.js";
import type { DiffSide } from "../side.js";
import { compareTags, sameTags } from "./tags.js";

/** Whether two enums read alike: kind, size, signedness, and each enumerator's name and value, in order. */
export function sameEnum(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const ta = a.table;
  const tb = b.table;
  if (ta.info(ia) !== tb.info(ib) || ta.sizeOrType(ia) !== tb.sizeOrType(ib)) return false;
  const stride = ta.kind(ia) === BtfKind.ENUM64 ? 3 : 2;
  const n = ta.wordCount(ia);
  for (let at = 0; at + stride <= n; at += stride) {
    if (ta.word(ia, at + 1) !== tb.word(ib, at + 1) || (stride === 3 && ta.word(ia, at + 2) !== tb.word(ib, at + 2))) return false;
    if (!a.sameNameAs(ta.word(ia, at), b, tb.word(ib, at))) return false;
  }
  return sameTags(a, ia, b, ib);
}

export function compareEnums(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[] {
  const ta = a.table;
  const tb = b.table;
  const changes: Change[] = [];
  // libbpf matches ENUM and ENUM64 with each other: the values are relocated, their width changes.
  if (ta.kind(ia) !== tb.kind(ib)) changes.push({ change: "kind", old: a.entityKind(ia)!, new: b.entityKind(ib)!, impact: "relocatable" });
  if (ta.sizeOrType(ia) !== tb.sizeOrType(ib)) changes.push({ change: "size", old: ta.sizeOrType(ia), new: tb.sizeOrType(ib), impact: "relocatable" });
  if (ta.kindFlag(ia) !== tb.kindFlag(ib)) changes.push({ change: "signedness", old: ta.kindFlag(ia), new: tb.kindFlag(ib), impact: "compatible" });
  const old = enumerators(a, ia);
  const now = enumerators(b, ib);
  for (const [name, value] of old) {
    const next = now.get(name);
    if (next === undefined) changes.push({ change: "enumerator-removed", name, old: value, impact: "unrelocatable" });
    else if (next !== value) changes.push({ change: "enumerator-changed", name, old: value, new: next, impact: "relocatable" });
  }
  for (const [name, value] of now) if (!old.has(name)) changes.push({ change: "enumerator-added", name, new: value, impact: "compatible" });
  compareTags(a, ia, b, ib, changes);
  return changes;
}

/** Enumerators by name, in order; a repeated name (malformed) keeps its first value. */
function enumerators(side: DiffSide, id: number): Map<string, EnumValue> {
  const t = side.table;
  const signed = t.kindFlag(id);
  const is64 = t.kind(id) === BtfKind.ENUM64;
  const stride = is64 ? 3 : 2;
  const words = t.words(id);
  const values = new Map<string, EnumValue>();
  for (let at = 0; at + stride <= words.length; at += stride) {
    const name = side.nameAt(words[at]!);
    if (values.has(name)) continue;
    values.set(name, is64 ? exact(enum64Value(words[at + 1]!, words[at + 2]!, signed)) : signed ? words[at + 1]! | 0 : words[at + 1]!);
  }
  return values;
}

/** A 64-bit value as a number when a double holds it exactly, else as its decimal string. */
function exact(v: bigint): EnumValue {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}
