// BtfTable → raw BTF. A parsed table is written in its input's layout (hdr_len, section order
// and gaps, byte order) so an unmodified table comes out byte-identical; a built table gets
// the usual layout: 24-byte header, types, then strings, host byte order unless asked. A table
// with a kind layout section gets the 32-byte header and libbpf's order: types, layout, strings.
// A split table writes only its own part (types from firstId, strings after the base's).

import { BTF_HEADER_SIZE, BTF_HEADER_SIZE_WITH_LAYOUT, BTF_KIND_LAYOUT_SIZE, BTF_VERSION } from "./constants.js";
import { HOST_ORDER, swapWords, writeHeader, type BtfHeader, type ByteOrder } from "./header.js";
import { writeKindLayouts } from "./kind-layout.js";
import type { BtfTypeStore } from "./store.js";

export interface WriteBtfOptions {
  endianness?: ByteOrder;
}

export function writeBtf(table: BtfTypeStore, options: WriteBtfOptions = {}): Uint8Array {
  const strBytes = table.strings.bytes();
  const layouts = table.kindLayouts;
  const header = planHeader(table.header, table.typeSectionSize, layouts ? layouts.length * BTF_KIND_LAYOUT_SIZE : 0, strBytes.length);
  if (options.endianness) header.byteOrder = options.endianness;

  const ends = [header.typeOff + header.typeLen, header.strOff + header.strLen, header.layoutOff + header.layoutLen];
  const out = new Uint8Array(header.hdrLen + Math.max(...ends));
  writeHeader(out, header);
  const types = typeSectionWords(table);
  if (header.byteOrder !== HOST_ORDER) swapWords(types);
  out.set(new Uint8Array(types.buffer, types.byteOffset, types.byteLength), header.hdrLen + header.typeOff);
  if (layouts) writeKindLayouts(out, header.hdrLen + header.layoutOff, layouts, header.byteOrder === "little");
  out.set(strBytes, header.hdrLen + header.strOff);
  return out;
}

/** Keep the input's offsets while sizes match; otherwise lay the sections out again. */
function planHeader(original: BtfHeader | undefined, typeLen: number, layoutLen: number, strLen: number): BtfHeader {
  if (original && original.typeLen === typeLen && original.strLen === strLen && original.layoutLen === layoutLen) {
    return { ...original };
  }
  const header: BtfHeader = original
    ? { ...original, typeLen, strLen, layoutOff: 0, layoutLen }
    : { byteOrder: HOST_ORDER, version: BTF_VERSION, flags: 0, hdrLen: BTF_HEADER_SIZE, typeOff: 0, typeLen, strOff: 0, strLen, layoutOff: 0, layoutLen };
  if (layoutLen > 0) {
    // libbpf reads the layout section only between the types and the strings.
    header.hdrLen = Math.max(header.hdrLen, BTF_HEADER_SIZE_WITH_LAYOUT);
    header.typeOff = 0;
    header.layoutOff = typeLen;
    header.strOff = typeLen + layoutLen;
  } else if (original && original.strOff < original.typeOff) {
    header.strOff = 0;
    header.typeOff = strLen;
  } else {
    header.typeOff = 0;
    header.strOff = typeLen;
  }
  return header;
}

/** The own types in wire order, host byte order. */
function typeSectionWords(table: BtfTypeStore): Uint32Array {
  const { info, nameOff, sizeOrType, wordStart, words } = table.rawColumns();
  const out = new Uint32Array(table.typeSectionSize / 4);
  let p = 0;
  for (let i = 0; i < info.length; i++) {
    out[p] = nameOff[i]!;
    out[p + 1] = info[i]!;
    out[p + 2] = sizeOrType[i]!;
    p += 3;
    const s = wordStart[i]!;
    const e = wordStart[i + 1]!;
    if (e - s === 1) out[p++] = words[s]!;
    else if (e > s) {
      out.set(words.subarray(s, e), p);
      p += e - s;
    }
  }
  return out;
}
