// Appends a copy of a type from one table to another whose ids and strings differ: every type
// reference goes through the caller's id map, every string is interned again in the destination
// by its text (a string the destination's base holds keeps the base's offset, as libbpf does).

import { kindDescriptor } from "./kinds/registry.js";
import { BtfError } from "./errors.js";
import { SIZE_OR_TYPE_SLOT, forEachTypeRef } from "./refs.js";
import type { BtfTypeStore } from "./store.js";
import { forEachStringRef, NAME_SLOT } from "./string-refs.js";
import type { BtfTable } from "./table.js";

/** Copies `src`'s type `id` to the end of `dst`; `mapId(ref)` gives the destination id of each reference (0 stays 0). Returns the new id. */
export function copyType(src: BtfTypeStore, id: number, dst: BtfTable, mapId: (ref: number) => number): number {
  const kind = src.kind(id);
  if (!kindDescriptor(kind)) throw new BtfError("BTF_UNKNOWN_KIND", `unknown kind ${kind}`, { typeId: id });
  const words = Uint32Array.from(src.words(id));
  let sizeOrType = src.sizeOrType(id);
  let name = 0;
  forEachTypeRef(src, id, (ref, slot) => {
    const next = ref === 0 ? 0 : mapId(ref);
    if (slot === SIZE_OR_TYPE_SLOT) sizeOrType = next;
    else words[slot] = next;
  });
  forEachStringRef(src, id, (off, slot) => {
    const next = off === 0 ? 0 : dst.strings.add(src.strings.get(off));
    if (slot === NAME_SLOT) name = next;
    else words[slot] = next;
  });
  return dst.addRecord(src.info(id), name, sizeOrType, words);
}
