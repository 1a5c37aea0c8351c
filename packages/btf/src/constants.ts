/**
 * Wire-format constants of BTF (include/uapi/linux/btf.h). Shared by every module of the
 * package; kinds a plugin adds get their numbers from the kind registry, not from here.
 */
export const BTF_MAGIC = 0xeb9f;
export const BTF_VERSION = 1;
/** Size of struct btf_header up to str_len: what every kernel with BTF reads. */
export const BTF_HEADER_SIZE = 24;
/** Size of struct btf_header with layout_off and layout_len (Linux 7.1, libbpf 1.8, pahole's `layout`). */
export const BTF_HEADER_SIZE_WITH_LAYOUT = 32;
/** Size of struct btf_layout, one entry of the kind layout section: info_sz (u8), elem_sz (u8), flags (u16). */
export const BTF_KIND_LAYOUT_SIZE = 4;
/** Size of struct btf_type, the common header every type record starts with. */
export const BTF_TYPE_HEADER_SIZE = 12;

export const BtfKind = {
  UNKN: 0,
  INT: 1,
  PTR: 2,
  ARRAY: 3,
  STRUCT: 4,
  UNION: 5,
  ENUM: 6,
  FWD: 7,
  TYPEDEF: 8,
  VOLATILE: 9,
  CONST: 10,
  RESTRICT: 11,
  FUNC: 12,
  FUNC_PROTO: 13,
  VAR: 14,
  DATASEC: 15,
  FLOAT: 16,
  DECL_TAG: 17,
  TYPE_TAG: 18,
  ENUM64: 19,
} as const;
export type BtfKindName = keyof typeof BtfKind;
export type BtfKindId = (typeof BtfKind)[BtfKindName];
/**
 * Highest kind number `info` can carry: bits 24..30 since bpf-next's "Extend BTF UAPI vlen, kinds to
 * use unused bits" (2026-04); bits 24..28 before (BTF_LEGACY_MAX_KIND). Which a kernel accepts is
 * the validator's business (./validate/targets.ts); the format itself is read and written wide.
 */
export const BTF_MAX_KIND = 0x7f;
export const BTF_LEGACY_MAX_KIND = 0x1f;

/** The fields of `info`, wide layout: kind_flag in bit 31, kind in 24..30, vlen in 0..23. */
export const btfInfo = {
  kind: (info: number) => (info >>> 24) & BTF_MAX_KIND,
  vlen: (info: number) => info & BTF_MAX_VLEN,
  kindFlag: (info: number) => info >>> 31 === 1,
  make: (kind: number, vlen: number, kindFlag: boolean) => ((kindFlag ? 0x80000000 : 0) | (kind << 24) | vlen) >>> 0,
};

/** INT encoding bits (BTF_INT_ENCODING). */
export const BtfIntEncoding = { SIGNED: 1 << 0, CHAR: 1 << 1, BOOL: 1 << 2 } as const;

/** VAR linkage (enum btf_var_linkage) and FUNC linkage (enum btf_func_linkage). */
export const BtfVarLinkage = { STATIC: 0, GLOBAL_ALLOCATED: 1, GLOBAL_EXTERN: 2 } as const;
export const BtfFuncLinkage = { STATIC: 0, GLOBAL: 1, EXTERN: 2 } as const;

/** Kernel limits (include/linux/btf.h, kernel/bpf/btf.c). */
export const BTF_MAX_TYPE = 0x000fffff;
export const BTF_MAX_NAME_OFFSET = 0x00ffffff;
/** vlen is bits 0..23 of `info` since the same change; 0..15 before (BTF_LEGACY_MAX_VLEN). */
export const BTF_MAX_VLEN = 0xffffff;
export const BTF_LEGACY_MAX_VLEN = 0xffff;
export const BTF_MAX_NAME_LEN = 128; // KSYM_NAME_LEN for kernels >= 6.1
export const BTF_MAX_SIZE = 16 * 1024 * 1024; // BTF_MAX_SIZE in kernel/bpf/btf.c
