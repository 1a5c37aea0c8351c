// A split BTF (a module's, on top of vmlinux) merged with its base into one standalone blob. The
// kernel cannot load user split BTF, so `validate --kernel` loads this instead: the split part's
// type ids and string offsets already continue the base's, so the merged sections are the base's
// followed by the split's, byte for byte, under one header (with the base's kind layout section, if any).
import { BTF_HEADER_SIZE, BTF_HEADER_SIZE_WITH_LAYOUT } from "./constants.js";
import { BtfError } from "./errors.js";
import { readHeader, writeHeader } from "./header.js";

export function mergeSplitBtf(base: Uint8Array, split: Uint8Array, names: { base?: string; split?: string } = {}): Uint8Array {
  const b = readHeader(base, names.base);
  const s = readHeader(split, names.split);
  if (b.byteOrder !== s.byteOrder) {
    throw new BtfError("BTF_BAD_ARGUMENT", `the split BTF is ${s.byteOrder}-endian, its base ${b.byteOrder}-endian`, { file: names.split });
  }
  const section = (bytes: Uint8Array, hdrLen: number, off: number, len: number) => bytes.subarray(hdrLen + off, hdrLen + off + len);
  const baseTypes = section(base, b.hdrLen, b.typeOff, b.typeLen);
  const splitTypes = section(split, s.hdrLen, s.typeOff, s.typeLen);
  const baseStrings = section(base, b.hdrLen, b.strOff, b.strLen);
  const splitStrings = section(split, s.hdrLen, s.strOff, s.strLen);
  // The base's kind layout section, when it has one, describes the merged types too (split BTF shares it).
  const layout = section(base, b.hdrLen, b.layoutOff, b.layoutLen);
  const hdrLen = layout.length > 0 ? BTF_HEADER_SIZE_WITH_LAYOUT : BTF_HEADER_SIZE;
  const typeLen = baseTypes.length + splitTypes.length;
  const strLen = baseStrings.length + splitStrings.length;
  const out = new Uint8Array(hdrLen + typeLen + layout.length + strLen);
  writeHeader(out, {
    byteOrder: b.byteOrder,
    version: b.version,
    flags: b.flags,
    hdrLen,
    typeOff: 0,
    typeLen,
    layoutOff: typeLen,
    layoutLen: layout.length,
    strOff: typeLen + layout.length,
    strLen,
  });
  let at = hdrLen;
  for (const part of [baseTypes, splitTypes, layout, baseStrings, splitStrings]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
