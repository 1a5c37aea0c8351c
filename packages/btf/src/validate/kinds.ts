// Kind groups the kernel's resolve pass reasons with (btf_type_is_modifier, _needs_resolve,
// _nosize, _has_size, _is_resolve_source_only), as bit sets indexed by kind number. A kind a
// plugin registered (> ENUM64) is in none of them but NOSIZE: it is opaque to the kernel rules.

import { BtfKind } from "../constants.js";

const bit = (...kinds: number[]) => kinds.reduce((m, k) => m | (1 << k), 0);

const MODIFIER = bit(BtfKind.TYPEDEF, BtfKind.VOLATILE, BtfKind.CONST, BtfKind.RESTRICT, BtfKind.TYPE_TAG);
const STRUCTLIKE = bit(BtfKind.STRUCT, BtfKind.UNION);
const SOURCE_ONLY = bit(BtfKind.VAR, BtfKind.DECL_TAG, BtfKind.DATASEC);
const NEEDS_RESOLVE =
  MODIFIER | STRUCTLIKE | SOURCE_ONLY | bit(BtfKind.PTR, BtfKind.ARRAY, BtfKind.FUNC);
const HAS_SIZE = bit(BtfKind.INT, BtfKind.STRUCT, BtfKind.UNION, BtfKind.ENUM, BtfKind.DATASEC, BtfKind.FLOAT, BtfKind.ENUM64);
const KERNEL_KINDS = (1 << (BtfKind.ENUM64 + 1)) - 1;
const NOSIZE = bit(BtfKind.UNKN, BtfKind.FWD, BtfKind.FUNC, BtfKind.FUNC_PROTO, BtfKind.DECL_TAG) | ~KERNEL_KINDS;
const DECL_TAG_TARGET = STRUCTLIKE | bit(BtfKind.FUNC, BtfKind.VAR, BtfKind.TYPEDEF);
/** What a pointer or modifier may end at without a size: void, a forward declaration, a prototype. */
const SIZELESS_TARGET = bit(BtfKind.UNKN, BtfKind.FWD, BtfKind.FUNC_PROTO) | ~KERNEL_KINDS;

const has = (set: number, kind: number) => ((set >>> kind) & 1) === 1;

export const isModifierKind = (k: number) => has(MODIFIER, k);
export const isStructLike = (k: number) => has(STRUCTLIKE, k);
export const isSourceOnly = (k: number) => has(SOURCE_ONLY, k);
export const needsResolve = (k: number) => has(NEEDS_RESOLVE, k);
export const hasSize = (k: number) => has(HAS_SIZE, k);
export const isNoSize = (k: number) => has(NOSIZE, k);
export const isDeclTagTarget = (k: number) => has(DECL_TAG_TARGET, k);
export const isSizelessTarget = (k: number) => has(SIZELESS_TARGET, k);
