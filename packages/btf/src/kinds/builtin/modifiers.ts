// Kinds that are nothing but a reference to another type: PTR, TYPEDEF, the qualifiers and
// TYPE_TAG. Their size/type field is the referenced type id and they have no trailing words.

import { BtfKind } from "../../constants.js";
import type { KindDescriptor } from "../descriptor.js";

function modifier(kind: number, name: string, since: string, withKindFlag = false): KindDescriptor {
  return {
    kind,
    name,
    since,
    trailingWords: () => 0,
    sizeIsType: true,
    dumpRaw: (table, id) => ` type_id=${table.sizeOrType(id)}`,
    toView: (table, id) =>
      withKindFlag ? { type: table.sizeOrType(id), attribute: table.kindFlag(id) } : { type: table.sizeOrType(id) },
  };
}

export const ptrKind = modifier(BtfKind.PTR, "PTR", "4.18");
export const typedefKind = modifier(BtfKind.TYPEDEF, "TYPEDEF", "4.18");
export const volatileKind = modifier(BtfKind.VOLATILE, "VOLATILE", "4.18");
export const constKind = modifier(BtfKind.CONST, "CONST", "4.18");
export const restrictKind = modifier(BtfKind.RESTRICT, "RESTRICT", "4.18");
/** kind_flag set marks an attribute-style tag (`__attribute__((...))`, Linux 6.14). */
export const typeTagKind = modifier(BtfKind.TYPE_TAG, "TYPE_TAG", "5.17", true);
