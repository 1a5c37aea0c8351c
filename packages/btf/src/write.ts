// BtfTable → raw BTF. A parsed table is written in its input's layout (hdr_len, section order
// and gaps, byte order) so an unmodified table comes out byte-identical; a built table gets
// the usual layout: 24-byte header, types, then strings, host byte order unless asked.
// A split table writes only its own part (types from firstId, strings after the base's).

import { BTF_HEADER_SIZE, BTF_VERSION } from "./constants.js";
import { HOST_ORDER, swapWords, writeHeader, type BtfLayout, type ByteOrder } from "./header.js";
import type { BtfTypeStore } from "./store.js";

export interface WriteBtfOptions {
  endianness?: ByteOrder;
}

export function writeBtf(table: BtfTypeStore, options: WriteBtfOptions = {}): Uint8Array {
  const strBytes = table.strings.bytes();
  const layout = planLayout(table.layout, table.typeSectionSize, strBytes.length);
  if (options.endianness) layout.byteOrder = options.endianness;

  const total = layout.hdrLen + Math.max(layout.typeOff + layout.typeLen, layout.strOff + layout.strLen);
  const out = new Uint8Array(total);
  writeHeader(out, layout);
  const types = typeSectionWords(table);
  if (layout.byteOrder !== HOST_ORDER) swapWords(types);
  out.set(new Uint8Array(types.buffer, types.byteOffset, types.byteLength), layout.hdrLen + layout.typeOff);
  out.set(strBytes, layout.hdrLen + layout.strOff);
  return out;
}

/** Keep the input's offsets while sizes match; otherwise lay the sections out again, keeping their order. */
function planLayout(original: BtfLayout | undefined, typeLen: number, strLen: number): BtfLayout {
  if (!original) {
    return { byteOrder: HOST_ORDER, version: BTF_VERSION, flags: 0, hdrLen: BTF_HEADER_SIZE, typeOff: 0, typeLen, strOff: typeLen, strLen };
  }
  const layout = { ...original };
  if (layout.typeLen === typeLen && layout.strLen === strLen) return layout;
  layout.typeLen = typeLen;
  layout.strLen = strLen;
  if (original.strOff < original.typeOff) {
    layout.strOff = 0;
    layout.typeOff = strLen;
  } else {
    layout.typeOff = 0;
    layout.strOff = typeLen;
  }
  return layout;
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
