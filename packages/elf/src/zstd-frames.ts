// Walks the frames of a zstd stream without decoding them, to check the sizes the frame headers
// declare before the decoder allocates a window for them. The decoder (fzstd) would otherwise
// allocate whatever window size a frame header claims, up to 2 GiB, from a few bytes of input.

const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;

/** Largest window a frame may ask for, given the decompressed size the section header declares. */
function maxWindowFor(declaredSize: number): number {
  // A compressor that knows the input size uses a window below twice that size; one that streams
  // uses its level's window, at most 128 MiB for every standard level.
  return Math.max(2 * declaredSize, 128 << 20);
}

const MAX_BLOCK_SIZE = 128 << 10;

/**
 * Either what is wrong with the frames, or the most bytes they can decompress to: the frame's
 * content size when its header gives one, else the sum of its blocks' largest possible sizes.
 */
export function checkZstdFrames(data: Uint8Array, declaredSize: number): { problem: string } | { maxOutput: number } {
  const bad = (problem: string) => ({ problem });
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const maxWindow = maxWindowFor(declaredSize);
  let pos = 0;
  let declaredTotal = 0;
  let maxOutput = 0;
  while (pos < data.length) {
    if (pos + 4 > data.length) return bad(`truncated zstd frame at ${pos}`);
    const magic = view.getUint32(pos, true);
    if (((magic & SKIPPABLE_MASK) >>> 0) === SKIPPABLE_MAGIC) {
      if (pos + 8 > data.length) return bad(`truncated skippable zstd frame at ${pos}`);
      pos += 8 + view.getUint32(pos + 4, true);
      continue;
    }
    if (magic !== ZSTD_MAGIC) return bad(`bad zstd frame magic 0x${magic.toString(16)} at ${pos}`);
    if (pos + 5 > data.length) return bad(`truncated zstd frame header at ${pos}`);
    const descriptor = data[pos + 4]!;
    const contentSizeFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    const hasChecksum = (descriptor >> 2) & 1;
    let p = pos + 5;
    let window = 0;
    if (!singleSegment) {
      if (p >= data.length) return bad(`truncated zstd frame header at ${pos}`);
      const wd = data[p++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    p += [0, 1, 2, 4][descriptor & 3]!;
    const sizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][contentSizeFlag]!;
    if (p + sizeBytes > data.length) return bad(`truncated zstd frame header at ${pos}`);
    let contentSize = 0;
    for (let i = sizeBytes - 1; i >= 0; i--) contentSize = contentSize * 256 + data[p + i]!;
    if (sizeBytes === 2) contentSize += 256;
    p += sizeBytes;
    if (singleSegment) window = contentSize;
    if (window > maxWindow) return bad(`zstd frame at ${pos} asks for a ${window}-byte window, more than ${maxWindow} for ${declaredSize} bytes of output`);
    declaredTotal += contentSize;
    if (declaredTotal > declaredSize) return bad(`zstd frames declare more than the ${declaredSize} bytes the section header declares`);
    let blocksOutput = 0;
    for (let last = 0; !last; ) {
      if (p + 3 > data.length) return bad(`truncated zstd block at ${p}`);
      const header = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
      last = header & 1;
      const type = (header >> 1) & 3;
      if (type === 3) return bad(`reserved zstd block type at ${p}`);
      blocksOutput += type === 0 ? header >>> 3 : MAX_BLOCK_SIZE;
      p += 3 + (type === 1 ? 1 : header >>> 3);
    }
    if (hasChecksum) p += 4;
    if (p > data.length) return bad(`truncated zstd frame at ${pos}`);
    maxOutput += contentSizeFlag || singleSegment ? contentSize : blocksOutput;
    pos = p;
  }
  return { maxOutput };
}
