// struct btf_header: reading it (either byte order) and writing it back in the same layout.

import { BTF_HEADER_SIZE, BTF_MAGIC, BTF_VERSION } from "./constants.js";
import { BtfError } from "./errors.js";

export type ByteOrder = "little" | "big";

export const HOST_ORDER: ByteOrder = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? "little" : "big";

/**
 * Where a blob keeps its sections. A parsed table keeps its input's layout so writing it back
 * unchanged reproduces the input byte for byte (hdr_len, section order, gaps, byte order).
 */
export interface BtfLayout {
  byteOrder: ByteOrder;
  version: number;
  flags: number;
  /** Header length; bytes past the 24 known ones are zero. */
  hdrLen: number;
  /** Section offsets and lengths, relative to the end of the header. */
  typeOff: number;
  typeLen: number;
  strOff: number;
  strLen: number;
}

/** Read and bounds-check the header of a BTF blob. */
export function readHeader(bytes: Uint8Array, file?: string): BtfLayout {
  const fail = (code: "BTF_TRUNCATED" | "BTF_BAD_MAGIC" | "BTF_BAD_VERSION" | "BTF_BAD_HEADER", msg: string, offset: number) => {
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
  for (let i = BTF_HEADER_SIZE; i < hdrLen; i++) {
    if (bytes[i] !== 0) fail("BTF_BAD_HEADER", `non-zero byte in the extended header (hdr_len ${hdrLen})`, i);
  }
  const layout: BtfLayout = {
    byteOrder: little ? "little" : "big",
    version,
    flags,
    hdrLen,
    typeOff: view.getUint32(8, little),
    typeLen: view.getUint32(12, little),
    strOff: view.getUint32(16, little),
    strLen: view.getUint32(20, little),
  };
  const body = bytes.length - hdrLen;
  if (layout.typeOff + layout.typeLen > body) {
    fail("BTF_TRUNCATED", `type section [${layout.typeOff}, +${layout.typeLen}) runs past the ${body} bytes after the header`, 8);
  }
  if (layout.strOff + layout.strLen > body) {
    fail("BTF_TRUNCATED", `string section [${layout.strOff}, +${layout.strLen}) runs past the ${body} bytes after the header`, 16);
  }
  const overlap = layout.typeLen > 0 && layout.strLen > 0 &&
    layout.typeOff < layout.strOff + layout.strLen && layout.strOff < layout.typeOff + layout.typeLen;
  if (overlap) fail("BTF_BAD_HEADER", "the type and string sections overlap", 8);
  return layout;
}

/** Write the header for `layout` into the first hdrLen bytes of `out` (extra bytes stay zero). */
export function writeHeader(out: Uint8Array, layout: BtfLayout): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const little = layout.byteOrder === "little";
  view.setUint16(0, BTF_MAGIC, little);
  view.setUint8(2, layout.version);
  view.setUint8(3, layout.flags);
  view.setUint32(4, layout.hdrLen, little);
  view.setUint32(8, layout.typeOff, little);
  view.setUint32(12, layout.typeLen, little);
  view.setUint32(16, layout.strOff, little);
  view.setUint32(20, layout.strLen, little);
}

/** Reverse the bytes of every 32-bit word in place. */
export function swapWords(words: Uint32Array): void {
  for (let i = 0; i < words.length; i++) {
    const v = words[i]!;
    words[i] = ((v & 0xff) << 24 | (v & 0xff00) << 8 | (v >>> 8) & 0xff00 | v >>> 24) >>> 0;
  }
}
