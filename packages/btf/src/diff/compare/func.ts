// FUNC: linkage, return type and parameters by position (a program attached to a function reads
// its arguments by position; CO-RE does not relocate them), varargs, and DECL_TAGs (`bpf_kfunc`).

import { BtfKind } from "../../constants.js";
import type { Change, FuncParam } from "../model.js";
import type { DiffSide } from "../side.js";
import { argumentImpact } from "./impact.js";
import { compareTags, sameTags } from "./tags.js";

/** FUNC and VAR linkages number alike: static, global (allocated), extern. */
const LINKAGE = ["static", "global", "extern"];

export function linkageName(linkage: number): string {
  return LINKAGE[linkage] ?? `linkage ${linkage}`;
}

/**
 * Whether two functions read alike: linkage, return type, and each parameter's type and name, as
 * compareFuncs compares them. Parameter by parameter rather than as whole spelled prototypes: the
 * prototypes of 45k functions are mostly made of a few hundred parameter types spelled once.
 */
export function sameFunc(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const ta = a.table;
  const tb = b.table;
  if (ta.vlen(ia) !== tb.vlen(ib)) return false;
  const pa = ta.sizeOrType(ia);
  const pb = tb.sizeOrType(ib);
  const protoA = ta.has(pa) && ta.kind(pa) === BtfKind.FUNC_PROTO;
  const protoB = tb.has(pb) && tb.kind(pb) === BtfKind.FUNC_PROTO;
  if (!protoA || !protoB) return protoA === protoB && a.spell(pa) === b.spell(pb) && sameTags(a, ia, b, ib);
  if (ta.vlen(pa) !== tb.vlen(pb) || a.spell(ta.sizeOrType(pa)) !== b.spell(tb.sizeOrType(pb))) return false;
  const n = ta.wordCount(pa);
  for (let at = 0; at + 2 <= n; at += 2) {
    const typeA = ta.word(pa, at + 1);
    const typeB = tb.word(pb, at + 1);
    // A 0 type is void only as the last "parameter" of a variadic prototype: spelled "void" elsewhere.
    if ((typeA === 0) !== (typeB === 0) || a.spell(typeA) !== b.spell(typeB)) return false;
    if (!a.sameNameAs(ta.word(pa, at), b, tb.word(pb, at))) return false;
  }
  return sameTags(a, ia, b, ib);
}

export function compareFuncs(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[] {
  const changes: Change[] = [];
  const la = a.table.vlen(ia);
  const lb = b.table.vlen(ib);
  if (la !== lb) changes.push({ change: "linkage", old: linkageName(la), new: linkageName(lb), impact: "compatible" });
  const pa = prototype(a, ia);
  const pb = prototype(b, ib);
  if (pa.ret === undefined || pb.ret === undefined) {
    // Not a prototype (malformed): compare what it is spelled as.
    const old = a.spell(a.table.sizeOrType(ia));
    const now = b.spell(b.table.sizeOrType(ib));
    if (old !== now) changes.push({ change: "type", old, new: now, impact: "unrelocatable" });
  } else {
    const ra = a.spell(pa.ret);
    const rb = b.spell(pb.ret);
    if (ra !== rb) changes.push({ change: "return", old: ra, new: rb, impact: argumentImpact(a, pa.ret, b, pb.ret) });
    const n = Math.max(pa.params.length, pb.params.length);
    for (let i = 0; i < n; i++) {
      const old = pa.params[i];
      const now = pb.params[i];
      if (old && now) {
        const before = param(a, old);
        const after = param(b, now);
        if (before.type !== after.type) changes.push({ change: "param-changed", index: i, old: before, new: after, impact: argumentImpact(a, old.type, b, now.type) });
        else if (before.name !== after.name) changes.push({ change: "param-changed", index: i, old: before, new: after, impact: "compatible" });
      } else if (old) {
        changes.push({ change: "param-removed", index: i, old: param(a, old), impact: "unrelocatable" });
      } else if (now) {
        // fexit programs find the return value after the arguments: one more argument moves it.
        changes.push({ change: "param-added", index: i, new: param(b, now), impact: "unrelocatable" });
      }
    }
    if (pa.varargs !== pb.varargs) changes.push({ change: "varargs", old: pa.varargs, new: pb.varargs, impact: "unrelocatable" });
  }
  compareTags(a, ia, b, ib, changes);
  return changes;
}

interface RawParam {
  name: string;
  type: number;
}

interface Prototype {
  /** undefined when the FUNC's type is not a FUNC_PROTO. */
  ret: number | undefined;
  params: RawParam[];
  varargs: boolean;
}

function prototype(side: DiffSide, func: number): Prototype {
  const t = side.table;
  const proto = t.sizeOrType(func);
  if (!t.has(proto) || t.kind(proto) !== BtfKind.FUNC_PROTO) return { ret: undefined, params: [], varargs: false };
  const params: RawParam[] = [];
  const n = t.vlen(proto);
  let varargs = false;
  for (let i = 0; i < n; i++) {
    const nameOff = t.word(proto, 2 * i);
    const type = t.word(proto, 2 * i + 1);
    if (i === n - 1 && nameOff === 0 && type === 0) varargs = true;
    else params.push({ name: side.nameAt(nameOff), type });
  }
  return { ret: t.sizeOrType(proto), params, varargs };
}

function param(side: DiffSide, p: RawParam): FuncParam {
  return { name: p.name, type: side.spell(p.type) };
}
