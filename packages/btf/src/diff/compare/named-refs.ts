// TYPEDEF (its target), VAR (its type and linkage), INT and FLOAT (size and encoding): the kinds
// whose description is one reference or a few numbers.

import { BtfIntEncoding, BtfKind } from "../../constants.js";
import { intWord } from "../../kinds/builtin/scalars.js";
import type { Change } from "../model.js";
import type { DiffSide } from "../side.js";
import { linkageName } from "./func.js";
import { retypeImpact } from "./impact.js";
import { compareTags, sameTags } from "./tags.js";

/** Whether two typedefs name the same type (spelled alike, of one size). */
export function sameTypedef(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const ta = a.table.sizeOrType(ia);
  const tb = b.table.sizeOrType(ib);
  return a.spell(ta) === b.spell(tb) && a.byteSize(ta) === b.byteSize(tb) && sameTags(a, ia, b, ib);
}

export function compareTypedefs(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[] {
  const changes: Change[] = [];
  compareTarget(a, a.table.sizeOrType(ia), b, b.table.sizeOrType(ib), changes);
  compareTags(a, ia, b, ib, changes);
  return changes;
}

/** Whether two variables have the same linkage and type. */
export function sameVar(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  return a.table.word(ia, 0) === b.table.word(ib, 0) && sameTypedef(a, ia, b, ib);
}

export function compareVars(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[] {
  const changes: Change[] = [];
  compareTarget(a, a.table.sizeOrType(ia), b, b.table.sizeOrType(ib), changes);
  const la = a.table.word(ia, 0);
  const lb = b.table.word(ib, 0);
  if (la !== lb) changes.push({ change: "linkage", old: linkageName(la), new: linkageName(lb), impact: "compatible" });
  compareTags(a, ia, b, ib, changes);
  return changes;
}

/** Whether two INTs or FLOATs have the same kind, size and encoding. */
export function sameScalar(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const ta = a.table;
  const tb = b.table;
  const kind = ta.kind(ia);
  if (kind !== tb.kind(ib) || ta.sizeOrType(ia) !== tb.sizeOrType(ib)) return false;
  return (kind !== BtfKind.INT || ta.word(ia, 0) === tb.word(ib, 0)) && sameTags(a, ia, b, ib);
}

export function compareScalars(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[] {
  const ta = a.table;
  const tb = b.table;
  const changes: Change[] = [];
  const ka = ta.kind(ia);
  const kb = tb.kind(ib);
  // CO-RE matches an INT with INTs only, a FLOAT with FLOATs.
  if (ka !== kb) changes.push({ change: "kind", old: a.entityKind(ia)!, new: b.entityKind(ib)!, impact: "unrelocatable" });
  if (ta.sizeOrType(ia) !== tb.sizeOrType(ib)) changes.push({ change: "size", old: ta.sizeOrType(ia), new: tb.sizeOrType(ib), impact: "relocatable" });
  if (ka === BtfKind.INT && kb === BtfKind.INT) {
    const wa = ta.word(ia, 0);
    const wb = tb.word(ib, 0);
    if (wa !== wb) {
      const layout = intWord.offset(wa) !== intWord.offset(wb) || intWord.bits(wa) !== intWord.bits(wb);
      changes.push({ change: "encoding", old: intEncoding(wa), new: intEncoding(wb), impact: layout ? "relocatable" : "compatible" });
    }
  }
  compareTags(a, ia, b, ib, changes);
  return changes;
}

function compareTarget(a: DiffSide, ta: number, b: DiffSide, tb: number, out: Change[]): void {
  const old = a.spell(ta);
  const now = b.spell(tb);
  const sizeA = a.byteSize(ta);
  const sizeB = b.byteSize(tb);
  // Spelled alike, another size: the named type it refers to changed (and is reported itself).
  if (old === now) {
    if (sizeA !== sizeB) out.push({ change: "size", old: sizeA, new: sizeB, impact: "relocatable" });
    return;
  }
  out.push({ change: "type", old, new: now, impact: retypeImpact(a, ta, b, tb) });
}

/** `signed char 8 bits`, `bool 8 bits`, `unsigned 32 bits at bit 3`. */
function intEncoding(word: number): string {
  const e = intWord.encoding(word);
  const names: string[] = [];
  names.push(e & BtfIntEncoding.SIGNED ? "signed" : "unsigned");
  if (e & BtfIntEncoding.CHAR) names.push("char");
  if (e & BtfIntEncoding.BOOL) names.push("bool");
  const offset = intWord.offset(word);
  return `${names.join(" ")} ${intWord.bits(word)} bits${offset ? ` at bit ${offset}` : ""}`;
}
