// struct btf_header: reading it (either byte order, 24 or 32 bytes) and writing it back as it was.

import { BTF_HEADER_SIZE, BTF_HEADER_SIZE_WITH_LAYOUT, BTF_KIND_LAYOUT_SIZE, BTF_MAGIC, BTF_VERSION } from "./constants.js";
import { BtfError } from "./errors.js";

export type ByteOrder = "little" | "big";

export const HOST_ORDER: ByteOrder = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? "little" : "big";

/**
 * Where a blob keeps its sections. A parsed table keeps its input's header so writing it back
 * unchanged reproduces the input byte for byte (hdr_len, section order, gaps, byte order).
 */
export interface BtfHeader {
  byteOrder: ByteOrder;
  version: number;
  flags: number;
  /** Header length: 24, or 32 with the layout fields; bytes past the known ones are zero. */
  hdrLen: number;
  /** Section offsets and lengths, relative to the end of the header. */
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
  /** The kind layout section (hdr_len >= 32, Linux 7.1); a length of 0 means there is none. */
  layoutOff: number;
  layoutLen: number;
}

type HeaderErrorCode = "BTF_TRUNCATED" | "BTF_BAD_MAGIC" | "BTF_BAD_VERSION" | "BTF_BAD_HEADER" | "BTF_BAD_LAYOUT";

/** Read and bounds-check the header of a BTF blob. */
export function readHeader(bytes: Uint8Array, file?: string): BtfHeader {
  const fail = (code: HeaderErrorCode, msg: string, offset: number): never => {
    throw new BtfError(code, msg, { file, offset });
  };
  if (bytes.length < 8) fail("BTF_TRUNCATED", `${bytes.length} bytes are too few for a BTF header`, 0);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magicLE = view.getUint16(0, true);
  let little: boolean;
  if (magicLE === BTF_MAGIC) little = true;
  else if (view.getUint16(0, false) === BTF_MAGIC) little = false;
  else return fail("BTF_BAD_MAGIC", `bad magic 0x${magicLE.toString(16).padStart(4, "0")} (expected 0xeb9f in either byte order)`, 0);
  const version = view.getUint8(2);
  const flags = view.getUint8(3);
  const hdrLen = view.getUint32(4, little);
  if (version !== BTF_VERSION) fail("BTF_BAD_VERSION", `unsupported BTF version ${version}`, 2);
  if (hdrLen < BTF_HEADER_SIZE) fail("BTF_BAD_HEADER", `hdr_len ${hdrLen} is smaller than the ${BTF_HEADER_SIZE}-byte header`, 4);
  if (hdrLen > bytes.length) fail("BTF_TRUNCATED", `hdr_len ${hdrLen} runs past the end of the ${bytes.length}-byte blob`, 4);
  // Past the fields this reader knows, a header must be zero: a field it cannot read could
  // change the meaning of the rest. A partial layout field (24 < hdr_len < 32) means nothing.
  const withLayout = hdrLen >= BTF_HEADER_SIZE_WITH_LAYOUT;
  for (let i = withLayout ? BTF_HEADER_SIZE_WITH_LAYOUT : BTF_HEADER_SIZE; i < hdrLen; i++) {
    if (bytes[i] !== 0) fail("BTF_BAD_HEADER", `non-zero byte in the extended header (hdr_len ${hdrLen})`, i);
  }
  const header: BtfHeader = {
    byteOrder: little ? "little" : "big",
    version,
    flags,
    hdrLen,
    typeOff: view.getUint32(8, little),
    typeLen: view.getUint32(12, little),
    strOff: view.getUint32(16, little),
    strLen: view.getUint32(20, little),
    layoutOff: withLayout ? view.getUint32(24, little) : 0,
    layoutLen: withLayout ? view.getUint32(28, little) : 0,
  };
  checkSectionPlacement(header, bytes.length - hdrLen, fail);
  return header;
}

interface Section {
  name: string;
  off: number;
  len: number;
  field: number;
}

/** Every section inside the blob, none overlapping another; the layout section whole entries, aligned. */
function checkSectionPlacement(h: BtfHeader, body: number, fail: (code: HeaderErrorCode, msg: string, offset: number) => never): void {
  const sections: Section[] = [
    { name: "type", off: h.typeOff, len: h.typeLen, field: 8 },
    { name: "string", off: h.strOff, len: h.strLen, field: 16 },
  ];
  if (h.layoutLen > 0) {
    if (h.layoutLen % BTF_KIND_LAYOUT_SIZE) {
      fail("BTF_BAD_LAYOUT", `layout section length ${h.layoutLen} is not a multiple of the ${BTF_KIND_LAYOUT_SIZE}-byte struct btf_layout`, 28);
    }
    if (h.layoutOff % 4) fail("BTF_BAD_LAYOUT", `layout section offset ${h.layoutOff} is not 4-byte aligned`, 24);
    sections.push({ name: "layout", off: h.layoutOff, len: h.layoutLen, field: 24 });
  }
  for (const s of sections) {
    if (s.off + s.len > body) fail("BTF_TRUNCATED", `${s.name} section [${s.off}, +${s.len}) runs past the ${body} bytes after the header`, s.field);
  }
  for (let i = 0; i < sections.length; i++) {
    for (let j = i + 1; j < sections.length; j++) {
      const a = sections[i]!;
      const b = sections[j]!;
      if (a.len > 0 && b.len > 0 && a.off < b.off + b.len && b.off < a.off + a.len) {
        fail("BTF_BAD_HEADER", `the ${a.name} and ${b.name} sections overlap`, b.field);
      }
    }
  }
}

/** Write the header into the first hdrLen bytes of `out` (extra bytes stay zero). */
export function writeHeader(out: Uint8Array, header: BtfHeader): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const little = header.byteOrder === "little";
  view.setUint16(0, BTF_MAGIC, little);
  view.setUint8(2, header.version);
  view.setUint8(3, header.flags);
  view.setUint32(4, header.hdrLen, little);
  view.setUint32(8, header.typeOff, little);
  view.setUint32(12, header.typeLen, little);
  view.setUint32(16, header.strOff, little);
  view.setUint32(20, header.strLen, little);
  if (header.hdrLen >= BTF_HEADER_SIZE_WITH_LAYOUT) {
    view.setUint32(24, header.layoutOff, little);
    view.setUint32(28, header.layoutLen, little);
  }
}

/** Reverse the bytes of every 32-bit word in place. */
export function swapWords(words: Uint32Array): void {
  for (let i = 0; i < words.length; i++) {
    const v = words[i]!;
    words[i] = ((v & 0xff) << 24 | (v & 0xff00) << 8 | (v >>> 8) & 0xff00 | v >>> 24) >>> 0;
  }
}
