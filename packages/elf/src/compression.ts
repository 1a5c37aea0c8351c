// Decompression of SHF_COMPRESSED sections (an Elf_Chdr, then a zlib or zstd stream) and of the
// legacy ".zdebug_*" sections ("ZLIB", a big-endian 64-bit size, then a zlib stream). Output size is
// bounded by the declared size, by 4 GiB, and by what the compressed bytes could possibly expand to.
import { inflateSync } from "node:zlib";
import { Decompress } from "fzstd";
import { ELFCOMPRESS, SHF, constantName } from "./constants.js";
import { ElfError, elfError } from "./errors.js";
import type { ElfSection } from "./sections.js";
import { checkZstdFrames } from "./zstd-frames.js";

/** No section of a real file decompresses to 4 GiB or more. */
export const MAX_DECOMPRESSED_SIZE = 2 ** 32 - 1;
// Deflate cannot expand beyond 1032:1; a zstd block of at most 128 KiB needs at least 4 bytes.
const MAX_RATIO = { zlib: 1032, zstd: 32768 } as const;
const RATIO_SLACK = 1024;

export interface CompressionContext {
  file: string;
  is64: boolean;
  littleEndian: boolean;
}

export function isCompressed(section: ElfSection, raw: Uint8Array): boolean {
  return (section.flags & SHF.COMPRESSED) !== 0n || isLegacyZdebug(section, raw);
}

function isLegacyZdebug(section: ElfSection, raw: Uint8Array): boolean {
  return section.name.startsWith(".zdebug") && raw.length >= 12 && raw[0] === 0x5a && raw[1] === 0x4c && raw[2] === 0x49 && raw[3] === 0x42;
}

export function decompressSection(ctx: CompressionContext, section: ElfSection, raw: Uint8Array): Uint8Array {
  const fail = (detail: string) => elfError("ELF_COMPRESSION", ctx.file, detail, section.name, 0);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let type: number;
  let declared: bigint;
  let payload: Uint8Array;
  if ((section.flags & SHF.COMPRESSED) !== 0n) {
    const headerSize = ctx.is64 ? 24 : 12;
    if (raw.length < headerSize) throw fail(`compressed section of ${raw.length} bytes is shorter than its ${headerSize}-byte compression header`);
    type = view.getUint32(0, ctx.littleEndian);
    declared = ctx.is64 ? view.getBigUint64(8, ctx.littleEndian) : BigInt(view.getUint32(4, ctx.littleEndian));
    payload = raw.subarray(headerSize);
  } else if (isLegacyZdebug(section, raw)) {
    type = ELFCOMPRESS.ZLIB;
    declared = view.getBigUint64(4, false);
    payload = raw.subarray(12);
  } else {
    throw fail("section is not compressed");
  }
  const method = type === ELFCOMPRESS.ZLIB ? "zlib" : type === ELFCOMPRESS.ZSTD ? "zstd" : undefined;
  if (!method) throw fail(`unknown compression type ${constantName("ELFCOMPRESS", ELFCOMPRESS, type)}`);
  if (declared > BigInt(MAX_DECOMPRESSED_SIZE)) throw fail(`declared decompressed size ${declared} is absurd (over 4 GiB)`);
  const size = Number(declared);
  const possible = payload.length * MAX_RATIO[method] + RATIO_SLACK;
  if (size > possible) throw fail(`declared decompressed size ${size} is more than ${payload.length} bytes of ${method} data can hold`);

  const out = method === "zlib" ? inflate(payload, size, fail) : unzstd(payload, size, fail);
  if (out.length !== size) throw fail(`${method} data decompressed to ${out.length} bytes, the header declares ${size}`);
  return out;
}

function inflate(payload: Uint8Array, size: number, fail: (d: string) => Error): Uint8Array {
  try {
    // One byte of headroom so that "more than declared" is seen as such rather than as truncation.
    const buf = inflateSync(payload, { maxOutputLength: size + 1 });
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
  } catch (e) {
    throw fail(`zlib data cannot be decompressed: ${(e as Error).message}`);
  }
}

function unzstd(payload: Uint8Array, size: number, fail: (d: string) => Error): Uint8Array {
  const frames = checkZstdFrames(payload, size);
  if ("problem" in frames) throw fail(frames.problem);
  if (size > frames.maxOutput) throw fail(`declared decompressed size ${size} is more than the zstd frames can hold (${frames.maxOutput})`);
  const out = new Uint8Array(size);
  let filled = 0;
  const decoder = new Decompress((chunk) => {
    if (filled + chunk.length > size) throw fail(`zstd data decompresses to more than the declared ${size} bytes`);
    out.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    decoder.push(payload, true);
  } catch (e) {
    if (e instanceof ElfError) throw e;
    throw fail(`zstd data cannot be decompressed: ${(e as Error).message}`);
  }
  return filled === size ? out : out.subarray(0, filled);
}
