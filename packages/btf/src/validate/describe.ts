// The kernel's one-line description of a type in its verifier log ("[id] KIND name details"),
// used to word problems the same way. Only called when there is a problem to report.

import { BtfKind } from "../constants.js";
import type { ValidationProblem } from "./problems.js";
import type { TypeSpace } from "./space.js";

const INT_ENCODINGS: Record<number, string> = { 0: "(none)", 1: "SIGNED", 2: "CHAR", 4: "BOOL" };

function funcProtoDetails(s: TypeSpace, id: number): string {
  const n = s.vlen(id);
  const arg = (i: number) => `${s.word(id, i * 2 + 1)} ${s.nameAt(s.word(id, i * 2))}`;
  let args: string;
  if (n === 0) args = "void";
  else if (n === 1 && s.word(id, 1) === 0) args = "vararg";
  else {
    const parts: string[] = [];
    for (let i = 0; i < n; i++) parts.push(i === n - 1 && i > 0 && s.word(id, i * 2 + 1) === 0 ? "vararg" : arg(i));
    args = parts.join(", ");
  }
  return `return=${s.sizeType(id)} args=(${args})`;
}

/** The kind-specific part of the kernel's log line (the `log_details` operation). */
export function typeDetails(s: TypeSpace, id: number): string {
  const k = s.kind(id);
  switch (k) {
    case BtfKind.INT: {
      const d = s.word(id, 0);
      return `size=${s.sizeType(id)} bits_offset=${(d >>> 16) & 0xff} nr_bits=${d & 0xff} encoding=${INT_ENCODINGS[(d >>> 24) & 0x0f] ?? "UNKN"}`;
    }
    case BtfKind.PTR:
    case BtfKind.TYPEDEF:
    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
    case BtfKind.FUNC:
      return `type_id=${s.sizeType(id)}`;
    case BtfKind.ARRAY:
      return `type_id=${s.word(id, 0)} index_type_id=${s.word(id, 1)} nr_elems=${s.word(id, 2)}`;
    case BtfKind.STRUCT:
    case BtfKind.UNION:
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
    case BtfKind.DATASEC:
      return `size=${s.sizeType(id)} vlen=${s.vlen(id)}`;
    case BtfKind.FWD:
      return s.kflag(id) ? "union" : "struct";
    case BtfKind.FUNC_PROTO:
      return funcProtoDetails(s, id);
    case BtfKind.VAR:
      return `type_id=${s.sizeType(id)} linkage=${s.word(id, 0)}`;
    case BtfKind.FLOAT:
      return `size=${s.sizeType(id)}`;
    case BtfKind.DECL_TAG:
      return `type=${s.sizeType(id)} component_idx=${s.word(id, 0) | 0}`;
    default:
      return "";
  }
}

/** "KIND name" or "KIND name details", as btf_verifier_log_basic / btf_verifier_log_type start. */
export function typeLine(s: TypeSpace, id: number, withDetails: boolean): string {
  const head = `${s.kindName(id)} ${s.nameAt(s.nameOff(id))}`;
  if (!withDetails) return head;
  const d = typeDetails(s, id);
  return d ? `${head} ${d}` : head;
}

/** The member part of btf_verifier_log_member: "name type_id=.. [bitfield_size=..] bits_offset=..". */
export function memberLine(s: TypeSpace, structId: number, member: number, typeOverride?: number): string {
  const nameOff = s.word(structId, member * 3);
  const type = typeOverride ?? s.word(structId, member * 3 + 1);
  const off = s.word(structId, member * 3 + 2);
  const name = s.nameAt(nameOff);
  if (s.kflag(structId)) return `${name} type_id=${type} bitfield_size=${off >>> 24} bits_offset=${off & 0xffffff}`;
  return `${name} type_id=${type} bits_offset=${off}`;
}

/** The var_secinfo part of btf_verifier_log_vsi. */
export function vsiLine(s: TypeSpace, secId: number, entry: number): string {
  return `type_id=${s.word(secId, entry * 3)} offset=${s.word(secId, entry * 3 + 1)} size=${s.word(secId, entry * 3 + 2)}`;
}

export interface ProblemSink {
  add(problem: ValidationProblem): void;
}

/** A problem worded like btf_verifier_log_type (with details) or btf_verifier_log_basic (without). */
export function typeProblem(s: TypeSpace, id: number, reason: string, withDetails = true): ValidationProblem {
  return { typeId: id, offset: s.offsetOf(id), reason, message: `${typeLine(s, id, withDetails)} ${reason}` };
}

/** A problem with one member of a struct or union (btf_verifier_log_member). */
export function memberProblem(s: TypeSpace, id: number, member: number, reason: string, typeOverride?: number): ValidationProblem {
  const at = s.offsetOf(id);
  return {
    typeId: id,
    offset: at === undefined ? undefined : at + 12 + member * 12,
    reason,
    message: `${typeLine(s, id, true)} member ${memberLine(s, id, member, typeOverride)} ${reason}`,
  };
}

/** A problem with one entry of a DATASEC (btf_verifier_log_vsi). */
export function vsiProblem(s: TypeSpace, id: number, entry: number, reason: string): ValidationProblem {
  const at = s.offsetOf(id);
  return {
    typeId: id,
    offset: at === undefined ? undefined : at + 12 + entry * 12,
    reason,
    message: `${typeLine(s, id, true)} var ${vsiLine(s, id, entry)} ${reason}`,
  };
}

/** A problem the kernel logs without describing the type ("[id] Invalid kind:31"). */
export function bareProblem(id: number | undefined, reason: string, offset?: number): ValidationProblem {
  return { typeId: id, offset, reason, message: reason };
}
