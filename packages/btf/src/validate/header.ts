// The checks the kernel makes before it looks at a single type: the header (btf_parse_hdr),
// the placement of the type and string sections (btf_check_sec_info) and the string section
// itself (btf_parse_str_sec). They work on raw bytes: nothing here trusts a length field.

import { BTF_MAGIC, BTF_MAX_NAME_OFFSET, BTF_MAX_SIZE, BTF_VERSION } from "../constants.js";

/** The kernel's struct btf_header; fields a short hdr_len does not cover stay 0, as in the kernel. */
export interface RawHeader {
  magic: number;
  version: number;
  flags: number;
  hdrLen: number;
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
}

const HEADER_SIZE = 24;

export interface HeaderProblem {
  reason: string;
  offset?: number;
}

export type HeaderResult = { ok: true; header: RawHeader } | { ok: false; problem: HeaderProblem };

const fail = (reason: string, offset?: number): HeaderResult => ({ ok: false, problem: { reason, offset } });

/** Reads the header fields the way the kernel copies them: min(hdr_len, 24) bytes over zeros. */
function readHeader(bytes: Uint8Array, hdrLen: number): RawHeader {
  const copy = new Uint8Array(HEADER_SIZE);
  copy.set(bytes.subarray(0, Math.min(hdrLen, HEADER_SIZE)));
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
  };
}

/** u32 difference reinterpreted as int, as the kernel's section sort comparator does. */
const signedDiff = (a: number, b: number) => ((a - b) | 0);

/** btf_check_sec_info: the two sections, sorted by offset, must tile the data after the header. */
function checkSections(h: RawHeader, size: number): HeaderResult {
  let secs = [
    { off: h.typeOff, len: h.typeLen },
    { off: h.strOff, len: h.strLen },
  ];
  const a = secs[0]!;
  const b = secs[1]!;
  if ((signedDiff(a.off, b.off) || signedDiff(a.len, b.len)) > 0) secs = [b, a];
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
export function checkHeader(bytes: Uint8Array, split: boolean): HeaderResult {
  const size = bytes.length;
  if (size > BTF_MAX_SIZE) return fail(`BTF is ${size} bytes, more than the kernel's limit of ${BTF_MAX_SIZE}`);
  if (size < 8) return fail("hdr_len not found");
  const hdrLen = new DataView(bytes.buffer, bytes.byteOffset, 8).getUint32(4, true);
  if (size < hdrLen) return fail("btf_header not found", 4);
  for (let i = HEADER_SIZE; i < hdrLen; i++) {
    if (bytes[i] !== 0) return fail("Unsupported btf_header", i);
  }
  const h = readHeader(bytes, hdrLen);
  if (h.magic !== BTF_MAGIC) return fail("Invalid magic", 0);
  if (h.version !== BTF_VERSION) return fail("Unsupported version", 2);
  if (h.flags) return fail("Unsupported flags", 3);
  if (!split && size === h.hdrLen) return fail("No data");
  return checkSections(h, size);
}

/** btf_parse_str_sec: the string section ends the blob, ends with NUL, and (base BTF) starts with "". */
export function checkStringSection(bytes: Uint8Array, h: RawHeader, split: boolean): HeaderProblem | undefined {
  const start = h.hdrLen + h.strOff;
  const end = start + h.strLen;
  if (end !== bytes.length) return { reason: "String section is not at the end", offset: start };
  if (split && h.strLen === 0) return undefined;
  if (h.strLen === 0 || h.strLen - 1 > BTF_MAX_NAME_OFFSET || bytes[end - 1] !== 0) {
    return { reason: "Invalid string section", offset: start };
  }
  if (!split && bytes[start] !== 0) return { reason: "Invalid string section", offset: start };
  return undefined;
}

/** The start of btf_parse_type_sec: an aligned type section, not empty for base BTF. */
export function checkTypeSectionPlacement(h: RawHeader, split: boolean): HeaderProblem | undefined {
  if (h.typeOff & 3) return { reason: "Unaligned type_off", offset: h.hdrLen + h.typeOff };
  if (!split && h.typeLen === 0) return { reason: "No type found" };
  return undefined;
}
