// Types built on another type: pointers, qualifiers, typedefs, arrays, function prototypes, and
// the DWARF-only wrappers BTF has no kind for (atomic, immutable), which stand for their target.
import { DW_AT, DW_FORM, DW_TAG, type DieCursor } from "@btforge/dwarf";
import { btforgeError } from "../../errors/btforge-error.js";
import { type PackedRef, SLOT_TYPE, VOID_REF, captureRef } from "../refs.js";
import type { PendingAnnotation, UnitEncoder } from "./unit-encoder.js";

const MAX_NELEMS = 0xffffffff;

/** The target type, or void (with the error/force policy) when the reference names nothing here. */
function targetOf(u: UnitEncoder, c: DieCursor): PackedRef {
  return captureRef(c) ?? u.danglingRef(c.offset);
}

/** Reads children that may only be annotations (and unexpected nested types). */
function annotationsOf(u: UnitEncoder, c: DieCursor, pending: PendingAnnotation[]): boolean {
  return u.eachChild(c, (child) => (child.tag === DW_TAG.LLVM_annotation ? u.annotation(child, pending, -1) : u.visit(child)));
}

/** Binds type `id` (made for the DIE under the cursor) to `target`, then reads the DIE's annotations. */
function finishWithAnnotations(u: UnitEncoder, c: DieCursor, id: number, target: PackedRef): boolean {
  const offset = c.offset;
  u.bind(id, SLOT_TYPE, target, offset);
  const pending: PendingAnnotation[] = [];
  const more = annotationsOf(u, c, pending);
  u.define(offset, id);
  u.annotate(id, pending);
  return more;
}

/**
 * PTR (also C++ references and pointers to members: BTF has nothing closer). Its type tags are
 * clang's annotation children (in source order) or, when it has none, GCC's chain (which starts
 * from the tag nearest the pointer: reversed here into source order).
 */
export function encodePointer(u: UnitEncoder, c: DieCursor): boolean {
  const target = targetOf(u, c);
  const offset = c.offset;
  const id = u.table.addPtr(0);
  u.bind(id, SLOT_TYPE, target, offset);
  const gnu: PendingAnnotation[] = [];
  u.gnuAnnotations(c, gnu, -1, true);
  const pending: PendingAnnotation[] = [];
  const more = annotationsOf(u, c, pending);
  u.define(offset, id);
  u.annotate(id, pending.some((a) => a.name === "btf_type_tag") ? pending : [...pending, ...gnu.reverse()]);
  return more;
}

export function encodeQualifier(u: UnitEncoder, c: DieCursor): boolean {
  const offset = c.offset;
  const target = targetOf(u, c);
  const t = u.table;
  const id = c.tag === DW_TAG.const_type ? t.addConst(0) : c.tag === DW_TAG.volatile_type ? t.addVolatile(0) : t.addRestrict(0);
  u.bind(id, SLOT_TYPE, target, offset);
  u.define(offset, id);
  return u.skip(c);
}

export function encodeTypedef(u: UnitEncoder, c: DieCursor): boolean {
  const offset = c.offset;
  const target = targetOf(u, c);
  const name = u.identifierOff(c, () => "typedef");
  if (name === 0) {
    // A typedef without a (valid) name is only its target.
    u.alias(offset, target);
    return u.skip(c);
  }
  return finishWithAnnotations(u, c, u.table.addTypedef(name, 0), target);
}

/** Atomic and immutable types have no BTF kind: references to them go to their target (pahole drops _Atomic too). */
export function encodeAlias(u: UnitEncoder, c: DieCursor): boolean {
  u.alias(c.offset, targetOf(u, c));
  return u.skip(c);
}

/** DW_TAG_unspecified_type (C++ nullptr_t, clang's `void` in some places): void. */
export function encodeUnspecified(u: UnitEncoder, c: DieCursor): boolean {
  u.alias(c.offset, VOID_REF);
  return u.skip(c);
}

/** Elements of one dimension: DW_AT_count, else upper − lower + 1; unknown or VLA bounds give 0 (flexible). */
function dimension(c: DieCursor): number {
  const count = c.form(DW_AT.count);
  if (count !== undefined) return isConstant(count) ? c.uint(DW_AT.count) ?? 0 : 0;
  const upperForm = c.form(DW_AT.upper_bound);
  if (upperForm === undefined || !isConstant(upperForm)) return 0;
  // data8 is read signed: an all-ones bound is -1, not a number past 2^53.
  const upper = upperForm === DW_FORM.sdata || upperForm === DW_FORM.data8 ? c.sint(DW_AT.upper_bound)! : c.uint(DW_AT.upper_bound)!;
  const lower = c.has(DW_AT.lower_bound) ? c.sint(DW_AT.lower_bound) ?? 0 : 0;
  // Older gcc marks zero-length arrays with an upper bound of -1 written as an unsigned 4-byte
  // value. (A data1 0xff is a real bound: a 256-element array.)
  if (upper < 0 || (upperForm === DW_FORM.data4 && upper === 0xffffffff)) return 0;
  return Math.max(0, upper - lower + 1);
}

function isConstant(form: number): boolean {
  return (
    form === DW_FORM.data1 || form === DW_FORM.data2 || form === DW_FORM.data4 || form === DW_FORM.data8 ||
    form === DW_FORM.sdata || form === DW_FORM.udata || form === DW_FORM.implicit_const
  );
}

/** ARRAY; a multi-dimensional array is one ARRAY of all its elements, as pahole encodes it. */
export function encodeArray(u: UnitEncoder, c: DieCursor): boolean {
  const offset = c.offset;
  const target = targetOf(u, c);
  let nelems = 1;
  let dims = 0;
  const more = u.eachChild(c, (child) => {
    if (child.tag === DW_TAG.subrange_type || child.tag === DW_TAG.generic_subrange) {
      nelems *= dimension(child);
      dims++;
    } else if (child.tag === DW_TAG.enumeration_type) {
      // Arrays indexed by an enumeration (Ada, Pascal): as many elements as enumerators.
      let count = 0;
      const next = u.eachChild(child, (e) => {
        if (e.tag === DW_TAG.enumerator) count++;
        return u.skip(e);
      });
      nelems *= count;
      dims++;
      return next;
    }
    return u.skip(child);
  });
  if (dims === 0) nelems = 0;
  if (nelems > MAX_NELEMS) {
    throw btforgeError("DWARF_VALUE_OUT_OF_RANGE", [`the array at DIE 0x${offset.toString(16)} has`, `${nelems} elements`], { location: u.location(offset) });
  }
  const id = u.table.addArray(0, 0, nelems);
  u.bind(id, 0, target, offset);
  u.addArray(id);
  u.define(offset, id);
  return more;
}

/** FUNC_PROTO of a function pointer type; unspecified parameters become the vararg marker. */
export function encodeSubroutine(u: UnitEncoder, c: DieCursor): boolean {
  const offset = c.offset;
  const ret = targetOf(u, c);
  const params: PackedRef[] = [];
  const dies: number[] = [];
  let varargs = false;
  const more = u.eachChild(c, (child) => {
    if (child.tag === DW_TAG.formal_parameter) {
      params.push(targetOf(u, child));
      dies.push(child.offset);
    } else if (child.tag === DW_TAG.unspecified_parameters) {
      varargs = true;
    }
    return u.skip(child);
  });
  const list = params.map(() => ({ name: 0, type: 0 }));
  if (varargs) list.push({ name: 0, type: 0 });
  const id = u.table.addFuncProto(0, list);
  u.bind(id, SLOT_TYPE, ret, offset);
  for (let i = 0; i < params.length; i++) u.bind(id, 2 * i + 1, params[i]!, dies[i]!);
  u.define(offset, id);
  return more;
}
