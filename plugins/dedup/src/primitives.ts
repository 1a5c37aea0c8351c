// Phase 1: the types that refer to nothing — INT, FLOAT, FWD, ENUM, ENUM64 — merge when their
// records are equal. An enum without values (an enum forward declaration, as gcc emits for
// `enum e;`) is resolved afterwards to the unique full enum or enum64 of its name (see fwds.ts).

import { BtfKind } from "@btforge/btf";
import type { DedupState } from "./state.js";

export function isPrimitive(kind: number): boolean {
  return kind === BtfKind.INT || kind === BtfKind.FLOAT || kind === BtfKind.FWD || kind === BtfKind.ENUM || kind === BtfKind.ENUM64;
}

/** Makes the base's types candidates: they are canonical as they are. */
export function indexBase(d: DedupState): void {
  const g = d.g;
  for (let id = 1; id < g.firstOwn; id++) {
    d.map[id] = id;
    const kind = g.kind(id);
    if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) d.index.add(id, d.hashShape(id));
    else if (g.layouts[kind]!.builtin) d.index.add(id, d.hashRecord(id));
  }
}

export function dedupPrimitives(d: DedupState): void {
  const g = d.g;
  const equal = (id: number, c: number) => d.equalRecord(id, c);
  for (let id = g.firstOwn; id < g.size; id++) {
    if (isPrimitive(g.kind(id))) d.canonicalize(id, d.hashRecord(id), equal);
  }
}
