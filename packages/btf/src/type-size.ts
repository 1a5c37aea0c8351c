// The byte size of a BTF type as libbpf's btf__resolve_size computes it: through typedefs,
// modifiers, type tags, VARs and DECL_TAGs, times the elements of arrays. The C printer lays
// structs out with it; the variable emitter checks a VAR's type against its symbol's size.
import { BtfKind } from "./constants.js";
import type { BtfTypeStore } from "./store.js";

/** libbpf's resolve depth: a longer modifier/typedef chain counts as unresolvable (or a cycle). */
const MAX_RESOLVE_DEPTH = 32;

/** Byte size of type `id`, or -1 when it has none (void, FWD, function, too deep, over 2^32). */
export function resolveTypeSize(t: BtfTypeStore, id: number, pointerSize: number): number {
  let nelems = 1;
  const times = (size: number) => (nelems !== 0 && size > 0xffffffff / nelems ? -1 : nelems * size);
  for (let depth = 0; depth < MAX_RESOLVE_DEPTH; depth++) {
    if (id === 0 || !t.has(id)) return -1;
    switch (t.kind(id)) {
      case BtfKind.INT:
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
      case BtfKind.DATASEC:
      case BtfKind.FLOAT:
        return times(t.sizeOrType(id));
      case BtfKind.PTR:
        return times(pointerSize);
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.VAR:
      case BtfKind.DECL_TAG:
      case BtfKind.TYPE_TAG:
        id = t.sizeOrType(id);
        break;
      case BtfKind.ARRAY: {
        const n = t.word(id, 2);
        if (nelems !== 0 && n > 0xffffffff / nelems) return -1;
        nelems *= n;
        id = t.word(id, 0);
        break;
      }
      default:
        return -1;
    }
  }
  return -1;
}
