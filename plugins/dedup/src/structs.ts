// Phase 2: structs and unions, by structural equivalence of their whole type graphs. Candidates
// are the canonical structs of the same shape (name, size, member names and offsets); the first
// one whose graph is equivalent wins. A struct some earlier walk already merged is skipped.

import { BtfKind } from "@btforge/btf";
import { Equivalence } from "./equivalence.js";
import { UNPROCESSED, type DedupState } from "./state.js";

export function dedupStructs(d: DedupState): void {
  const g = d.g;
  const eq = new Equivalence(d);
  for (let id = g.firstOwn; id < g.size; id++) {
    const kind = g.kind(id);
    if ((kind !== BtfKind.STRUCT && kind !== BtfKind.UNION) || d.map[id] !== UNPROCESSED) continue;
    const h = d.hashShape(id);
    let found = 0;
    for (let c = d.index.first(h); c !== 0; c = d.index.after(c, h)) {
      // The shape check also keeps a colliding FWD out: FWD and struct count as equivalent in
      // the walk, and merging a struct into a FWD would make a loop.
      if (g.kind(c) !== kind || !d.equalShape(id, c)) continue;
      if (!eq.isEquivalent(id, c)) continue;
      eq.merge();
      found = c;
      break;
    }
    if (found !== 0) d.map[id] = found;
    else {
      d.map[id] = id;
      d.index.add(id, h);
    }
  }
}
