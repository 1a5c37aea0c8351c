// The impact of a type that is spelled differently in the new build, where a program reads a value
// of it (a member, a typedef's target, a variable, an argument).

import { fieldsCoreCompatible, pointeesDiffer } from "../core-compat.js";
import type { Impact } from "../model.js";
import type { DiffSide } from "../side.js";

/**
 * Incompatible for CO-RE, or a pointer to another named type: unrelocatable; compatible but another
 * size: relocatable; else compatible.
 */
export function retypeImpact(a: DiffSide, typeA: number, b: DiffSide, typeB: number): Impact {
  if (!fieldsCoreCompatible(a.table, typeA, b.table, typeB) || pointeesDiffer(a.table, typeA, b.table, typeB)) return "unrelocatable";
  return a.byteSize(typeA) === b.byteSize(typeB) ? "compatible" : "relocatable";
}

/**
 * Arguments are not relocated by CO-RE at all: a program attached to a function (fentry, kprobe)
 * reads them by position, so only a same-size compatible type keeps it right.
 */
export function argumentImpact(a: DiffSide, typeA: number, b: DiffSide, typeB: number): Impact {
  return retypeImpact(a, typeA, b, typeB) === "compatible" ? "compatible" : "unrelocatable";
}
