// DECL_TAGs on a type, its members or parameters, compared as sets of `tag` / `tag@component`.

import type { Change } from "../model.js";
import type { DiffSide } from "../side.js";

/** A function that loses `bpf_kfunc` is no longer callable from BPF: programs calling it fail to load. */
const LOAD_BEARING_TAG = /^bpf_kfunc(@|$)/;

export function sameTags(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const ta = a.tags(ia);
  const tb = b.tags(ib);
  if (ta.length !== tb.length) return false;
  for (let i = 0; i < ta.length; i++) if (ta[i] !== tb[i]) return false;
  return true;
}

export function compareTags(a: DiffSide, ia: number, b: DiffSide, ib: number, out: Change[]): void {
  const ta = a.tags(ia);
  const tb = b.tags(ib);
  if (ta.length === 0 && tb.length === 0) return;
  const inB = new Set(tb);
  const inA = new Set(ta);
  for (const tag of ta) {
    if (!inB.has(tag)) out.push({ change: "tag-removed", tag, impact: LOAD_BEARING_TAG.test(tag) ? "unrelocatable" : "compatible" });
  }
  for (const tag of tb) if (!inA.has(tag)) out.push({ change: "tag-added", tag, impact: "compatible" });
}
