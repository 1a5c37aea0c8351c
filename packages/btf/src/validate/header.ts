// The checks the kernel makes before it looks at a single type: the header (btf_parse_hdr),
// the placement of the sections (btf_check_sec_info), the string section (btf_parse_str_sec) and,
// from 7.1, the kind layout section (btf_parse_layout_sec). They work on raw bytes: nothing here
// trusts a length field. What differs between kernels comes from the target's rules.

import { BTF_HEADER_SIZE, BTF_HEADER_SIZE_WITH_LAYOUT, BTF_KIND_LAYOUT_SIZE, BTF_MAGIC, BTF_MAX_NAME_OFFSET, BTF_MAX_SIZE, BTF_VERSION } from "../constants.js";
import type { KernelRules } from "./targets.js";

/**
 * The kernel's struct btf_header; fields a short hdr_len does not cover stay 0, as in the kernel,
 * and so do the layout fields for a kernel that does not know them.
 */
export interface RawHeader {
  magic: number;
  version: number;
  flags: number;
  hdrLen: number;
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
  layoutOff: number;
  layoutLen: number;
}

export interface HeaderProblem {
  reason: string;
  offset?: number;
}

export type HeaderResult = { ok: true; header: RawHeader } | { ok: false; problem: HeaderProblem };

const fail = (reason: string, offset?: number): HeaderResult => ({ ok: false, problem: { reason, offset } });

/** Reads the header fields the way the kernel copies them: min(hdr_len, sizeof(struct btf_header)) bytes over zeros. */
function readHeader(bytes: Uint8Array, hdrLen: number, headerSize: number): RawHeader {
  const copy = new Uint8Array(BTF_HEADER_SIZE_WITH_LAYOUT);
  copy.set(bytes.subarray(0, Math.min(hdrLen, headerSize)));
  const v = new DataView(copy.buffer);
  return {
    magic: v.getUint16(0, true),
    version: v.getUint8(2),
    flags: v.getUint8(3),
    hdrLen: v.getUint32(4, true),
    typeOff: v.getUint32(8, true),
    typeLen: v.getUint32(12, true),
    strOff: v.getUint32(16, true),
    strLen: v.getUint32(20, true),
    layoutOff: v.getUint32(24, true),
    layoutLen: v.getUint32(28, true),
  };
}

/** Whether the loader of `rules` reads this blob's layout section (it skips one of length 0). */
export function hasLayoutSection(h: RawHeader, rules: KernelRules): boolean {
  return rules.layoutSection && h.hdrLen >= BTF_HEADER_SIZE_WITH_LAYOUT && h.layoutLen !== 0;
}

/** u32 difference reinterpreted as int, as the kernel's section sort comparator does. */
const signedDiff = (a: number, b: number) => ((a - b) | 0);

/** btf_check_sec_info: the sections, sorted by offset, must tile the data after the header. */
function checkSections(h: RawHeader, size: number, rules: KernelRules): HeaderResult {
  const secs = [
    { off: h.typeOff, len: h.typeLen },
    { off: h.strOff, len: h.strLen },
  ];
  if (hasLayoutSection(h, rules)) secs.push({ off: h.layoutOff, len: h.layoutLen });
  secs.sort((a, b) => signedDiff(a.off, b.off) || signedDiff(a.len, b.len));
  const expectedTotal = (size - h.hdrLen) >>> 0;
  let total = 0;
  for (const s of secs) {
    if (expectedTotal < s.off) return fail("Invalid section offset");
    if (total < s.off) return fail("Unsupported section found");
    if (total > s.off) return fail("Section overlap found");
    if (expectedTotal - total < s.len) return fail("Total section length too long");
    total += s.len;
  }
  if (expectedTotal !== total) return fail("Unsupported section found");
  return { ok: true, header: h };
}

/** Whether the blob starts with the magic in big-endian order, which the kernel reads as garbage. */
export function isBigEndianBtf(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === BTF_MAGIC >> 8 && bytes[1] === (BTF_MAGIC & 0xff);
}

/** btf_parse_hdr and btf_check_sec_info. `split` relaxes the "No data" rule as for module BTF. */
export function checkHeader(bytes: Uint8Array, split: boolean, rules: KernelRules): HeaderResult {
  const size = bytes.length;
  if (size > BTF_MAX_SIZE) return fail(`BTF is ${size} bytes, more than the kernel's limit of ${BTF_MAX_SIZE}`);
  if (size < 8) return fail("hdr_len not found");
  const hdrLen = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  if (size < hdrLen) return fail("btf_header not found", 4);
  // Bytes past the header this kernel knows must be zero: before 7.1 that is the layout fields too.
  for (let i = rules.headerSize; i < hdrLen; i++) {
    if (bytes[i] !== 0) return fail("Unsupported btf_header", i);
  }
  const h = readHeader(bytes, hdrLen, rules.headerSize);
  if (h.magic !== BTF_MAGIC) return fail("Invalid magic", 0);
  if (h.version !== BTF_VERSION) return fail("Unsupported version", 2);
  if (h.flags) return fail("Unsupported flags", 3);
  if (!split && size === h.hdrLen) return fail("No data");
  return checkSections(h, size, rules);
}

/**
 * btf_parse_str_sec: the string section ends the blob (unless a 7.1+ kernel reads a 32-byte
 * header, whose sections may come in any order), ends with NUL, and (base BTF) starts with "".
 */
export function checkStringSection(bytes: Uint8Array, h: RawHeader, split: boolean, rules: KernelRules): HeaderProblem | undefined {
  const start = h.hdrLen + h.strOff;
  const end = start + h.strLen;
  const mustEnd = h.hdrLen < rules.headerSize || rules.headerSize === BTF_HEADER_SIZE;
  if (mustEnd && end !== bytes.length) return { reason: "String section is not at the end", offset: start };
  if (split && h.strLen === 0) return undefined;
  if (h.strLen === 0 || h.strLen - 1 > BTF_MAX_NAME_OFFSET || bytes[end - 1] !== 0) {
    return { reason: "Invalid string section", offset: start };
  }
  if (!split && bytes[start] !== 0) return { reason: "Invalid string section", offset: start };
  return undefined;
}

/** btf_parse_layout_sec (Linux 7.1): an aligned section of whole struct btf_layout entries, inside the blob. */
export function checkLayoutSection(bytes: Uint8Array, h: RawHeader, rules: KernelRules): HeaderProblem | undefined {
  if (!hasLayoutSection(h, rules)) return undefined;
  const at = h.hdrLen + h.layoutOff;
  if (h.layoutOff & 3) return { reason: "Unaligned layout_off", offset: 24 };
  if (h.layoutLen < BTF_KIND_LAYOUT_SIZE) return { reason: "Layout section is too small", offset: 28 };
  if (h.layoutLen % BTF_KIND_LAYOUT_SIZE) return { reason: `layout_len is not multiple of ${BTF_KIND_LAYOUT_SIZE}`, offset: 28 };
  if (at + h.layoutLen > bytes.length) return { reason: "Layout section is too big", offset: at };
  return undefined;
}

/** The start of btf_parse_type_sec: an aligned type section, not empty for base BTF. */
export function checkTypeSectionPlacement(h: RawHeader, split: boolean): HeaderProblem | undefined {
  if (h.typeOff & 3) return { reason: "Unaligned type_off", offset: h.hdrLen + h.typeOff };
  if (!split && h.typeLen === 0) return { reason: "No type found" };
  return undefined;
}
