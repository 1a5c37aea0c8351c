// Character classes of the kernel's lib/ctype.c, which the BTF loader uses to judge names.
// The kernel table is Latin-1 aware: bytes 0xC0..0xFF (except 0xD7 and 0xF7) are letters and
// 0xA0..0xFF are printable, unlike the C library's "C" locale. Names are judged on raw bytes.

const UPPER = 1;
const LOWER = 2;
const DIGIT = 4;
const PRINT = 8;

const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  let k = 0;
  if ((c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7)) k |= UPPER;
  if ((c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c !== 0xf7)) k |= LOWER;
  if (c >= 0x30 && c <= 0x39) k |= DIGIT;
  if ((c >= 0x20 && c <= 0x7e) || c >= 0xa0) k |= PRINT;
  CLASS[c] = k;
}

/** KSYM_NAME_LEN of current kernels: the longest identifier the loader accepts. */
export const MAX_NAME_LEN = 512;

function identifierChar(c: number, first: boolean): boolean {
  const cls = CLASS[c]!;
  if (first ? cls & (UPPER | LOWER) : cls & (UPPER | LOWER | DIGIT)) return true;
  return c === 0x5f /* _ */ || c === 0x2e /* . */;
}

/**
 * A C identifier (letters, digits, '_' and '.', not starting with a digit) of at most
 * MAX_NAME_LEN bytes, at `off` in a NUL-terminated string table.
 */
export function isValidIdentifier(strs: Uint8Array, off: number): boolean {
  if (!identifierChar(strs[off]!, true)) return false;
  const limit = off + MAX_NAME_LEN;
  let p = off + 1;
  while (strs[p] !== 0 && p < limit) {
    if (!identifierChar(strs[p]!, false)) return false;
    p++;
  }
  return strs[p] === 0;
}

/** A DATASEC name: non-empty, printable, at most MAX_NAME_LEN bytes. */
export function isValidSectionName(strs: Uint8Array, off: number): boolean {
  if (strs[off] === 0) return false;
  const limit = off + MAX_NAME_LEN;
  let p = off;
  while (strs[p] !== 0 && p < limit) {
    if (!(CLASS[strs[p]!]! & PRINT)) return false;
    p++;
  }
  return strs[p] === 0;
}
