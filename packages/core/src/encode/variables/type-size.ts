// What the kernel computes of a VAR's type when it resolves a DATASEC: the byte size behind
// typedefs, modifiers and arrays, which must not exceed the DATASEC entry's size.
import { BtfKind, type BtfTypeStore } from "@btforge/btf";

/** Longer modifier/array chains than any compiler emits: a bound against reference cycles. */
const MAX_CHAIN = 64;

/**
 * The type a VAR should name: `id` without leading TYPE_TAGs. Newer pahole does the same, since the
 * verifier walks a per-CPU variable's type from a struct or union and does not skip type tags.
 */
export function withoutTypeTags(btf: BtfTypeStore, id: number): number {
  for (let hop = 0; hop < MAX_CHAIN && id !== 0 && btf.kind(id) === BtfKind.TYPE_TAG; hop++) id = btf.sizeOrType(id);
  return id;
}

/** The byte size of type `id`, or undefined when it has none the kernel would accept (void, FWD, a function, a cycle). */
export function typeByteSize(btf: BtfTypeStore, id: number, pointerSize: number): number | undefined {
  let elements = 1;
  for (let hop = 0; hop < MAX_CHAIN; hop++) {
    if (id === 0 || !btf.has(id)) return undefined;
    switch (btf.kind(id)) {
      case BtfKind.INT:
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
      case BtfKind.FLOAT:
        return elements * btf.sizeOrType(id);
      case BtfKind.PTR:
        return elements * pointerSize;
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG:
        id = btf.sizeOrType(id);
        break;
      case BtfKind.ARRAY:
        elements *= btf.word(id, 2);
        id = btf.word(id, 0);
        break;
      default:
        return undefined;
    }
  }
  return undefined;
}
