// A type that contains itself without a pointer in between (typedef A → typedef B → A, a struct
// member of its own struct type) has no size: the kernel rejects it. Corrupt DWARF can say so;
// this finds such a loop in the encoded table so the error names the types rather than a BTF id.
import { BtfKind, type BtfTable, kindDescriptor } from "@btforge/btf";

/** The types whose size `id`'s size depends on. */
function sizeDependencies(t: BtfTable, id: number): number[] {
  switch (t.kind(id)) {
    case BtfKind.TYPEDEF:
    case BtfKind.CONST:
    case BtfKind.VOLATILE:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
      return [t.sizeOrType(id)];
    case BtfKind.ARRAY:
      return [t.word(id, 0)];
    case BtfKind.STRUCT:
    case BtfKind.UNION: {
      const deps: number[] = [];
      for (let i = 0; i < t.vlen(id); i++) deps.push(t.word(id, 3 * i + 1));
      return deps;
    }
    default:
      return [];
  }
}

/** The ids of one loop (first id repeated at the end), or undefined. Iterative: no recursion limit. */
export function findTypeLoop(t: BtfTable): number[] | undefined {
  const first = t.firstId;
  const state = new Uint8Array(t.lastId + 1 - first); // 0 unseen, 1 on the path, 2 done
  for (let root = first; root <= t.lastId; root++) {
    if (state[root - first] !== 0) continue;
    const path: number[] = [root];
    const deps: number[][] = [sizeDependencies(t, root)];
    const next: number[] = [0];
    state[root - first] = 1;
    while (path.length > 0) {
      const top = path.length - 1;
      const d = deps[top]!;
      if (next[top]! < d.length) {
        const to = d[next[top]!++]!;
        if (to < first) continue;
        const s = state[to - first];
        if (s === 1) return [...path.slice(path.indexOf(to)), to];
        if (s === 0) {
          state[to - first] = 1;
          path.push(to);
          deps.push(sizeDependencies(t, to));
          next.push(0);
        }
      } else {
        state[path.pop()! - first] = 2;
        deps.pop();
        next.pop();
      }
    }
  }
  return undefined;
}

export function describeLoop(t: BtfTable, ids: readonly number[]): string {
  return ids
    .map((id) => {
      const kind = kindDescriptor(t.kind(id))?.name ?? String(t.kind(id));
      const name = t.name(id);
      return `[${id}] ${kind}${name ? ` '${name}'` : ""}`;
    })
    .join(" → ");
}
