// Phase 4: types that are references to other types — PTR, TYPEDEF, the qualifiers, TYPE_TAG,
// ARRAY, FUNC_PROTO, FUNC, DECL_TAG — after what they refer to: once every referenced type has
// its representative, the references are rewritten to it and the record is merged with an equal
// canonical record. Depth-first with an explicit stack; a cycle made of such types alone (no
// struct in it) cannot be written in C and is reported as an error.
//
// VAR and DATASEC are never merged with each other (each compilation unit owns its variables),
// but in split BTF one equal to a base record is the base's (a module's BTF merged with its base).

import { BtfError, BtfKind } from "@btforge/btf";
import { IN_PROGRESS, UNPROCESSED, type DedupState } from "./state.js";

/** Kinds a plugin registered are never merged: each stays its own representative. */
export function keepsIdentity(d: DedupState, id: number): boolean {
  return !d.g.layouts[d.g.kind(id)]!.builtin;
}

/** Kinds that only ever merge into the base. */
function baseOnly(kind: number): boolean {
  return kind === BtfKind.VAR || kind === BtfKind.DATASEC;
}

export function dedupReferences(d: DedupState): void {
  const g = d.g;
  const map = d.map;
  let stack = new Int32Array(1024);
  let sp = 0;
  const push = (v: number) => {
    if (sp === stack.length) {
      const next = new Int32Array(stack.length * 2);
      next.set(stack);
      stack = next;
    }
    stack[sp++] = v;
  };
  for (let root = g.firstOwn; root < g.size; root++) {
    if (map[root] !== UNPROCESSED) continue;
    push(root);
    while (sp > 0) {
      const x = stack[--sp]!;
      if (x >= 0) {
        if (map[x] !== UNPROCESSED) continue;
        map[x] = IN_PROGRESS;
        push(~x);
        forEachRef(d, x, (ref) => {
          const m = map[ref]!;
          if (m === IN_PROGRESS) {
            // `ref` is on the walk's path to x: x → ref → ... → x. Name both ends of the edge that closed it.
            throw new BtfError("BTF_BAD_TYPE_ID", `refers to type ${ref - g.shift}, which leads back to it: a reference loop that no struct or union breaks`, { typeId: x - g.shift });
          }
          if (m === UNPROCESSED) push(ref);
        });
      } else finish(d, ~x);
    }
  }
}

/** All references resolved: rewrite them, then merge with an equal canonical record. */
function finish(d: DedupState, id: number): void {
  const g = d.g;
  const kind = g.kind(id);
  const layout = g.layouts[kind]!;
  if (layout.sizeIsType) g.sizeOrType[id] = d.resolve(g.sizeOrType[id]!);
  const w = g.wordStart[id]!;
  if (kind === BtfKind.ARRAY) {
    g.words[w] = d.resolve(g.words[w]!);
    g.words[w + 1] = d.resolve(g.words[w + 1]!);
  } else if (layout.refAt >= 0) {
    const e = g.wordStart[id + 1]!;
    for (let at = w + layout.refAt; at < e; at += layout.stride) g.words[at] = d.resolve(g.words[at]!);
  }
  const h = d.hashRecord(id);
  const limit = baseOnly(kind) ? g.firstOwn : g.size;
  for (let c = d.index.first(h); c !== 0 && c < limit; c = d.index.after(c, h)) {
    if (d.equalRecord(id, c)) {
      d.map[id] = c;
      return;
    }
  }
  d.map[id] = id;
  if (!baseOnly(kind)) d.index.add(id, h);
}

/** The type ids a reference kind refers to (void left out). */
function forEachRef(d: DedupState, id: number, visit: (ref: number) => void): void {
  const g = d.g;
  const kind = g.kind(id);
  const layout = g.layouts[kind]!;
  if (layout.sizeIsType && g.sizeOrType[id] !== 0) visit(g.sizeOrType[id]!);
  const w = g.wordStart[id]!;
  if (kind === BtfKind.ARRAY) {
    if (g.words[w] !== 0) visit(g.words[w]!);
    if (g.words[w + 1] !== 0) visit(g.words[w + 1]!);
  } else if (layout.refAt >= 0) {
    const e = g.wordStart[id + 1]!;
    for (let at = w + layout.refAt; at < e; at += layout.stride) if (g.words[at] !== 0) visit(g.words[at]!);
  }
}
