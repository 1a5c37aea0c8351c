// DATASEC: its size and its entries by variable name (offset, size). Variables are resolved by
// name (ksyms), so a move is harmless; a variable gone is reported as its own removed VAR.

import type { Change } from "../model.js";
import type { DiffSide } from "../side.js";
import { compareTags, sameTags } from "./tags.js";

interface Entry {
  offset: number;
  size: number;
}

/** Whether two sections have the same size and the same variables at the same places, in order. */
export function sameDatasec(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const ta = a.table;
  const tb = b.table;
  if (ta.sizeOrType(ia) !== tb.sizeOrType(ib) || ta.vlen(ia) !== tb.vlen(ib)) return false;
  const n = ta.wordCount(ia);
  for (let at = 0; at + 3 <= n; at += 3) {
    if (ta.word(ia, at + 1) !== tb.word(ib, at + 1) || ta.word(ia, at + 2) !== tb.word(ib, at + 2)) return false;
    const va = ta.word(ia, at);
    const vb = tb.word(ib, at);
    if (!ta.has(va) || !tb.has(vb) || !a.sameNameAs(ta.nameOff(va), b, tb.nameOff(vb))) return false;
  }
  return sameTags(a, ia, b, ib);
}

export function compareDatasecs(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[] {
  const changes: Change[] = [];
  const sa = a.table.sizeOrType(ia);
  const sb = b.table.sizeOrType(ib);
  if (sa !== sb) changes.push({ change: "size", old: sa, new: sb, impact: "compatible" });
  const old = entries(a, ia);
  const now = entries(b, ib);
  for (const [name, e] of old) {
    const next = now.get(name);
    if (!next) changes.push({ change: "section-var-removed", var: name, old: e, impact: "compatible" });
    else if (next.offset !== e.offset || next.size !== e.size) changes.push({ change: "section-var-moved", var: name, old: e, new: next, impact: "compatible" });
  }
  for (const [name, e] of now) if (!old.has(name)) changes.push({ change: "section-var-added", var: name, new: e, impact: "compatible" });
  compareTags(a, ia, b, ib, changes);
  return changes;
}

/** Entries by the name of the VAR (or FUNC, in a BPF object's .ksyms) they describe. */
function entries(side: DiffSide, id: number): Map<string, Entry> {
  const t = side.table;
  const words = t.words(id);
  const out = new Map<string, Entry>();
  for (let at = 0; at + 3 <= words.length; at += 3) {
    const type = words[at]!;
    const name = t.has(type) ? side.name(type) : `<bad type id ${type}>`;
    if (!out.has(name)) out.set(name, { offset: words[at + 1]!, size: words[at + 2]! });
  }
  return out;
}
