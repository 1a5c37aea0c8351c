// Pass 1 of the kernel's loader, per kind (the `check_meta` operations of kernel/bpf/btf.c):
// checks one record on its own (names, flags, vlen, ids in range, members in order) and says
// how many bytes follow its 12-byte header. Checks run in the kernel's order, so the first
// problem reported for a type is the one the kernel logs.
//
// Each check returns the trailing byte count, or -1 when the record does not fit in what is
// left of the type section (the walk cannot go on). A problem with a record that does fit is
// reported and the walk continues, so one run can report several broken types.

import { BtfKind, BTF_MAX_TYPE } from "../constants.js";
import { roundupBytes } from "./bits.js";
import { isValidIdentifier, isValidSectionName } from "./ctype.js";
import { bareProblem, memberProblem, typeProblem, vsiProblem, type ProblemSink } from "./describe.js";
import type { TypeSpace } from "./space.js";
import type { KernelRules } from "./targets.js";

export type MetaCheck = (s: TypeSpace, id: number, metaLeft: number, out: ProblemSink, rules: KernelRules) => number;

const typeIdValid = (t: number) => t <= BTF_MAX_TYPE;
const isPowerOf2 = (n: number) => n !== 0 && (n & (n - 1)) === 0;

/** The record does not fit: logged without details, and the walk stops. */
function short(s: TypeSpace, id: number, metaLeft: number, needed: number, out: ProblemSink): number {
  out.add(typeProblem(s, id, `meta_left:${metaLeft} meta_needed:${needed}`, false));
  return -1;
}

function checkInt(s: TypeSpace, id: number, metaLeft: number, out: ProblemSink): number {
  if (metaLeft < 4) return short(s, id, metaLeft, 4, out);
  const bad = (reason: string, details = true) => (out.add(typeProblem(s, id, reason, details)), 4);
  if (s.vlen(id)) return bad("vlen != 0");
  if (s.kflag(id)) return bad("Invalid btf_info kind_flag");
  const data = s.word(id, 0);
  if (data & ~0x0fffffff) return bad(`Invalid int_data:${data.toString(16)}`, false);
  const nrBits = (data & 0xff) + ((data >>> 16) & 0xff);
  if (nrBits > 128) return bad("nr_bits exceeds 128");
  if (roundupBytes(nrBits) > s.sizeType(id)) return bad("nr_bits exceeds type_size");
  const encoding = (data >>> 24) & 0x0f;
  if (encoding !== 0 && encoding !== 1 && encoding !== 2 && encoding !== 4) return bad("Unsupported encoding");
  return 4;
}

/** PTR, TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG (btf_ref_type_check_meta). */
function checkRef(s: TypeSpace, id: number, _metaLeft: number, out: ProblemSink, rules: KernelRules): number {
  const bad = (reason: string) => (out.add(typeProblem(s, id, reason)), 0);
  const kind = s.kind(id);
  if (s.vlen(id)) return bad("vlen != 0");
  // Attribute-style type tags (kind_flag) from 6.14.
  if (s.kflag(id) && (kind !== BtfKind.TYPE_TAG || !rules.tagKindFlag)) return bad("Invalid btf_info kind_flag");
  if (!typeIdValid(s.sizeType(id))) return bad("Invalid type_id");
  const nameOff = s.nameOff(id);
  if (kind === BtfKind.TYPEDEF) {
    if (!nameOff || !isValidIdentifier(s.strings, nameOff)) return bad("Invalid name");
  } else if (kind === BtfKind.TYPE_TAG) {
    if (s.emptyString(nameOff)) return bad("Invalid name");
  } else if (nameOff) {
    return bad("Invalid name");
  }
  return 0;
}

function checkFwd(s: TypeSpace, id: number, _metaLeft: number, out: ProblemSink): number {
  const bad = (reason: string) => (out.add(typeProblem(s, id, reason)), 0);
  if (s.vlen(id)) return bad("vlen != 0");
  if (s.sizeType(id)) return bad("type != 0");
  const nameOff = s.nameOff(id);
  if (!nameOff || !isValidIdentifier(s.strings, nameOff)) return bad("Invalid name");
  return 0;
}

function checkArray(s: TypeSpace, id: number, metaLeft: number, out: ProblemSink): number {
  if (metaLeft < 12) return short(s, id, metaLeft, 12, out);
  const bad = (reason: string) => (out.add(typeProblem(s, id, reason)), 12);
  if (s.nameOff(id)) return bad("Invalid name");
  if (s.vlen(id)) return bad("vlen != 0");
  if (s.kflag(id)) return bad("Invalid btf_info kind_flag");
  if (s.sizeType(id)) return bad("size != 0");
  const elem = s.word(id, 0);
  if (!elem || !typeIdValid(elem)) return bad("Invalid elem");
  const index = s.word(id, 1);
  if (!index || !typeIdValid(index)) return bad("Invalid index");
  return 12;
}

/** The first problem with the members of a STRUCT or UNION (in pass 1), or undefined. */
function memberMetaProblem(s: TypeSpace, id: number, vlen: number): [member: number, reason: string] | undefined {
  const isUnion = s.kind(id) === BtfKind.UNION;
  const kflag = s.kflag(id);
  const size = s.sizeType(id);
  let lastOffset = 0;
  for (let i = 0; i < vlen; i++) {
    const mName = s.word(id, i * 3);
    if (!s.validNameOffset(mName)) return [i, `Invalid member name_offset:${mName}`];
    if (mName && !isValidIdentifier(s.strings, mName)) return [i, "Invalid name"];
    const mType = s.word(id, i * 3 + 1);
    if (!mType || !typeIdValid(mType)) return [i, "Invalid type_id"];
    const raw = s.word(id, i * 3 + 2);
    const offset = kflag ? raw & 0xffffff : raw;
    if (isUnion && offset) return [i, "Invalid member bits_offset"];
    // ">" rather than ">=": a flexible array member may share the offset of its predecessor.
    if (lastOffset > offset) return [i, "Invalid member bits_offset"];
    if (roundupBytes(offset) > size) return [i, "Member bits_offset exceeds its struct size"];
    lastOffset = offset;
  }
  return undefined;
}

function checkStruct(s: TypeSpace, id: number, metaLeft: number, out: ProblemSink): number {
  const vlen = s.vlen(id);
  const needed = vlen * 12;
  if (metaLeft < needed) return short(s, id, metaLeft, needed, out);
  const nameOff = s.nameOff(id);
  if (nameOff && !isValidIdentifier(s.strings, nameOff)) {
    out.add(typeProblem(s, id, "Invalid name"));
    return needed;
  }
  const problem = memberMetaProblem(s, id, vlen);
  if (problem) out.add(memberProblem(s, id, problem[0], problem[1]));
  return needed;
}

function enumChecker(entryWords: number): MetaCheck {
  return (s, id, metaLeft, out, rules) => {
    const vlen = s.vlen(id);
    const needed = vlen * entryWords * 4;
    if (metaLeft < needed) return short(s, id, metaLeft, needed, out);
    const bad = (reason: string) => (out.add(typeProblem(s, id, reason)), needed);
    // A signed ENUM (kind_flag) from 6.0, with ENUM64.
    if (s.kflag(id) && !rules.enumKindFlag) return bad("Invalid btf_info kind_flag");
    const size = s.sizeType(id);
    if (size > 8 || !isPowerOf2(size)) return bad("Unexpected size");
    const nameOff = s.nameOff(id);
    if (nameOff && !isValidIdentifier(s.strings, nameOff)) return bad("Invalid name");
    for (let i = 0; i < vlen; i++) {
      const eName = s.word(id, i * entryWords);
      if (!s.validNameOffset(eName)) {
        const at = s.offsetOf(id);
        out.add(bareProblem(id, `Invalid name_offset:${eName}`, at === undefined ? undefined : at + 12 + i * entryWords * 4));
        return needed;
      }
      if (!eName || !isValidIdentifier(s.strings, eName)) return bad("Invalid name");
    }
    return needed;
  };
}

function checkFuncProto(s: TypeSpace, id: number, metaLeft: number, out: ProblemSink): number {
  const needed = s.vlen(id) * 8;
  if (metaLeft < needed) return short(s, id, metaLeft, needed, out);
  if (s.nameOff(id)) out.add(typeProblem(s, id, "Invalid name"));
  else if (s.kflag(id)) out.add(typeProblem(s, id, "Invalid btf_info kind_flag"));
  return needed;
}

function checkFunc(s: TypeSpace, id: number, _metaLeft: number, out: ProblemSink): number {
  const nameOff = s.nameOff(id);
  if (!nameOff || !isValidIdentifier(s.strings, nameOff)) out.add(typeProblem(s, id, "Invalid name"));
  // Only static and global functions: the kernel has no use for extern ones in loaded BTF.
  else if (s.vlen(id) > 1) out.add(typeProblem(s, id, "Invalid func linkage"));
  else if (s.kflag(id)) out.add(typeProblem(s, id, "Invalid btf_info kind_flag"));
  return 0;
}

function checkVar(s: TypeSpace, id: number, metaLeft: number, out: ProblemSink): number {
  if (metaLeft < 4) return short(s, id, metaLeft, 4, out);
  const bad = (reason: string) => (out.add(typeProblem(s, id, reason)), 4);
  if (s.vlen(id)) return bad("vlen != 0");
  if (s.kflag(id)) return bad("Invalid btf_info kind_flag");
  const nameOff = s.nameOff(id);
  if (!nameOff || !isValidIdentifier(s.strings, nameOff)) return bad("Invalid name");
  const type = s.sizeType(id);
  if (!type || !typeIdValid(type)) return bad("Invalid type_id");
  const linkage = s.word(id, 0);
  if (linkage !== 0 && linkage !== 1) return bad("Linkage not supported");
  return 4;
}

function checkDatasec(s: TypeSpace, id: number, metaLeft: number, out: ProblemSink): number {
  const vlen = s.vlen(id);
  const needed = vlen * 12;
  if (metaLeft < needed) return short(s, id, metaLeft, needed, out);
  const bad = (reason: string) => (out.add(typeProblem(s, id, reason)), needed);
  const size = s.sizeType(id);
  if (!size) return bad("size == 0");
  if (s.kflag(id)) return bad("Invalid btf_info kind_flag");
  const nameOff = s.nameOff(id);
  if (!nameOff || !isValidSectionName(s.strings, nameOff)) return bad("Invalid name");
  let lastEnd = 0;
  let sum = 0;
  for (let i = 0; i < vlen; i++) {
    const badEntry = (reason: string) => (out.add(vsiProblem(s, id, i, reason)), needed);
    const type = s.word(id, i * 3);
    const offset = s.word(id, i * 3 + 1);
    const vsize = s.word(id, i * 3 + 2);
    if (!type || !typeIdValid(type)) return badEntry("Invalid type_id");
    if (offset < lastEnd || offset >= size) return badEntry("Invalid offset");
    if (!vsize || vsize > size) return badEntry("Invalid size");
    // The kernel adds two u32s before widening to u64: the sum wraps, and so must ours.
    lastEnd = (offset + vsize) >>> 0;
    if (lastEnd > size) return badEntry("Invalid offset+size");
    sum += vsize;
  }
  if (size < sum) return bad("Invalid btf_info size");
  return needed;
}

function checkFloat(s: TypeSpace, id: number, _metaLeft: number, out: ProblemSink): number {
  const size = s.sizeType(id);
  if (s.vlen(id)) out.add(typeProblem(s, id, "vlen != 0"));
  else if (s.kflag(id)) out.add(typeProblem(s, id, "Invalid btf_info kind_flag"));
  else if (size !== 2 && size !== 4 && size !== 8 && size !== 12 && size !== 16) out.add(typeProblem(s, id, "Invalid type_size"));
  return 0;
}

function checkDeclTag(s: TypeSpace, id: number, metaLeft: number, out: ProblemSink, rules: KernelRules): number {
  if (metaLeft < 4) return short(s, id, metaLeft, 4, out);
  if (s.emptyString(s.nameOff(id))) out.add(typeProblem(s, id, "Invalid value"));
  else if (s.vlen(id)) out.add(typeProblem(s, id, "vlen != 0"));
  else if (s.kflag(id) && !rules.tagKindFlag) out.add(typeProblem(s, id, "Invalid btf_info kind_flag"));
  else if ((s.word(id, 0) | 0) < -1) out.add(typeProblem(s, id, "Invalid component_idx"));
  return 4;
}

/** check_meta of every kind the kernel knows, by kind number. */
export const KERNEL_META_CHECKS: readonly (MetaCheck | undefined)[] = (() => {
  const t: (MetaCheck | undefined)[] = [];
  t[BtfKind.INT] = checkInt;
  t[BtfKind.PTR] = checkRef;
  t[BtfKind.ARRAY] = checkArray;
  t[BtfKind.STRUCT] = checkStruct;
  t[BtfKind.UNION] = checkStruct;
  t[BtfKind.ENUM] = enumChecker(2);
  t[BtfKind.FWD] = checkFwd;
  t[BtfKind.TYPEDEF] = checkRef;
  t[BtfKind.VOLATILE] = checkRef;
  t[BtfKind.CONST] = checkRef;
  t[BtfKind.RESTRICT] = checkRef;
  t[BtfKind.FUNC] = checkFunc;
  t[BtfKind.FUNC_PROTO] = checkFuncProto;
  t[BtfKind.VAR] = checkVar;
  t[BtfKind.DATASEC] = checkDatasec;
  t[BtfKind.FLOAT] = checkFloat;
  t[BtfKind.DECL_TAG] = checkDeclTag;
  t[BtfKind.TYPE_TAG] = checkRef;
  t[BtfKind.ENUM64] = enumChecker(3);
  return t;
})();
