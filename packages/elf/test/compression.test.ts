// SHF_COMPRESSED sections (zlib and zstd, ELF32 and ELF64, both byte orders), legacy .zdebug, and
// the bounds that keep a lying compression header from causing a huge allocation.
import { spawnSync } from "node:child_process";
import { deflateSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import { ELFCOMPRESS, ElfError, ElfFile, SHF, SHT } from "@btforge/elf";
import { buildElf } from "./elf-builder.js";

const payload = new Uint8Array(Buffer.from("DWARF bytes ".repeat(500)));

function chdr(is64: boolean, le: boolean, type: number, size: bigint, align = 1n): Uint8Array {
  const b = new Uint8Array(is64 ? 24 : 12);
  const v = new DataView(b.buffer);
  v.setUint32(0, type, le);
  if (is64) {
    v.setBigUint64(8, size, le);
    v.setBigUint64(16, align, le);
  } else {
    v.setUint32(4, Number(size), le);
    v.setUint32(8, Number(align), le);
  }
  return b;
}

const concat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts));

/** `withSize`: the frame header states the content size (as binutils writes it); else it is left out. */
function zstdCompress(data: Uint8Array, withSize = true): Uint8Array | undefined {
  const r = spawnSync("zstd", ["-q", "-c", "-19", ...(withSize ? [`--stream-size=${data.length}`] : [])], { input: data });
  return r.status === 0 ? new Uint8Array(r.stdout) : undefined;
}

function elfWith(is64: boolean, le: boolean, name: string, data: Uint8Array, compressed = true): ElfFile {
  const bytes = buildElf({ is64, littleEndian: le, sections: [{ name, type: SHT.PROGBITS, flags: compressed ? SHF.COMPRESSED : 0n, data }] });
  return ElfFile.fromBytes(bytes, "c.o");
}

function expectCompressionError(run: () => unknown, message: RegExp) {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    expect((e as ElfError).code).toBe("ELF_COMPRESSION");
    expect((e as ElfError).location.section).toBe(".debug_info");
    expect((e as ElfError).message).toMatch(message);
    return;
  }
  throw new Error("expected an ElfError");
}

const zstdMissing = skipBecause(toolMissing("zstd"), "zstd round trips");

describe.each([
  [true, true],
  [true, false],
  [false, true],
  [false, false],
])("ELF64=%s little-endian=%s", (is64, le) => {
  test("zlib", () => {
    const elf = elfWith(is64, le, ".debug_info", concat(chdr(is64, le, ELFCOMPRESS.ZLIB, BigInt(payload.length)), deflateSync(payload)));
    expect(elf.readSection(".debug_info")).toEqual(payload);
    expect(elf.readSectionRaw(elf.findSection(".debug_info")!).length).toBeLessThan(payload.length);
  });

  test.skipIf(zstdMissing)("zstd, with and without the content size in the frame", () => {
    for (const withSize of [true, false]) {
      const elf = elfWith(is64, le, ".debug_info", concat(chdr(is64, le, ELFCOMPRESS.ZSTD, BigInt(payload.length)), zstdCompress(payload, withSize)!));
      expect(elf.readSection(".debug_info")).toEqual(payload);
    }
    // Two frames back to back decode to the two inputs concatenated.
    const half = payload.length / 2;
    const frames = concat(zstdCompress(payload.subarray(0, half))!, zstdCompress(payload.subarray(half), false)!);
    const twoFrames = elfWith(is64, le, ".debug_info", concat(chdr(is64, le, ELFCOMPRESS.ZSTD, BigInt(payload.length)), frames));
    expect(twoFrames.readSection(".debug_info")).toEqual(payload);
  });
});

test("legacy .zdebug sections are found under their .debug name", () => {
  const size = new Uint8Array(8);
  new DataView(size.buffer).setBigUint64(0, BigInt(payload.length), false);
  const elf = elfWith(true, true, ".zdebug_info", concat(new Uint8Array(Buffer.from("ZLIB")), size, deflateSync(payload)), false);
  expect(elf.readSection(".debug_info")).toEqual(payload);
  expect(elf.readDebugSection(".debug_info")).toEqual(payload);
});

describe("bad compressed sections", () => {
  test("declared size differs from the real one", () => {
    const elf = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZLIB, BigInt(payload.length - 1)), deflateSync(payload)));
    expectCompressionError(() => elf.readSection(".debug_info"), /c\.o: section \.debug_info\+0x0: zlib data decompressed to \d+ bytes, the header declares 5999/);
    const short = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZLIB, BigInt(payload.length + 1)), deflateSync(payload)));
    expectCompressionError(() => short.readSection(".debug_info"), /decompressed to 6000 bytes, the header declares 6001/);
  });

  test("absurd declared sizes never reach an allocation", () => {
    const huge = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZLIB, 1n << 40n), deflateSync(payload)));
    expectCompressionError(() => huge.readSection(".debug_info"), /declared decompressed size 1099511627776 is absurd/);
    const ratio = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZLIB, 1n << 30n), deflateSync(payload)));
    expectCompressionError(() => ratio.readSection(".debug_info"), /more than \d+ bytes of zlib data can hold/);
  });

  test("zstd frame asking for a huge window", () => {
    // Magic, descriptor (no single segment, no content size), window descriptor 2^(10+21) = 2 GiB,
    // then one empty last raw block.
    const frame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00, 21 << 3, 0x01, 0x00, 0x00]);
    const elf = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZSTD, 100n), frame));
    expectCompressionError(() => elf.readSection(".debug_info"), /zstd frame at 0 asks for a 2147483648-byte window/);
  });

  test("zstd frames that cannot produce the declared size", () => {
    const frame = new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x00, 0x01, 0x00, 0x00]);
    const elf = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZSTD, 4096n), frame));
    expectCompressionError(() => elf.readSection(".debug_info"), /more than the zstd frames can hold \(0\)/);
  });

  test("corrupt and unknown compressed data", () => {
    const bad = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZLIB, 100n), new Uint8Array(20).fill(7)));
    expectCompressionError(() => bad.readSection(".debug_info"), /zlib data cannot be decompressed/);
    const badZstd = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZSTD, 100n), new Uint8Array(20).fill(7)));
    expectCompressionError(() => badZstd.readSection(".debug_info"), /bad zstd frame magic/);
    const unknown = elfWith(true, true, ".debug_info", concat(chdr(true, true, 9, 100n), new Uint8Array(20)));
    expectCompressionError(() => unknown.readSection(".debug_info"), /unknown compression type ELFCOMPRESS 0x9/);
    const tiny = elfWith(true, true, ".debug_info", new Uint8Array(5));
    expectCompressionError(() => tiny.readSection(".debug_info"), /shorter than its 24-byte compression header/);
  });

  test.skipIf(zstdMissing)("zstd data that decompresses to more than declared", () => {
    const elf = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZSTD, 100n), zstdCompress(payload)!));
    expectCompressionError(() => elf.readSection(".debug_info"), /zstd frames declare more than the 100 bytes/);
    // Without a content size in the frame, decoding stops as soon as the output passes the bound.
    const unsized = elfWith(true, true, ".debug_info", concat(chdr(true, true, ELFCOMPRESS.ZSTD, 100n), zstdCompress(payload, false)!));
    expectCompressionError(() => unsized.readSection(".debug_info"), /zstd data decompresses to more than the declared 100 bytes/);
  });
});
