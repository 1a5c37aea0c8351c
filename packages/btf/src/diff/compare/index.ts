// One comparison per family: a signature (equal on both sides exactly when nothing changed, the
// fast path for the great majority of types) and the detailed comparison for the rest.

import type { Entity } from "../entities.js";
import type { Family } from "../kinds.js";
import type { Change } from "../model.js";
import type { DiffSide } from "../side.js";
import { compareComposites, compositeSignature } from "./composite.js";
import { compareDatasecs, datasecSignature } from "./datasec.js";
import { compareEnums, enumSignature } from "./enum.js";
import { compareFuncs, funcSignature } from "./func.js";
import { compareScalars, compareTypedefs, compareVars, scalarSignature, typedefSignature, varSignature } from "./named-refs.js";

interface FamilyComparison {
  signature(side: DiffSide, id: number): string;
  compare(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[];
}

const BY_FAMILY: Record<Family, FamilyComparison> = {
  tag: { signature: compositeSignature, compare: compareComposites },
  enum: { signature: enumSignature, compare: compareEnums },
  typedef: { signature: typedefSignature, compare: compareTypedefs },
  scalar: { signature: scalarSignature, compare: compareScalars },
  func: { signature: funcSignature, compare: compareFuncs },
  var: { signature: varSignature, compare: compareVars },
  datasec: { signature: datasecSignature, compare: compareDatasecs },
};

export function signatureOf(side: DiffSide, e: Entity): string {
  return BY_FAMILY[e.family].signature(side, e.id);
}

export function compareEntities(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity): Change[] {
  return BY_FAMILY[ea.family].compare(a, ea.id, b, eb.id);
}
