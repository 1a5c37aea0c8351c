// Which function encodes which DWARF tag: the dispatch table of the unit walk. A tag absent here is
// not a type: the walk goes on into its children (which may hold types) or skips it.
import { DW_TAG, type DieCursor } from "@btforge/dwarf";
import { encodeAggregate } from "./aggregates.js";
import { encodeAlias, encodeArray, encodePointer, encodeQualifier, encodeSubroutine, encodeTypedef, encodeUnspecified } from "./derived.js";
import { encodeBaseType, encodeEnum } from "./scalars.js";
import type { UnitEncoder } from "./unit-encoder.js";

/** Encodes the type DIE under the cursor (and consumes its subtree); returns c.next()'s answer. */
export type TagEncoder = (u: UnitEncoder, c: DieCursor) => boolean;

export const TYPE_ENCODERS: { readonly [tag: number]: TagEncoder | undefined } = {
  [DW_TAG.base_type]: encodeBaseType,
  [DW_TAG.enumeration_type]: encodeEnum,
  [DW_TAG.structure_type]: encodeAggregate,
  [DW_TAG.class_type]: encodeAggregate,
  [DW_TAG.union_type]: encodeAggregate,
  [DW_TAG.pointer_type]: encodePointer,
  [DW_TAG.reference_type]: encodePointer,
  [DW_TAG.rvalue_reference_type]: encodePointer,
  [DW_TAG.ptr_to_member_type]: encodePointer,
  [DW_TAG.const_type]: encodeQualifier,
  [DW_TAG.volatile_type]: encodeQualifier,
  [DW_TAG.restrict_type]: encodeQualifier,
  [DW_TAG.typedef]: encodeTypedef,
  [DW_TAG.array_type]: encodeArray,
  [DW_TAG.subroutine_type]: encodeSubroutine,
  [DW_TAG.atomic_type]: encodeAlias,
  [DW_TAG.immutable_type]: encodeAlias,
  [DW_TAG.unspecified_type]: encodeUnspecified,
};
