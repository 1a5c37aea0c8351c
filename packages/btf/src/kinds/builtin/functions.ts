// FUNC (a named function: its prototype, linkage in vlen) and FUNC_PROTO (return type in the
// type field, one (name, type) pair per parameter; a last pair of (0, 0) means varargs).

import { BtfKind } from "../../constants.js";
import type { KindDescriptor } from "../descriptor.js";
import { dumpName, forEachRecord, recordRefs, viewName } from "./format.js";

const FUNC_LINKAGE = ["static", "global", "extern"];

export const funcKind: KindDescriptor = {
  kind: BtfKind.FUNC,
  name: "FUNC",
  since: "5.0",
  trailingWords: () => 0,
  sizeIsType: true,
  dumpRaw: (table, id) => ` type_id=${table.sizeOrType(id)} linkage=${FUNC_LINKAGE[table.vlen(id)] ?? "(unknown)"}`,
  toView: (table, id) => ({ type: table.sizeOrType(id), linkage: FUNC_LINKAGE[table.vlen(id)] ?? table.vlen(id) }),
};

export const funcProtoKind: KindDescriptor = {
  kind: BtfKind.FUNC_PROTO,
  name: "FUNC_PROTO",
  since: "5.0",
  trailingWords: (vlen) => vlen * 2,
  sizeIsType: true,
  trailingTypeRefs: recordRefs(2, 1),
  dumpRaw(table, id) {
    let s = ` ret_type_id=${table.sizeOrType(id)} vlen=${table.vlen(id)}`;
    forEachRecord(table, id, 2, (w, at) => {
      s += `\n\t'${dumpName(table, w[at]!)}' type_id=${w[at + 1]}`;
    });
    return s;
  },
  toView(table, id) {
    const params: { name: string | undefined; type: number }[] = [];
    forEachRecord(table, id, 2, (w, at) => params.push({ name: viewName(table, w[at]!), type: w[at + 1]! }));
    const last = params[params.length - 1];
    const varargs = last !== undefined && last.type === 0 && table.word(id, (params.length - 1) * 2) === 0;
    return { returnType: table.sizeOrType(id), params, varargs };
  },
};
