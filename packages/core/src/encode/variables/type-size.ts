// The type a VAR names (its size, checked against the symbol's, is @btforge/btf's resolveTypeSize).
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
