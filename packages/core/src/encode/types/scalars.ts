// Base types and enumerations: the DWARF types that carry values rather than point at other types.
import { BtfIntEncoding } from "@btforge/btf";
import { DW_AT, DW_ATE, DW_FORM, DW_TAG, type DieCursor } from "@btforge/dwarf";
import type { UnitEncoder } from "./unit-encoder.js";

/** Sizes the kernel accepts for FLOAT. */
const FLOAT_SIZES = new Set([2, 4, 8, 12, 16]);

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

export function encodeBaseType(u: UnitEncoder, c: DieCursor): boolean {
  const name = u.nameOff(c);
  const size = c.uint(DW_AT.byte_size) ?? 0;
  const ate = c.uint(DW_AT.encoding) ?? 0;
  const t = u.table;
  let id: number;
  if (size === 0 && u.foreign) {
    // Rust's zero-sized base types ((), !): nothing BTF calls an INT; an empty struct keeps the
    // members of that type at their place without growing past the end of their struct.
    id = t.addStruct(0, 0, []);
  } else if (ate === DW_ATE.float && u.session.options.float && FLOAT_SIZES.has(size)) {
    id = t.addFloat(name, size);
  } else {
    const encoding =
      ate === DW_ATE.signed || ate === DW_ATE.signed_char ? BtfIntEncoding.SIGNED : ate === DW_ATE.boolean ? BtfIntEncoding.BOOL : 0;
    let bits = c.uint(DW_AT.bit_size) ?? size * 8;
    if (!isPowerOfTwo(size) || size > 16 || bits > size * 8) {
      // DWARF 5 producers describe DW_OP_convert operands with odd-sized integers
      // ("DW_ATE_unsigned_24"); BTF has no such INT. pahole's sanitized stand-in keeps refs valid.
      id = t.addInt("__SANITIZED_FAKE_INT__", 4, encoding, 0, 32);
    } else {
      id = t.addInt(name, size, encoding, 0, bits);
      if (u.intId === 0 && name !== 0 && name === u.session.table.strings.find("int")) u.intId = id;
    }
  }
  u.define(c.offset, id);
  return u.skip(c);
}

/**
 * An enumerator's DW_AT_const_value. Only DW_FORM_sdata is signed: gcc writes 0..255 as data1
 * whatever the enum's signedness (128 is data1 0x80, not -128) and negatives as sdata.
 */
function enumeratorValue(c: DieCursor): bigint {
  if (c.form(DW_AT.const_value) === DW_FORM.sdata) return c.sbigint(DW_AT.const_value) ?? 0n;
  return c.bigint(DW_AT.const_value) ?? 0n;
}

export function encodeEnum(u: UnitEncoder, c: DieCursor): boolean {
  const offset = c.offset;
  const name = u.identifierOff(c, () => "enum");
  const size = c.uint(DW_AT.byte_size) ?? 4;
  const names: number[] = [];
  const values: bigint[] = [];
  const more = u.eachChild(c, (child) => {
    if (child.tag === DW_TAG.enumerator) {
      names.push(u.identifierOff(child, () => "enumerator"));
      values.push(enumeratorValue(child));
    }
    return u.skip(child);
  });
  const negative = values.some((v) => v < 0n);
  const t = u.table;
  let id: number;
  if (size > 4 && u.session.options.enum64) {
    id = t.addEnum64(name, size, negative, values.map((value, i) => ({ name: names[i]!, value })));
  } else {
    // Without ENUM64 (or for a 4-byte enum) values keep their low 32 bits, as pahole does.
    const enumSize = isPowerOfTwo(size) && size <= 8 ? size : 4;
    id = t.addEnum(name, enumSize, negative, values.map((value, i) => ({ name: names[i]!, value: Number(BigInt.asUintN(32, value)) })));
  }
  u.define(offset, id);
  return more;
}
