// DATASEC: its size and its entries by variable name (offset, size). Variables are resolved by
// name (ksyms), so a move is harmless; a variable gone is reported as its own removed VAR.

import type { Change } from "../model.js";
import type { DiffSide } from "../side.js";
import { compareTags, tagsSignature } from "./tags.js";

interface Entry {
  offset: number;
  size: number;
}

export function datasecSignature(side: DiffSide, id: number): string {
  let s = String(side.table.sizeOrType(id));
  for (const [name, e] of entries(side, id)) s += `|${name} ${e.offset} ${e.size}`;
  return s + tagsSignature(side, id);
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
