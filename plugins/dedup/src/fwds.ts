// Phase 3: forward declarations the graph walks did not settle. A FWD (struct or union) becomes
// the one canonical definition of its name and kind, and an enum without values the one full
// enum/enum64 of its name; when there are several different definitions the declaration stays,
// since nothing says which one it meant.

import { BtfKind } from "@btforge/btf";
import type { DedupState } from "./state.js";

const AMBIGUOUS = -1;

export function resolveForwards(d: DedupState): void {
  const g = d.g;
  const definitions = new Map<number, number>();
  const note = (key: number, id: number) => definitions.set(key, definitions.has(key) ? AMBIGUOUS : id);
  for (let id = 1; id < g.size; id++) {
    if (d.map[id] !== id || g.name[id] === 0) continue;
    const kind = g.kind(id);
    if (kind === BtfKind.STRUCT) note(key(g.name[id]!, 0), id);
    else if (kind === BtfKind.UNION) note(key(g.name[id]!, 1), id);
    else if ((kind === BtfKind.ENUM || kind === BtfKind.ENUM64) && g.vlen(id) > 0) note(key(g.name[id]!, 2), id);
  }
  for (let id = g.firstOwn; id < g.size; id++) {
    if (d.map[id] !== id || g.name[id] === 0) continue;
    const kind = g.kind(id);
    let k: number;
    if (kind === BtfKind.FWD) k = key(g.name[id]!, g.kindFlag(id) ? 1 : 0);
    else if ((kind === BtfKind.ENUM || kind === BtfKind.ENUM64) && g.vlen(id) === 0) k = key(g.name[id]!, 2);
    else continue;
    const target = definitions.get(k);
    if (target !== undefined && target !== AMBIGUOUS) d.map[id] = target;
  }
}

/** Name string id and a kind class (0 struct, 1 union, 2 enum) in one Map key. */
function key(sid: number, cls: number): number {
  return sid * 4 + cls;
}
