// One comparison per family: a quick "same" test (every field the detailed comparison looks at,
// without making an object: the great majority of types pass it) and the detailed comparison.

import { BtfKind } from "../../constants.js";
import { type Entity, memberNames } from "../entities.js";
import type { Family } from "../kinds.js";
import type { Change } from "../model.js";
import type { DiffSide } from "../side.js";
import { compareComposites, sameComposite } from "./composite.js";
import { compareDatasecs, sameDatasec } from "./datasec.js";
import { compareEnums, sameEnum } from "./enum.js";
import { compareFuncs, sameFunc } from "./func.js";
import { compareScalars, compareTypedefs, compareVars, sameScalar, sameTypedef, sameVar } from "./named-refs.js";

interface FamilyComparison {
  same(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean;
  compare(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[];
}

const BY_FAMILY: Record<Family, FamilyComparison> = {
  tag: { same: sameComposite, compare: compareComposites },
  enum: { same: sameEnum, compare: compareEnums },
  typedef: { same: sameTypedef, compare: compareTypedefs },
  scalar: { same: sameScalar, compare: compareScalars },
  func: { same: sameFunc, compare: compareFuncs },
  var: { same: sameVar, compare: compareVars },
  datasec: { same: sameDatasec, compare: compareDatasecs },
};

/** Whether two entities of one family read alike (the sides may be the same, for same-named copies). */
export function sameEntity(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity): boolean {
  return BY_FAMILY[ea.family].same(a, ea.id, b, eb.id);
}

/**
 * A short text equal for any two entities sameEntity calls the same (the converse need not hold):
 * it buckets the members of a same-named group so that they are not compared pairwise. The
 * kernel has groups of hundreds (anonymous unions that all start with `event`).
 */
export function fingerprintOf(side: DiffSide, e: Entity): string {
  const t = side.table;
  const id = e.id;
  const head = `${t.kind(id)} ${t.vlen(id)}`;
  switch (e.family) {
    case "tag": {
      if (t.kind(id) === BtfKind.FWD) return head;
      const members = side.members.fill(t, id);
      let s = `${head} ${t.sizeOrType(id)}`;
      for (let i = 0; i < members.count; i++) s += `|${side.spell(members.type[i]!)}`;
      return s;
    }
    case "typedef":
    case "var":
    case "func":
      return `${head} ${side.spell(t.sizeOrType(id))}`;
    default:
      return `${head} ${t.sizeOrType(id)} ${t.wordCount(id) > 1 ? t.word(id, 1) : ""}`;
  }
}

/**
 * What two different entities of one family have in common: for structs and unions the members
 * alike by name and spelled type, for enums the enumerator names; 1 for other kinds (any two are
 * as close).
 */
export function affinityOf(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity): number {
  if (ea.family === "enum") {
    const names = new Set(memberNames(a, ea.id));
    return memberNames(b, eb.id).filter((n) => names.has(n)).length;
  }
  if (ea.family !== "tag" || a.table.kind(ea.id) === BtfKind.FWD || b.table.kind(eb.id) === BtfKind.FWD) return 1;
  const ma = a.members.fill(a.table, ea.id);
  const mine = new Set<string>();
  for (let i = 0; i < ma.count; i++) mine.add(`${a.nameAt(ma.nameOff[i]!)} ${a.spell(ma.type[i]!)}`);
  const mb = (b === a ? b.moreMembers : b.members).fill(b.table, eb.id);
  let shared = 0;
  for (let i = 0; i < mb.count; i++) if (mine.has(`${b.nameAt(mb.nameOff[i]!)} ${b.spell(mb.type[i]!)}`)) shared++;
  return shared;
}

export function compareEntities(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity): Change[] {
  return BY_FAMILY[ea.family].compare(a, ea.id, b, eb.id);
}
