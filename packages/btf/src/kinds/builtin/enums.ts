// ENUM (32-bit values) and ENUM64 (64-bit values split in two words); kind_flag = signed.

import { BtfKind } from "../../constants.js";
import type { KindDescriptor } from "../descriptor.js";
import { dumpName, forEachRecord, viewName } from "./format.js";

const encoding = (signed: boolean) => (signed ? "SIGNED" : "UNSIGNED");

export const enumKind: KindDescriptor = {
  kind: BtfKind.ENUM,
  name: "ENUM",
  since: "4.18",
  trailingWords: (vlen) => vlen * 2,
  sizeIsType: false,
  dumpRaw(table, id) {
    const signed = table.kindFlag(id);
    let s = ` encoding=${encoding(signed)} size=${table.sizeOrType(id)} vlen=${table.vlen(id)}`;
    forEachRecord(table, id, 2, (w, at) => {
      const v = w[at + 1]!;
      s += `\n\t'${dumpName(table, w[at]!)}' val=${signed ? v | 0 : v}`;
    });
    return s;
  },
  toView(table, id) {
    const signed = table.kindFlag(id);
    const values: { name: string | undefined; value: number }[] = [];
    forEachRecord(table, id, 2, (w, at) => {
      const v = w[at + 1]!;
      values.push({ name: viewName(table, w[at]!), value: signed ? v | 0 : v });
    });
    return { size: table.sizeOrType(id), signed, values };
  },
};

/** The 64-bit value of an ENUM64 entry, signed or unsigned. */
export function enum64Value(lo: number, hi: number, signed: boolean): bigint {
  const v = (BigInt(hi) << 32n) | BigInt(lo);
  return signed ? BigInt.asIntN(64, v) : v;
}

export const enum64Kind: KindDescriptor = {
  kind: BtfKind.ENUM64,
  name: "ENUM64",
  since: "6.0",
  trailingWords: (vlen) => vlen * 3,
  sizeIsType: false,
  dumpRaw(table, id) {
    const signed = table.kindFlag(id);
    let s = ` encoding=${encoding(signed)} size=${table.sizeOrType(id)} vlen=${table.vlen(id)}`;
    forEachRecord(table, id, 3, (w, at) => {
      const v = enum64Value(w[at + 1]!, w[at + 2]!, signed);
      s += `\n\t'${dumpName(table, w[at]!)}' val=${v}${signed ? "LL" : "ULL"}`;
    });
    return s;
  },
  toView(table, id) {
    const signed = table.kindFlag(id);
    const values: { name: string | undefined; value: bigint }[] = [];
    forEachRecord(table, id, 3, (w, at) => {
      values.push({ name: viewName(table, w[at]!), value: enum64Value(w[at + 1]!, w[at + 2]!, signed) });
    });
    return { size: table.sizeOrType(id), signed, values };
  },
};
