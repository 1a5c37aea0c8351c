// ELF constants as `as const` tables, so code reads `SHT.RELA` and messages can print names.
// Only values this package or its users need; an unknown value is still a valid number.

export const ET = { NONE: 0, REL: 1, EXEC: 2, DYN: 3, CORE: 4 } as const;

export const EM = {
  NONE: 0,
  SPARC: 2,
  I386: 3,
  MIPS: 8,
  PPC: 20,
  PPC64: 21,
  S390: 22,
  ARM: 40,
  X86_64: 62,
  AARCH64: 183,
  RISCV: 243,
  BPF: 247,
  LOONGARCH: 258,
} as const;

export const SHT = {
  NULL: 0,
  PROGBITS: 1,
  SYMTAB: 2,
  STRTAB: 3,
  RELA: 4,
  HASH: 5,
  DYNAMIC: 6,
  NOTE: 7,
  NOBITS: 8,
  REL: 9,
  SHLIB: 10,
  DYNSYM: 11,
  INIT_ARRAY: 14,
  FINI_ARRAY: 15,
  PREINIT_ARRAY: 16,
  GROUP: 17,
  SYMTAB_SHNDX: 18,
  RELR: 19,
  GNU_ATTRIBUTES: 0x6ffffff5,
  GNU_HASH: 0x6ffffff6,
  GNU_VERDEF: 0x6ffffffd,
  GNU_VERNEED: 0x6ffffffe,
  GNU_VERSYM: 0x6fffffff,
  X86_64_UNWIND: 0x70000001,
} as const;

export const SHF = {
  WRITE: 0x1n,
  ALLOC: 0x2n,
  EXECINSTR: 0x4n,
  MERGE: 0x10n,
  STRINGS: 0x20n,
  INFO_LINK: 0x40n,
  LINK_ORDER: 0x80n,
  OS_NONCONFORMING: 0x100n,
  GROUP: 0x200n,
  TLS: 0x400n,
  COMPRESSED: 0x800n,
} as const;

export const SHN = {
  UNDEF: 0,
  LORESERVE: 0xff00,
  ABS: 0xfff1,
  COMMON: 0xfff2,
  XINDEX: 0xffff,
} as const;

export const STT = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6, GNU_IFUNC: 10 } as const;

export const STB = { LOCAL: 0, GLOBAL: 1, WEAK: 2, GNU_UNIQUE: 10 } as const;

export const STV = { DEFAULT: 0, INTERNAL: 1, HIDDEN: 2, PROTECTED: 3 } as const;

export const ELFCOMPRESS = { ZLIB: 1, ZSTD: 2 } as const;

export const R_X86_64 = {
  NONE: 0,
  "64": 1,
  PC32: 2,
  "32": 10,
  "32S": 11,
  "16": 12,
  PC16: 13,
  "8": 14,
  PC8: 15,
  DTPOFF64: 17,
  DTPOFF32: 21,
  PC64: 24,
} as const;

export const R_386 = { NONE: 0, "32": 1, PC32: 2, TLS_LDO_32: 32 } as const;

export const R_AARCH64 = {
  NONE: 0,
  NONE_OLD: 256,
  ABS64: 257,
  ABS32: 258,
  ABS16: 259,
  PREL64: 260,
  PREL32: 261,
  PREL16: 262,
  TLS_DTPREL64: 1029,
} as const;

export const R_ARM = { NONE: 0, ABS32: 2, REL32: 3, TLS_LDO32: 106 } as const;

export const R_PPC64 = { NONE: 0, ADDR32: 1, REL32: 26, ADDR64: 38, REL64: 44, DTPREL64: 78 } as const;

export const R_390 = { NONE: 0, "8": 1, "16": 3, "32": 4, PC32: 5, "64": 22, PC64: 23 } as const;

export const R_RISCV = {
  NONE: 0,
  "32": 1,
  "64": 2,
  TLS_DTPREL32: 8,
  TLS_DTPREL64: 9,
  ADD8: 33,
  ADD16: 34,
  ADD32: 35,
  ADD64: 36,
  SUB8: 37,
  SUB16: 38,
  SUB32: 39,
  SUB64: 40,
  RELAX: 51,
  SUB6: 52,
  SET6: 53,
  SET8: 54,
  SET16: 55,
  SET32: 56,
  "32_PCREL": 57,
} as const;

/** The name of `value` in one of the tables above, for messages: "SHT_RELA", or the number in hex. */
export function constantName(prefix: string, table: Readonly<Record<string, number | bigint>>, value: number | bigint): string {
  for (const [name, v] of Object.entries(table)) if (v === value) return `${prefix}_${name}`;
  return `${prefix} 0x${value.toString(16)}`;
}
