// Type references of a type, found through its kind's descriptor: the common size/type field
// when the kind says it is a type id, and the trailing words the descriptor lists. Dedup uses
// `remapTypeRefs` to rewrite ids; the validator uses `forEachTypeRef` to check them.

import { BtfError } from "./errors.js";
import { kindDescriptor } from "./kinds/registry.js";
import type { BtfTypeStore } from "./store.js";

/** Slot number of the common size/type field; trailing words are slots 0, 1, ... */
export const SIZE_OR_TYPE_SLOT = -1;

/** Call `visit(ref, slot)` for every type id the type refers to (0, void, included). */
export function forEachTypeRef(table: BtfTypeStore, id: number, visit: (ref: number, slot: number) => void): void {
  const kind = table.kind(id);
  const d = kindDescriptor(kind);
  if (!d) {
    throw new BtfError("BTF_OPAQUE_KIND", `kind ${kind} is known only from the BTF's layout section: its type references cannot be found`, { typeId: id });
  }
  if (d.sizeIsType) visit(table.sizeOrType(id), SIZE_OR_TYPE_SLOT);
  d.trailingTypeRefs?.(table, id, (w) => visit(table.word(id, w), w));
}

/** Rewrite every type reference of an own type: `map(ref)` returns the new id. */
export function remapTypeRefs(table: BtfTypeStore, id: number, map: (ref: number) => number): void {
  forEachTypeRef(table, id, (ref, slot) => {
    const next = map(ref);
    if (next === ref) return;
    if (slot === SIZE_OR_TYPE_SLOT) table.setSizeOrType(id, next);
    else table.setWord(id, slot, next);
  });
}
