// BTF written for a big-endian target (s390x, ...) follows the same rules; only the kernel of
// such a machine can load it. With `anyByteOrder`, the validator checks a little-endian copy.
// Every multi-byte field of BTF is a u32 word (the header's, the types'), but for the u16 magic
// and the u16 flags of each kind layout entry.

/** A little-endian copy of big-endian BTF, or undefined when its header cannot place its sections. */
export function bigEndianToLittle(bytes: Uint8Array): Uint8Array | undefined {
  if (bytes.length < 24) return undefined;
  const src = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const hdrLen = src.getUint32(4, false);
  const typeOff = src.getUint32(8, false);
  const typeLen = src.getUint32(12, false);
  const start = hdrLen + typeOff;
  if (hdrLen < 24 || hdrLen > bytes.length || start + typeLen > bytes.length) return undefined;
  const out = bytes.slice();
  const dst = new DataView(out.buffer);
  dst.setUint16(0, src.getUint16(0, false), true);
  const headerWords = Math.min(hdrLen, 32) & ~3;
  for (let off = 4; off < headerWords; off += 4) dst.setUint32(off, src.getUint32(off, false), true);
  const end = start + (typeLen & ~3);
  for (let off = start; off < end; off += 4) dst.setUint32(off, src.getUint32(off, false), true);
  if (hdrLen >= 32) {
    const layoutStart = hdrLen + src.getUint32(24, false);
    const layoutEnd = Math.min(layoutStart + src.getUint32(28, false), bytes.length);
    for (let off = layoutStart; off + 4 <= layoutEnd; off += 4) dst.setUint16(off + 2, src.getUint16(off + 2, false), true);
  }
  return out;
}
