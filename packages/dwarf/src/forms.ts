// How many bytes each attribute form takes, so a DIE can be stepped over without decoding it.
// A form's size is either fixed for a unit's encoding (offset size, address size, version) or
// one of a few variable shapes, given here as small negative codes for a fast switch.
import { DW_FORM } from "./constants/index.js";
import type { ByteReader } from "./reader.js";

/** Variable-size shapes (negative so that any value >= 0 is a fixed byte count). */
export const VAR_LEB = -1; // one LEB128
export const VAR_STRING = -2; // NUL-terminated inline string
export const VAR_BLOCK1 = -3; // 1-byte length, then bytes
export const VAR_BLOCK2 = -4; // 2-byte length, then bytes
export const VAR_BLOCK4 = -5; // 4-byte length, then bytes
export const VAR_BLOCK_LEB = -6; // LEB128 length, then bytes
export const VAR_INDIRECT = -7; // LEB128 form, then a value of that form
export const VAR_LEB_DATA4 = -8; // LEB128 then 4 bytes (DW_FORM_LLVM_addrx_offset)
export const UNKNOWN_FORM = -9;

/** The parts of a unit's header that decide form sizes. */
export interface Encoding {
  readonly version: number;
  readonly offsetSize: 4 | 8;
  readonly addressSize: number;
}

/** A small integer naming an encoding, for caching per-encoding layouts. */
export function encodingKey(enc: Encoding): number {
  // Only DWARF 2 sizes DW_FORM_ref_addr by the address size; every later version agrees.
  return (enc.version <= 2 ? 0x100 : 0) | (enc.addressSize << 4) | enc.offsetSize;
}

/** The fixed size of `form` under `enc`, or one of the VAR_* / UNKNOWN_FORM codes. */
export function formSize(form: number, enc: Encoding): number {
  switch (form) {
    case DW_FORM.flag_present:
    case DW_FORM.implicit_const:
      return 0;
    case DW_FORM.data1:
    case DW_FORM.ref1:
    case DW_FORM.flag:
    case DW_FORM.strx1:
    case DW_FORM.addrx1:
      return 1;
    case DW_FORM.data2:
    case DW_FORM.ref2:
    case DW_FORM.strx2:
    case DW_FORM.addrx2:
      return 2;
    case DW_FORM.strx3:
    case DW_FORM.addrx3:
      return 3;
    case DW_FORM.data4:
    case DW_FORM.ref4:
    case DW_FORM.ref_sup4:
    case DW_FORM.strx4:
    case DW_FORM.addrx4:
      return 4;
    case DW_FORM.data8:
    case DW_FORM.ref8:
    case DW_FORM.ref_sig8:
    case DW_FORM.ref_sup8:
      return 8;
    case DW_FORM.data16:
      return 16;
    case DW_FORM.addr:
      return enc.addressSize;
    case DW_FORM.ref_addr:
      return enc.version <= 2 ? enc.addressSize : enc.offsetSize;
    case DW_FORM.strp:
    case DW_FORM.line_strp:
    case DW_FORM.sec_offset:
    case DW_FORM.strp_sup:
    case DW_FORM.GNU_ref_alt:
    case DW_FORM.GNU_strp_alt:
      return enc.offsetSize;
    case DW_FORM.sdata:
    case DW_FORM.udata:
    case DW_FORM.ref_udata:
    case DW_FORM.strx:
    case DW_FORM.addrx:
    case DW_FORM.loclistx:
    case DW_FORM.rnglistx:
    case DW_FORM.GNU_addr_index:
    case DW_FORM.GNU_str_index:
      return VAR_LEB;
    case DW_FORM.string:
      return VAR_STRING;
    case DW_FORM.block1:
      return VAR_BLOCK1;
    case DW_FORM.block2:
      return VAR_BLOCK2;
    case DW_FORM.block4:
      return VAR_BLOCK4;
    case DW_FORM.block:
    case DW_FORM.exprloc:
      return VAR_BLOCK_LEB;
    case DW_FORM.indirect:
      return VAR_INDIRECT;
    case DW_FORM.LLVM_addrx_offset:
      return VAR_LEB_DATA4;
    default:
      return UNKNOWN_FORM;
  }
}

/**
 * The position just past a value of variable shape `shape` at `pos`, which must end by `limit`.
 * Indirect forms are resolved through `enc`; a fixed shape is handled by the caller.
 */
export function skipVariable(r: ByteReader, shape: number, pos: number, limit: number, enc: Encoding): number {
  let end: number;
  switch (shape) {
    case VAR_LEB:
      return r.skipLeb(pos, limit);
    case VAR_STRING:
      return r.stringEnd(pos, limit) + 1;
    case VAR_BLOCK1:
      r.need(pos, 1, limit, "block length");
      end = pos + 1 + r.u8(pos);
      break;
    case VAR_BLOCK2:
      r.need(pos, 2, limit, "block length");
      end = pos + 2 + r.u16(pos);
      break;
    case VAR_BLOCK4:
      r.need(pos, 4, limit, "block length");
      end = pos + 4 + r.u32(pos);
      break;
    case VAR_BLOCK_LEB: {
      const len = r.uleb(pos, limit);
      end = r.after + len;
      break;
    }
    case VAR_LEB_DATA4:
      end = r.skipLeb(pos, limit) + 4;
      break;
    case VAR_INDIRECT:
      return skipIndirect(r, pos, limit, enc);
    default:
      return r.fail("DWARF_UNKNOWN_FORM", pos, "attribute of an unknown form");
  }
  if (end > limit) r.fail("DWARF_UNEXPECTED_END", pos, `block of ${end - pos} bytes runs past the end at 0x${limit.toString(16)}`);
  return end;
}

function skipIndirect(r: ByteReader, pos: number, limit: number, enc: Encoding): number {
  const form = resolveIndirect(r, pos, limit);
  const valuePos = r.after;
  const size = formSize(form, enc);
  if (size >= 0) {
    r.need(valuePos, size, limit, "attribute value");
    return valuePos + size;
  }
  return skipVariable(r, size, valuePos, limit, enc);
}

/**
 * Reads the form that a DW_FORM_indirect value at `pos` names; `r.after` is then the value's
 * position. Indirect chains and implicit_const (whose value lives in the abbreviation) are refused.
 */
export function resolveIndirect(r: ByteReader, pos: number, limit: number): number {
  const form = r.uleb(pos, limit);
  if (form === DW_FORM.indirect || form === DW_FORM.implicit_const) {
    r.fail("DWARF_BAD_INDIRECT", pos, `DW_FORM_indirect names form 0x${form.toString(16)}`);
  }
  return form;
}
