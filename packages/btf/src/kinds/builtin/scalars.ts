// INT and FLOAT: the kinds that end a type chain and carry a byte size.

import { BtfKind, BtfIntEncoding } from "../../constants.js";
import type { KindDescriptor } from "../descriptor.js";

function intEncodingName(encoding: number): string {
  switch (encoding) {
    case 0: return "(none)";
    case BtfIntEncoding.SIGNED: return "SIGNED";
    case BtfIntEncoding.CHAR: return "CHAR";
    case BtfIntEncoding.BOOL: return "BOOL";
    default: return "UNKN";
  }
}

/** The INT word: encoding in bits 24..27, bit offset in 16..23, bit count in 0..7. */
export const intWord = {
  encoding: (w: number) => (w >>> 24) & 0x0f,
  offset: (w: number) => (w >>> 16) & 0xff,
  bits: (w: number) => w & 0xff,
  make: (encoding: number, offset: number, bits: number) => ((encoding << 24) | (offset << 16) | bits) >>> 0,
};

export const intKind: KindDescriptor = {
  kind: BtfKind.INT,
  name: "INT",
  since: "4.18",
  trailingWords: () => 1,
  sizeIsType: false,
  dumpRaw(table, id) {
    const w = table.word(id, 0);
    return ` size=${table.sizeOrType(id)} bits_offset=${intWord.offset(w)} nr_bits=${intWord.bits(w)} encoding=${intEncodingName(intWord.encoding(w))}`;
  },
  toView(table, id) {
    const w = table.word(id, 0);
    const enc = intWord.encoding(w);
    return {
      size: table.sizeOrType(id),
      encoding: enc,
      signed: (enc & BtfIntEncoding.SIGNED) !== 0,
      char: (enc & BtfIntEncoding.CHAR) !== 0,
      bool: (enc & BtfIntEncoding.BOOL) !== 0,
      bitOffset: intWord.offset(w),
      bits: intWord.bits(w),
    };
  },
};

export const floatKind: KindDescriptor = {
  kind: BtfKind.FLOAT,
  name: "FLOAT",
  since: "5.13",
  trailingWords: () => 0,
  sizeIsType: false,
  dumpRaw: (table, id) => ` size=${table.sizeOrType(id)}`,
  toView: (table, id) => ({ size: table.sizeOrType(id) }),
};
