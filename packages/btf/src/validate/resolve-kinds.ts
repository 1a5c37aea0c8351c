// One resolve step per kind (the kernel's `resolve` operations). A step either descends (pushes
// a type it depends on and returns; it runs again once that type is resolved), or finishes its
// vertex (pops it with the id and size it resolves to), or reports a problem.

import { BtfKind } from "../constants.js";
import { typeProblem, vsiProblem, memberProblem } from "./describe.js";
import { isDeclTagTarget, isModifierKind, isNoSize, isSizelessTarget, isSourceOnly } from "./kinds.js";
import { checkMember } from "./members.js";
import { Err, Mode, type Resolver } from "./resolver.js";

function invalid(r: Resolver, id: number, reason: string): Err {
  r.out.add(typeProblem(r.s, id, reason));
  return Err.EINVAL;
}

/**
 * After a modifier that was resolved earlier: if it resolved to a pointer that this walk has
 * not resolved, follow that pointer too, so a pointer loop through modifiers is seen.
 */
function descendThroughResolvedModifier(r: Resolver, next: number): Err | undefined {
  if (!isModifierKind(r.kind(next))) return undefined;
  const target = r.resolvedIds[next]!;
  if (r.kind(target) === BtfKind.PTR && r.mustDescend(target)) return r.push(target);
  return undefined;
}

/**
 * Ends a modifier or pointer: at a sized type, or at void, a forward declaration or a function
 * prototype (also reached through an already resolved modifier or function).
 */
function finishReference(r: Resolver, id: number, next: number): Err {
  let to = r.idSize(next);
  if (to < 0) {
    to = next;
    if (r.isResolved(to)) to = r.resolvedIds[to]!;
    if (!isSizelessTarget(r.kind(to))) return invalid(r, id, "Invalid type_id");
  }
  return r.popResolved(to, 0);
}

function resolveModifier(r: Resolver, id: number): Err {
  const next = r.s.sizeType(id);
  if (!r.exists(next) || isSourceOnly(r.kind(next))) return invalid(r, id, "Invalid type_id");
  if (r.mustDescend(next)) return r.push(next);
  return finishReference(r, id, next);
}

function resolvePtr(r: Resolver, id: number): Err {
  const next = r.s.sizeType(id);
  if (!r.exists(next) || isSourceOnly(r.kind(next))) return invalid(r, id, "Invalid type_id");
  if (r.mustDescend(next)) return r.push(next);
  const descended = descendThroughResolvedModifier(r, next);
  if (descended !== undefined) return descended;
  return finishReference(r, id, next);
}

function resolveVar(r: Resolver, id: number): Err {
  const next = r.s.sizeType(id);
  if (!r.exists(next) || isSourceOnly(r.kind(next))) return invalid(r, id, "Invalid type_id");
  if (r.mustDescend(next)) return r.push(next);
  const descended = descendThroughResolvedModifier(r, next);
  if (descended !== undefined) return descended;
  // A variable needs a concrete size: no void, forward declaration or function.
  const to = r.idSize(next);
  if (to < 0) return invalid(r, id, "Invalid type_id");
  return r.popResolved(to, 0);
}

function resolveArray(r: Resolver, id: number): Err {
  const s = r.s;
  const index = s.word(id, 1);
  if (!r.exists(index) || isNoSize(r.kind(index)) || isSourceOnly(r.kind(index))) return invalid(r, id, "Invalid index");
  if (r.mustDescend(index)) return r.push(index);
  const indexType = r.idSize(index);
  if (indexType < 0 || r.kind(indexType) !== BtfKind.INT || !r.intIsRegular(indexType)) return invalid(r, id, "Invalid index");

  const elem = s.word(id, 0);
  if (!r.exists(elem) || isNoSize(r.kind(elem)) || isSourceOnly(r.kind(elem))) return invalid(r, id, "Invalid elem");
  if (r.mustDescend(elem)) return r.push(elem);
  const elemType = r.idSize(elem);
  if (elemType < 0) return invalid(r, id, "Invalid elem");
  const elemSize = r.lastSize;
  if (r.kind(elemType) === BtfKind.INT && !r.intIsRegular(elemType)) return invalid(r, id, "Invalid array of int");
  const nelems = s.word(id, 2);
  if (nelems && elemSize > Math.floor(0xffffffff / nelems)) return invalid(r, id, "Array size overflows U32_MAX");
  return r.popResolved(elemType, Math.imul(elemSize, nelems) >>> 0);
}

function resolveStruct(r: Resolver, id: number): Err {
  const s = r.s;
  const kflag = s.kflag(id);
  const from = r.stackNext[r.top - 1]!;
  if (from) {
    // The member the walk descended into is resolved now: check it before going on.
    const last = from - 1;
    const lastType = s.word(id, last * 3 + 1);
    if (!r.isResolved(lastType)) return invalid(r, id, "Invalid resolve state");
    const err = checkMember(r, id, last, lastType, kflag);
    if (err) return err;
  }
  const vlen = s.vlen(id);
  for (let i = from; i < vlen; i++) {
    const memberType = s.word(id, i * 3 + 1);
    if (!r.exists(memberType) || isNoSize(r.kind(memberType)) || isSourceOnly(r.kind(memberType))) {
      r.out.add(memberProblem(s, id, i, "Invalid member"));
      return Err.EINVAL;
    }
    if (r.mustDescend(memberType)) {
      r.setNextMember(i + 1);
      return r.push(memberType);
    }
    const err = checkMember(r, id, i, memberType, kflag);
    if (err) return err;
  }
  return r.popResolved(0, 0);
}

function resolveDatasec(r: Resolver, id: number): Err {
  const s = r.s;
  // The kernel restarts the mode at every step of a DATASEC, so each variable walks afresh.
  r.mode = Mode.TBD;
  const vlen = s.vlen(id);
  for (let i = r.stackNext[r.top - 1]!; i < vlen; i++) {
    const varId = s.word(id, i * 3);
    const bad = (reason: string): Err => (r.out.add(vsiProblem(s, id, i, reason)), Err.EINVAL);
    if (!r.exists(varId) || r.kind(varId) !== BtfKind.VAR) return bad("Not a VAR kind member");
    if (r.mustDescend(varId)) {
      // Like the kernel, the entry that made the walk descend is not size-checked afterwards.
      r.setNextMember(i + 1);
      return r.push(varId);
    }
    if (r.idSize(s.sizeType(varId)) < 0) return bad("Invalid type");
    if (s.word(id, i * 3 + 2) < r.lastSize) return bad("Invalid size");
  }
  return r.popResolved(0, 0);
}

/** btf_func_check: a FUNC names a FUNC_PROTO whose typed arguments all have names. */
function resolveFunc(r: Resolver, id: number): Err {
  const s = r.s;
  const proto = s.sizeType(id);
  if (!r.exists(proto) || r.kind(proto) !== BtfKind.FUNC_PROTO) return invalid(r, id, "Invalid type_id");
  const n = s.vlen(proto);
  for (let i = 0; i < n; i++) {
    if (!s.word(proto, i * 2) && s.word(proto, i * 2 + 1)) return invalid(r, id, `Invalid arg#${i + 1}`);
  }
  return r.popResolved(proto, 0);
}

function resolveDeclTag(r: Resolver, id: number): Err {
  const s = r.s;
  const next = s.sizeType(id);
  if (!r.exists(next) || !isDeclTagTarget(r.kind(next))) return invalid(r, id, "Invalid type_id");
  if (r.mustDescend(next)) return r.push(next);
  const component = s.word(id, 0) | 0;
  if (component !== -1) {
    const k = r.kind(next);
    if (k === BtfKind.VAR || k === BtfKind.TYPEDEF) return invalid(r, id, "Invalid component_idx");
    // A struct's members, or a function's parameters (the vlen of its prototype).
    const vlen = k === BtfKind.FUNC ? s.vlen(s.sizeType(next)) : s.vlen(next);
    if (component >>> 0 >= vlen) return invalid(r, id, "Invalid component_idx");
  }
  return r.popResolved(next, 0);
}

/** Runs one resolve step for the vertex on top of the stack. */
export function resolveStep(r: Resolver, id: number): Err {
  switch (r.kind(id)) {
    case BtfKind.TYPEDEF:
    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
      return resolveModifier(r, id);
    case BtfKind.PTR:
      return resolvePtr(r, id);
    case BtfKind.ARRAY:
      return resolveArray(r, id);
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      return resolveStruct(r, id);
    case BtfKind.VAR:
      return resolveVar(r, id);
    case BtfKind.DATASEC:
      return resolveDatasec(r, id);
    case BtfKind.FUNC:
      return resolveFunc(r, id);
    case BtfKind.DECL_TAG:
      return resolveDeclTag(r, id);
    default:
      r.out.add(typeProblem(r.s, id, "Unsupported resolve", false));
      return Err.EINVAL;
  }
}
