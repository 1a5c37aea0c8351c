// Loops among the types of the encoded table that corrupt DWARF can make and BTF cannot carry:
//
// - SIZE loops: a type that contains itself without a pointer in between (typedef A → typedef B →
//   A, a struct member of its own struct type) has no size; the kernel rejects it.
// - REFERENCE loops: pointers, typedefs, qualifiers, arrays and function prototypes that come
//   back to themselves without a struct or union on the way (a pointer whose DW_AT_type is
//   itself). No C declaration can say that: dedup cannot order such types, and the kernel sees
//   a loop it cannot resolve.
//
// Both walks run once per types phase over the whole table (3.3 M types for a vmlinux), so the
// depth-first search is iterative, keeps its path in typed arrays and makes no object per type.
import { BtfKind, type BtfTable } from "@btforge/btf";

export const LoopKind = { SIZE: 0, REFERENCE: 1 } as const;
export type LoopKind = (typeof LoopKind)[keyof typeof LoopKind];

/** What a walk found: the ids of one loop, first id repeated at the end. */
export interface TypeLoop {
  kind: LoopKind;
  ids: number[];
}

const NO_EDGE = -1;

/**
 * The target of edge `k` of type `id` (of kind `kind`) in the graph of `mode`, or NO_EDGE when the
 * type has fewer edges. Void (0) is a target like any other: the walk skips ids below the table.
 */
function edge(t: BtfTable, id: number, kind: number, k: number, mode: LoopKind): number {
  switch (kind) {
    case BtfKind.TYPEDEF:
    case BtfKind.CONST:
    case BtfKind.VOLATILE:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
      return k === 0 ? t.sizeOrType(id) : NO_EDGE;
    case BtfKind.ARRAY:
      return k === 0 ? t.word(id, 0) : NO_EDGE;
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      // A member's type decides the size; a struct breaks every reference loop.
      return mode === LoopKind.SIZE && k < t.vlen(id) ? t.word(id, 3 * k + 1) : NO_EDGE;
    case BtfKind.PTR:
      return mode === LoopKind.REFERENCE && k === 0 ? t.sizeOrType(id) : NO_EDGE;
    case BtfKind.FUNC_PROTO:
      if (mode !== LoopKind.REFERENCE) return NO_EDGE;
      if (k === 0) return t.sizeOrType(id);
      return k <= t.vlen(id) ? t.word(id, 2 * (k - 1) + 1) : NO_EDGE;
    default:
      return NO_EDGE;
  }
}

/** Whether a type of `kind` has edges in the graph of `mode`: the walk settles the others without a step. */
function edgeKinds(mode: LoopKind): Uint8Array {
  const has = new Uint8Array(256);
  for (const k of [BtfKind.TYPEDEF, BtfKind.CONST, BtfKind.VOLATILE, BtfKind.RESTRICT, BtfKind.TYPE_TAG, BtfKind.ARRAY]) has[k] = 1;
  for (const k of mode === LoopKind.SIZE ? [BtfKind.STRUCT, BtfKind.UNION] : [BtfKind.PTR, BtfKind.FUNC_PROTO]) has[k] = 1;
  return has;
}

/** One depth-first walk of the table in the graph of `mode`; the first loop found, or undefined. */
function findLoop(t: BtfTable, kinds: Uint8Array, mode: LoopKind): TypeLoop | undefined {
  const first = t.firstId;
  const last = t.lastId;
  const has = edgeKinds(mode);
  const state = new Uint8Array(last + 1 - first); // 0 unseen, 1 on the path, 2 done
  // The path: ids and the next edge to follow; grown on demand (a chain of typedefs can be as
  // long as the table).
  let path = new Int32Array(256);
  let next = new Int32Array(256);
  for (let root = first; root <= last; root++) {
    if (state[root - first] !== 0) continue;
    if (has[kinds[root - first]!] === 0) {
      state[root - first] = 2;
      continue;
    }
    let top = 0;
    path[0] = root;
    next[0] = 0;
    state[root - first] = 1;
    while (top >= 0) {
      const id = path[top]!;
      const to = edge(t, id, kinds[id - first]!, next[top]!++, mode);
      if (to === NO_EDGE) {
        state[id - first] = 2;
        top--;
        continue;
      }
      if (to < first || to > last) continue;
      const s = state[to - first];
      if (s === 2) continue;
      if (s === 1) {
        const ids = Array.from(path.subarray(path.lastIndexOf(to, top), top + 1));
        ids.push(to);
        return { kind: mode, ids };
      }
      if (has[kinds[to - first]!] === 0) {
        state[to - first] = 2;
        continue;
      }
      if (++top === path.length) {
        path = grown(path);
        next = grown(next);
      }
      path[top] = to;
      next[top] = 0;
      state[to - first] = 1;
    }
  }
  return undefined;
}

function grown(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/**
 * A loop among the table's own types that BTF cannot carry, or undefined. Size loops first: they
 * are the more basic fault (and a typedef loop is both kinds).
 */
export function findTypeLoop(t: BtfTable): TypeLoop | undefined {
  // Each type's kind, read once for both walks (a kind fits a byte: BTF gives it 5 bits, 7 at most).
  const kinds = new Uint8Array(t.lastId + 1 - t.firstId);
  for (let id = t.firstId; id <= t.lastId; id++) kinds[id - t.firstId] = t.kind(id);
  return findLoop(t, kinds, LoopKind.SIZE) ?? findLoop(t, kinds, LoopKind.REFERENCE);
}
