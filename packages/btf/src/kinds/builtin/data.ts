// VAR (a variable: its type, linkage in one trailing word), DATASEC (a section of variables:
// one (type, offset, size) triple per entry) and DECL_TAG (a tag on a declaration or on one of
// its members/parameters: component_idx, -1 for the declaration itself).

import { BtfKind } from "../../constants.js";
import type { KindDescriptor } from "../descriptor.js";
import { dumpKindName, dumpName, forEachRecord, recordRefs } from "./format.js";

const VAR_LINKAGE = ["static", "global", "extern"];

export const varKind: KindDescriptor = {
  kind: BtfKind.VAR,
  name: "VAR",
  since: "5.2",
  trailingWords: () => 1,
  sizeIsType: true,
  dumpRaw: (table, id) => ` type_id=${table.sizeOrType(id)}, linkage=${VAR_LINKAGE[table.word(id, 0)] ?? "(unknown)"}`,
  toView(table, id) {
    const l = table.word(id, 0);
    return { type: table.sizeOrType(id), linkage: VAR_LINKAGE[l] ?? l };
  },
};

export const datasecKind: KindDescriptor = {
  kind: BtfKind.DATASEC,
  name: "DATASEC",
  since: "5.2",
  trailingWords: (vlen) => vlen * 3,
  sizeIsType: false,
  trailingTypeRefs: recordRefs(3, 0),
  dumpRaw(table, id) {
    let s = ` size=${table.sizeOrType(id)} vlen=${table.vlen(id)}`;
    forEachRecord(table, id, 3, (w, at) => {
      const type = w[at]!;
      s += `\n\ttype_id=${type} offset=${w[at + 1]} size=${w[at + 2]}`;
      // bpftool names the entry's type when the id exists (0 is void: UNKNOWN '(anon)').
      if (type === 0) s += " (UNKNOWN '(anon)')";
      else if (table.has(type)) s += ` (${dumpKindName(table.kind(type))} '${dumpName(table, table.nameOff(type))}')`;
    });
    return s;
  },
  toView(table, id) {
    const entries: { type: number; offset: number; size: number }[] = [];
    forEachRecord(table, id, 3, (w, at) => entries.push({ type: w[at]!, offset: w[at + 1]!, size: w[at + 2]! }));
    return { size: table.sizeOrType(id), entries };
  },
};

/** kind_flag set marks an attribute-style tag (`__attribute__((...))`, Linux 6.14). */
export const declTagKind: KindDescriptor = {
  kind: BtfKind.DECL_TAG,
  name: "DECL_TAG",
  since: "5.16",
  trailingWords: () => 1,
  sizeIsType: true,
  dumpRaw: (table, id) => ` type_id=${table.sizeOrType(id)} component_idx=${table.word(id, 0) | 0}`,
  toView: (table, id) => ({ type: table.sizeOrType(id), componentIdx: table.word(id, 0) | 0, attribute: table.kindFlag(id) }),
};
