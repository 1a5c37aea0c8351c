// A split BTF (a module's, on top of vmlinux) merged with its base into one standalone blob. The
// kernel cannot load user split BTF, so `validate --kernel` loads this instead: the split part's
// type ids and string offsets already continue the base's, so the merged sections are the base's
// followed by the split's, byte for byte, under one header.
import { BTF_HEADER_SIZE } from "./constants.js";
import { BtfError } from "./errors.js";
import { readHeader } from "./header.js";

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
  const typeLen = baseTypes.length + splitTypes.length;
  const strLen = baseStrings.length + splitStrings.length;
  const out = new Uint8Array(BTF_HEADER_SIZE + typeLen + strLen);
  const view = new DataView(out.buffer);
  const le = b.byteOrder === "little";
  view.setUint16(0, 0xeb9f, le);
  view.setUint8(2, b.version);
  view.setUint8(3, b.flags);
  view.setUint32(4, BTF_HEADER_SIZE, le);
  view.setUint32(8, 0, le);
  view.setUint32(12, typeLen, le);
  view.setUint32(16, typeLen, le);
  view.setUint32(20, strLen, le);
  let at = BTF_HEADER_SIZE;
  for (const part of [baseTypes, splitTypes, baseStrings, splitStrings]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
