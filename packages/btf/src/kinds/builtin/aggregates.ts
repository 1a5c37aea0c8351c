// ARRAY, STRUCT, UNION and FWD: the kinds that describe memory layout.

import { BtfKind } from "../../constants.js";
import type { KindDescriptor } from "../descriptor.js";
import { dumpName, forEachRecord, recordRefs, viewName } from "./format.js";

/** With kind_flag set, a member's offset word holds the bitfield size in bits 24..31. */
export const memberOffset = {
  bitOffset: (w: number, kindFlag: boolean) => (kindFlag ? w & 0xffffff : w),
  bitfieldSize: (w: number, kindFlag: boolean) => (kindFlag ? w >>> 24 : 0),
  make: (bitOffset: number, bitfieldSize: number) => ((bitfieldSize << 24) | bitOffset) >>> 0,
};

export const arrayKind: KindDescriptor = {
  kind: BtfKind.ARRAY,
  name: "ARRAY",
  since: "4.18",
  trailingWords: () => 3,
  sizeIsType: false,
  trailingTypeRefs(_table, _id, visit) {
    visit(0);
    visit(1);
  },
  dumpRaw(table, id) {
    const w = table.words(id);
    return ` type_id=${w[0]} index_type_id=${w[1]} nr_elems=${w[2]}`;
  },
  toView(table, id) {
    const w = table.words(id);
    return { type: w[0], indexType: w[1], nelems: w[2] };
  },
};

function composite(kind: number, name: string): KindDescriptor {
  return {
    kind,
    name,
    since: "4.18",
    trailingWords: (vlen) => vlen * 3,
    sizeIsType: false,
    trailingTypeRefs: recordRefs(3, 1),
    dumpRaw(table, id) {
      const kflag = table.kindFlag(id);
      let s = ` size=${table.sizeOrType(id)} vlen=${table.vlen(id)}`;
      forEachRecord(table, id, 3, (w, at) => {
        const off = w[at + 2]!;
        s += `\n\t'${dumpName(table, w[at]!)}' type_id=${w[at + 1]} bits_offset=${memberOffset.bitOffset(off, kflag)}`;
        const bits = memberOffset.bitfieldSize(off, kflag);
        if (bits) s += ` bitfield_size=${bits}`;
      });
      return s;
    },
    toView(table, id) {
      const kflag = table.kindFlag(id);
      const members: { name: string | undefined; type: number; bitOffset: number; bitfieldSize: number }[] = [];
      forEachRecord(table, id, 3, (w, at) => {
        const off = w[at + 2]!;
        members.push({
          name: viewName(table, w[at]!),
          type: w[at + 1]!,
          bitOffset: memberOffset.bitOffset(off, kflag),
          bitfieldSize: memberOffset.bitfieldSize(off, kflag),
        });
      });
      return { size: table.sizeOrType(id), members };
    },
  };
}

export const structKind = composite(BtfKind.STRUCT, "STRUCT");
export const unionKind = composite(BtfKind.UNION, "UNION");

export const fwdKind: KindDescriptor = {
  kind: BtfKind.FWD,
  name: "FWD",
  since: "4.18",
  trailingWords: () => 0,
  sizeIsType: false,
  dumpRaw: (table, id) => ` fwd_kind=${table.kindFlag(id) ? "union" : "struct"}`,
  toView: (table, id) => ({ fwdKind: table.kindFlag(id) ? "union" : "struct" }),
};
