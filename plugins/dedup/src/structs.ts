// Phase 2: structs and unions, by structural equivalence of their whole type graphs. Candidates
// are the canonical structs of the same shape (name, size, member names and offsets); the first
// one whose graph is equivalent wins. A struct some earlier walk already merged is skipped.

import { BtfKind } from "@btforge/btf";
import { Equivalence } from "./equivalence.js";
import { UNPROCESSED, type DedupState } from "./state.js";

export function dedupStructs(d: DedupState): void {
  const g = d.g;
  const eq = new Equivalence(d);
  const equivalent = (id: number, c: number) => {
    // The shape check also keeps a colliding FWD out: FWD and struct count as equivalent in
    // the walk, and merging a struct into a FWD would make a loop.
    if (g.kind(c) !== g.kind(id) || !d.equalShape(id, c) || !eq.isEquivalent(id, c)) return false;
    eq.merge();
    return true;
  };
  for (let id = g.firstOwn; id < g.size; id++) {
    const kind = g.kind(id);
    if ((kind === BtfKind.STRUCT || kind === BtfKind.UNION) && d.map[id] === UNPROCESSED) d.canonicalize(id, d.hashShape(id), equivalent);
  }
}
