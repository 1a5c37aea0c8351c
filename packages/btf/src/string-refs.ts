// String offsets of a type: its name_off, then the name word of each trailing record (members,
// enumerators, parameters), in that order (the order libbpf visits them, so tables rebuilt by
// visiting types in id order intern their strings in libbpf's order). Copying a type between
// tables whose string sections differ (a split BTF moved onto another base) rewrites these words.
//
// Built-in kinds are described here; a kind a plugin registers lists its trailing string words
// through its descriptor's optional `trailingStringRefs` (without it, its trailing words hold none).

import { BtfKind } from "./constants.js";
import { builtinKinds } from "./kinds/builtin/index.js";
import { kindDescriptor } from "./kinds/registry.js";
import type { BtfTypeStore } from "./store.js";

/** Slot of the common name_off field; trailing words are slots 0, 1, ... */
export const NAME_SLOT = -1;

/** Record stride of the built-in kinds whose records start with a name: members, enumerators, parameters. */
const NAMED_RECORDS: Partial<Record<number, number>> = {
  [BtfKind.STRUCT]: 3,
  [BtfKind.UNION]: 3,
  [BtfKind.ENUM]: 2,
  [BtfKind.ENUM64]: 3,
  [BtfKind.FUNC_PROTO]: 2,
};

const builtin = new Set(Object.values(builtinKinds));

/** Calls `visit(offset, slot)` for every string offset of the type (0, the empty name, included). */
export function forEachStringRef(table: BtfTypeStore, id: number, visit: (offset: number, slot: number) => void): void {
  visit(table.nameOff(id), NAME_SLOT);
  const kind = table.kind(id);
  const d = kindDescriptor(kind);
  if (d && builtin.has(d)) {
    const stride = NAMED_RECORDS[kind];
    if (stride === undefined) return;
    const words = table.words(id);
    for (let at = 0; at + stride <= words.length; at += stride) visit(words[at]!, at);
    return;
  }
  d?.trailingStringRefs?.(table, id, (at) => visit(table.word(id, at), at));
}
