// Pass 2 of the kernel's loader (btf_check_all_types), then its type-tag rule
// (btf_check_type_tags): every type that refers to others is resolved in id order, every
// FUNC_PROTO has sized return and argument types, and type tags come before other modifiers
// in every modifier chain.

import { BtfKind } from "../constants.js";
import { isValidIdentifier } from "./ctype.js";
import { bareProblem, typeProblem } from "./describe.js";
import { isModifierKind, isSourceOnly, isStructLike, needsResolve } from "./kinds.js";
import { resolveStep } from "./resolve-kinds.js";
import { Err, MAX_RESOLVE_DEPTH, Mode, type Resolver } from "./resolver.js";

/** The kernel's final sanity check that a resolved type holds what its kind should. */
function resolveValid(r: Resolver, id: number): boolean {
  if (!r.isResolved(id)) return false;
  const k = r.kind(id);
  const to = r.resolvedIds[id]!;
  const size = r.resolvedSizes[id]!;
  if (isStructLike(k) || k === BtfKind.DATASEC) return to === 0 && size === 0;
  if (k === BtfKind.DECL_TAG || k === BtfKind.FUNC) return to !== 0 && size === 0;
  if (isModifierKind(k) || k === BtfKind.PTR || k === BtfKind.VAR) {
    if (!r.exists(to)) return false;
    const tk = r.kind(to);
    return !isModifierKind(tk) && tk !== BtfKind.VAR && tk !== BtfKind.DATASEC;
  }
  if (k === BtfKind.ARRAY) {
    const elem = r.idSize(r.s.word(id, 0));
    return elem >= 0 && !isModifierKind(r.kind(elem)) && Math.imul(r.s.word(id, 2), r.lastSize) >>> 0 === size;
  }
  return false;
}

/** btf_resolve: walks from `id` until it and everything it depends on are resolved. */
function resolve(r: Resolver, id: number): Err {
  r.mode = Mode.TBD;
  r.push(id);
  let err: Err = Err.OK;
  while (!err && r.top > 0) err = resolveStep(r, r.stackIds[r.top - 1]!);
  if (err === Err.E2BIG) r.out.add(typeProblem(r.s, id, `Exceeded max resolving depth:${MAX_RESOLVE_DEPTH}`));
  else if (err === Err.EEXIST) r.out.add(typeProblem(r.s, id, "Loop detected"));
  if (!err && !resolveValid(r, id)) {
    r.out.add(typeProblem(r.s, id, "Invalid resolve state"));
    err = Err.EINVAL;
  }
  return err;
}

/** Resolves `id` if the walk has not yet, then asks for a sized type: -1 on failure. */
function resolveSized(r: Resolver, id: number): number {
  if (needsResolve(r.kind(id)) && !r.isResolved(id) && resolve(r, id)) return -2;
  return r.idSize(id);
}

/** btf_func_proto_check: sized return type (or void), named and sized arguments, vararg last. */
function checkFuncProto(r: Resolver, id: number): Err {
  const s = r.s;
  const invalid = (reason: string): Err => (r.out.add(typeProblem(s, id, reason)), Err.EINVAL);
  const ret = s.sizeType(id);
  if (ret) {
    if (!r.exists(ret) || isSourceOnly(r.kind(ret))) return invalid("Invalid return type");
    const sized = resolveSized(r, ret);
    if (sized === -2) return Err.EINVAL;
    if (sized < 0) return invalid("Invalid return type");
  }
  let n = s.vlen(id);
  if (!n) return Err.OK;
  if (!s.word(id, (n - 1) * 2 + 1)) {
    // A trailing void argument is "...": it has no name.
    if (s.word(id, (n - 1) * 2)) return invalid(`Invalid arg#${n}`);
    n--;
  }
  for (let i = 0; i < n; i++) {
    const argType = s.word(id, i * 2 + 1);
    if (!r.exists(argType) || isSourceOnly(r.kind(argType))) return invalid(`Invalid arg#${i + 1}`);
    const nameOff = s.word(id, i * 2);
    if (nameOff && (!s.validNameOffset(nameOff) || !isValidIdentifier(s.strings, nameOff))) return invalid(`Invalid arg#${i + 1}`);
    const sized = resolveSized(r, argType);
    if (sized === -2) return Err.EINVAL;
    if (sized < 0) return invalid(`Invalid arg#${i + 1}`);
  }
  return Err.OK;
}

/** btf_check_all_types: stops at the first problem, like the kernel. */
export function checkAllTypes(r: Resolver): boolean {
  const count = r.s.count;
  for (let id = r.s.firstId; id < count; id++) {
    const k = r.kind(id);
    if (needsResolve(k) && !r.isResolved(id) && resolve(r, id)) return false;
    if (k === BtfKind.FUNC_PROTO && checkFuncProto(r, id)) return false;
  }
  return true;
}

const CHAIN_LIMIT = 32;

/**
 * btf_check_type_tags: in every chain of modifiers, TYPE_TAGs come first. Chains already
 * checked from a lower id are not walked again past that id.
 */
export function checkTypeTags(r: Resolver): boolean {
  const s = r.s;
  let goodId = s.firstId - 1;
  for (let i = s.firstId; i < s.count; i++) {
    if (!isModifierKind(r.kind(i))) continue;
    let inTags = r.kind(i) === BtfKind.TYPE_TAG;
    let cur = i;
    let steps = 0;
    while (isModifierKind(r.kind(cur))) {
      if (steps++ === CHAIN_LIMIT) {
        r.out.add(bareProblem(i, "Max chain length or cycle detected"));
        return false;
      }
      if (r.kind(cur) === BtfKind.TYPE_TAG) {
        if (!inTags) {
          r.out.add(bareProblem(i, "Type tags don't precede modifiers", s.offsetOf(i)));
          return false;
        }
      } else {
        inTags = false;
      }
      if (cur <= goodId) break;
      cur = s.sizeType(cur);
      if (!r.exists(cur)) {
        r.out.add(bareProblem(i, "Invalid type_id", s.offsetOf(i)));
        return false;
      }
    }
    goodId = i;
  }
  return true;
}
