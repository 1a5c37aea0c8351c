// Whether a struct or union member fits its container, once the member's type is resolved
// (the kernel's check_member and check_kflag_member operations, chosen by the member type's
// kind). With kind_flag set, a member offset word carries a bitfield size in its top 8 bits.
// The arithmetic is the kernel's 32-bit unsigned arithmetic, wrap-around included.

import { BtfKind } from "../constants.js";
import { roundupBytes } from "./bits.js";
import { memberProblem, typeProblem } from "./describe.js";
import { Err, type Resolver } from "./resolver.js";

const U32_MAX = 0xffffffff;

/** Reports a problem with member `m` (shown with its resolved type when that differs). */
function fail(r: Resolver, structId: number, m: number, typeId: number, reason: string): Err {
  const original = r.s.word(structId, m * 3 + 1);
  r.out.add(memberProblem(r.s, structId, m, reason, typeId !== original ? typeId : undefined));
  return Err.EINVAL;
}

/** The byte-aligned, fits-in-the-struct rule shared by pointer, array, struct and enum members. */
function byteAlignedFit(r: Resolver, structId: number, m: number, typeId: number, raw: number, memberSize: number): Err {
  if (raw & 7) return fail(r, structId, m, typeId, "Member is not byte aligned");
  if ((r.s.sizeType(structId) - (raw >>> 3)) >>> 0 < memberSize) return fail(r, structId, m, typeId, "Member exceeds struct_size");
  return Err.OK;
}

/** Checks member `m` of `structId`, whose (possibly resolved) type is `typeId`. */
export function checkMember(r: Resolver, structId: number, m: number, typeId: number, kflag: boolean): Err {
  const s = r.s;
  const raw = s.word(structId, m * 3 + 2);
  const kind = r.kind(typeId);
  switch (kind) {
    case BtfKind.INT:
      return kflag ? intKflagMember(r, structId, m, typeId, raw) : intMember(r, structId, m, typeId, raw);
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
      return kflag ? enumKflagMember(r, structId, m, typeId, raw) : byteAlignedFit(r, structId, m, typeId, raw, s.sizeType(typeId));
    case BtfKind.TYPEDEF:
    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG: {
      const resolved = r.idSize(typeId);
      if (resolved < 0) return fail(r, structId, m, typeId, "Invalid member");
      return checkMember(r, structId, m, resolved, kflag);
    }
  }
  // Pointers, arrays, structs and floats carry no bitfield: with kind_flag the size must be 0.
  if (kflag && raw >>> 24 && (kind === BtfKind.PTR || kind === BtfKind.ARRAY || kind === BtfKind.STRUCT || kind === BtfKind.UNION || kind === BtfKind.FLOAT)) {
    return fail(r, structId, m, typeId, "Invalid member bitfield_size");
  }
  switch (kind) {
    case BtfKind.PTR:
      return byteAlignedFit(r, structId, m, typeId, raw, r.pointerSize);
    case BtfKind.ARRAY:
      if (raw & 7) return fail(r, structId, m, typeId, "Member is not byte aligned");
      r.idSize(typeId);
      return byteAlignedFit(r, structId, m, typeId, raw, r.lastSize);
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      return byteAlignedFit(r, structId, m, typeId, raw, s.sizeType(typeId));
    case BtfKind.FLOAT: {
      const size = s.sizeType(typeId);
      // The kernel aligns to min(sizeof(void *), size): a 32-bit target's double is 4-aligned.
      if (raw % (Math.min(r.pointerSize, size) * 8)) return fail(r, structId, m, typeId, "Member is not properly aligned");
      if (Math.floor(raw / 8) + size > s.sizeType(structId)) return fail(r, structId, m, typeId, "Member exceeds struct_size");
      return Err.OK;
    }
    default:
      // Only sized kinds reach here in the kernel; anything else has no member rule.
      r.out.add(typeProblem(s, structId, kflag ? "Unsupported check_kflag_member" : "Unsupported check_member", false));
      return Err.EINVAL;
  }
}

function intMember(r: Resolver, structId: number, m: number, intId: number, raw: number): Err {
  const data = r.s.word(intId, 0);
  const structSize = r.s.sizeType(structId);
  const intOffset = (data >>> 16) & 0xff;
  if (U32_MAX - raw < intOffset) return fail(r, structId, m, intId, "bits_offset exceeds U32_MAX");
  const bitsOff = raw + intOffset;
  const bytesOffset = bitsOff >>> 3;
  const copyBits = (data & 0xff) + (bitsOff & 7);
  if (copyBits > 128) return fail(r, structId, m, intId, "nr_copy_bits exceeds 128");
  if (structSize < bytesOffset || structSize - bytesOffset < roundupBytes(copyBits)) return fail(r, structId, m, intId, "Member exceeds struct_size");
  return Err.OK;
}

function intKflagMember(r: Resolver, structId: number, m: number, intId: number, raw: number): Err {
  if (!r.intIsRegular(intId)) return fail(r, structId, m, intId, "Invalid member base type");
  const structSize = r.s.sizeType(structId);
  let bits = raw >>> 24;
  const bitsOff = raw & 0xffffff;
  const intBits = r.s.word(intId, 0) & 0xff;
  if (!bits) {
    if (bitsOff & 7) return fail(r, structId, m, intId, "Invalid member offset");
    bits = intBits;
  } else if (bits > intBits) {
    return fail(r, structId, m, intId, "Invalid member bitfield_size");
  }
  const bytesOffset = bitsOff >>> 3;
  const copyBits = bits + (bitsOff & 7);
  if (copyBits > 128) return fail(r, structId, m, intId, "nr_copy_bits exceeds 128");
  if (structSize < bytesOffset || structSize - bytesOffset < roundupBytes(copyBits)) return fail(r, structId, m, intId, "Member exceeds struct_size");
  return Err.OK;
}

/** Enum bitfields: the kernel takes an enum's width as sizeof(int) whatever its size. */
function enumKflagMember(r: Resolver, structId: number, m: number, enumId: number, raw: number): Err {
  let bits = raw >>> 24;
  const bitsOff = raw & 0xffffff;
  if (!bits) {
    if (bitsOff & 7) return fail(r, structId, m, enumId, "Member is not byte aligned");
    bits = 32;
  } else if (bits > 32) {
    return fail(r, structId, m, enumId, "Invalid member bitfield_size");
  }
  if (r.s.sizeType(structId) < roundupBytes(bitsOff + bits)) return fail(r, structId, m, enumId, "Member exceeds struct_size");
  return Err.OK;
}
