// Whether a struct or union member fits its container, once the member's type is resolved
// (the kernel's check_member and check_kflag_member operations, chosen by the member type's
// kind). With kind_flag set, a member offset word carries a bitfield size in its top 8 bits.
// The arithmetic is the kernel's 32-bit unsigned arithmetic, wrap-around included.

import { BtfKind } from "../constants.js";
import { memberProblem, typeProblem } from "./describe.js";
import { isModifierKind } from "./kinds.js";
import { Err, type Resolver } from "./resolver.js";

const U32_MAX = 0xffffffff;
const roundupBytes = (bits: number) => (bits + 7) >>> 3;

/** Checks member `m` of `structId`, whose (possibly resolved) type is `typeId`. */
export function checkMember(r: Resolver, structId: number, m: number, typeId: number, kflag: boolean): Err {
  const s = r.s;
  const raw = s.word(structId, m * 3 + 2);
  const structSize = s.sizeType(structId);
  const original = s.word(structId, m * 3 + 1);
  const bad = (reason: string): Err => {
    r.out.add(memberProblem(s, structId, m, reason, typeId !== original ? typeId : undefined));
    return Err.EINVAL;
  };

  /** The byte-aligned, fits-in-the-struct rule shared by pointer, array, struct and enum members. */
  const byteAlignedFit = (memberSize: number): Err => {
    if (raw & 7) return bad("Member is not byte aligned");
    if ((structSize - (raw >>> 3)) >>> 0 < memberSize) return bad("Member exceeds struct_size");
    return Err.OK;
  };

  const kind = r.kind(typeId);
  if (isModifierKind(kind)) {
    const resolved = r.idSize(typeId);
    if (resolved < 0) return bad("Invalid member");
    return checkMember(r, structId, m, resolved, kflag);
  }
  // Pointers, arrays, structs and floats carry no bitfield: with kind_flag the size must be 0.
  const generic = kind === BtfKind.PTR || kind === BtfKind.ARRAY || kind === BtfKind.STRUCT || kind === BtfKind.UNION || kind === BtfKind.FLOAT;
  if (kflag && generic && raw >>> 24) return bad("Invalid member bitfield_size");

  switch (kind) {
    case BtfKind.INT:
      return kflag ? intKflagMember(r, typeId, raw, structSize, bad) : intMember(r, typeId, raw, structSize, bad);
    case BtfKind.PTR:
      return byteAlignedFit(8);
    case BtfKind.ARRAY: {
      if (raw & 7) return bad("Member is not byte aligned");
      r.idSize(typeId);
      if ((structSize - (raw >>> 3)) >>> 0 < r.lastSize) return bad("Member exceeds struct_size");
      return Err.OK;
    }
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      return byteAlignedFit(s.sizeType(typeId));
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
      return kflag ? enumKflagMember(raw, structSize, bad) : byteAlignedFit(s.sizeType(typeId));
    case BtfKind.FLOAT: {
      const size = s.sizeType(typeId);
      const alignBits = Math.min(8, size) * 8;
      if (raw % alignBits) return bad("Member is not properly aligned");
      if (Math.floor(raw / 8) + size > structSize) return bad("Member exceeds struct_size");
      return Err.OK;
    }
    default:
      // Only sized kinds reach here in the kernel; anything else has no member rule.
      r.out.add(typeProblem(s, structId, kflag ? "Unsupported check_kflag_member" : "Unsupported check_member", false));
      return Err.EINVAL;
  }
}

function intMember(r: Resolver, intId: number, raw: number, structSize: number, bad: (reason: string) => Err): Err {
  const data = r.s.word(intId, 0);
  const intOffset = (data >>> 16) & 0xff;
  if (U32_MAX - raw < intOffset) return bad("bits_offset exceeds U32_MAX");
  const bitsOff = raw + intOffset;
  const bytesOffset = bitsOff >>> 3;
  const copyBits = (data & 0xff) + (bitsOff & 7);
  if (copyBits > 128) return bad("nr_copy_bits exceeds 128");
  if (structSize < bytesOffset || structSize - bytesOffset < roundupBytes(copyBits)) return bad("Member exceeds struct_size");
  return Err.OK;
}

function intKflagMember(r: Resolver, intId: number, raw: number, structSize: number, bad: (reason: string) => Err): Err {
  if (!r.intIsRegular(intId)) return bad("Invalid member base type");
  let bits = raw >>> 24;
  const bitsOff = raw & 0xffffff;
  const intBits = r.s.word(intId, 0) & 0xff;
  if (!bits) {
    if (bitsOff & 7) return bad("Invalid member offset");
    bits = intBits;
  } else if (bits > intBits) {
    return bad("Invalid member bitfield_size");
  }
  const bytesOffset = bitsOff >>> 3;
  const copyBits = bits + (bitsOff & 7);
  if (copyBits > 128) return bad("nr_copy_bits exceeds 128");
  if (structSize < bytesOffset || structSize - bytesOffset < roundupBytes(copyBits)) return bad("Member exceeds struct_size");
  return Err.OK;
}

/** Enum bitfields: the kernel takes an enum's width as sizeof(int) whatever its size. */
function enumKflagMember(raw: number, structSize: number, bad: (reason: string) => Err): Err {
  let bits = raw >>> 24;
  const bitsOff = raw & 0xffffff;
  if (!bits) {
    if (bitsOff & 7) return bad("Member is not byte aligned");
    bits = 32;
  } else if (bits > 32) {
    return bad("Invalid member bitfield_size");
  }
  if (structSize < roundupBytes(bitsOff + bits)) return bad("Member exceeds struct_size");
  return Err.OK;
}
