// One comparison per family: a quick "same" test (every field the detailed comparison looks at,
// without making an object: the great majority of types pass it) and the detailed comparison.

import { BtfKind } from "../../constants.js";
import type { Entity } from "../entities.js";
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

export function compareEntities(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity): Change[] {
  return BY_FAMILY[ea.family].compare(a, ea.id, b, eb.id);
}
