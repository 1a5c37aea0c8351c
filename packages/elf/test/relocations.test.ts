// Relocations of debug sections in hand-built relocatable objects: the values written for each
// supported type, REL implicit addends, big-endian targets, compressed targets, and the errors.
import { deflateSync } from "node:zlib";
import { describe, expect, test } from "vitest";
import { EM, ET, ElfError, ElfFile, R_386, R_AARCH64, R_X86_64, SHF, SHT, STT, type ElfSection } from "@btforge/elf";
import { buildElf, relocationBytes, type BuildRelocation, type BuildSymbol } from "./elf-builder.js";

interface Case {
  is64?: boolean;
  littleEndian?: boolean;
  machine?: number;
  type?: number;
  info: Uint8Array;
  /** RELA when true, REL when false. */
  rela?: boolean;
  relocs: BuildRelocation[];
  symbols?: BuildSymbol[];
  compressInfo?: boolean;
  addr?: bigint;
}

// Section 1 is .text (0x40 bytes), section 2 .debug_str, 3 .debug_info, 4 its relocations.
const defaultSymbols: BuildSymbol[] = [
  { name: "", type: STT.SECTION, section: 1 },
  { name: "", type: STT.SECTION, section: 2 },
  { name: "var", type: STT.OBJECT, value: 0x1234_5678_9abcn, section: 1 },
  { name: "undef", section: 0 },
];

function build(c: Case): ElfFile {
  const is64 = c.is64 ?? true;
  const le = c.littleEndian ?? true;
  const rela = c.rela ?? true;
  let info = c.info;
  if (c.compressInfo) {
    const header = new Uint8Array(24);
    const v = new DataView(header.buffer);
    v.setUint32(0, 1, le);
    v.setBigUint64(8, BigInt(info.length), le);
    info = new Uint8Array(Buffer.concat([header, deflateSync(info)]));
  }
  const bytes = buildElf({
    is64,
    littleEndian: le,
    type: c.type ?? ET.REL,
    machine: c.machine ?? EM.X86_64,
    sections: [
      { name: ".text", type: SHT.PROGBITS, data: new Uint8Array(0x40) },
      { name: ".debug_str", type: SHT.PROGBITS, data: new Uint8Array(0x20) },
      { name: ".debug_info", type: SHT.PROGBITS, data: info, flags: c.compressInfo ? SHF.COMPRESSED : 0n, addr: c.addr },
      {
        name: rela ? ".rela.debug_info" : ".rel.debug_info",
        type: rela ? SHT.RELA : SHT.REL,
        data: relocationBytes(is64, le, rela, c.relocs),
        link: ".symtab",
        info: ".debug_info",
        entsize: is64 ? (rela ? 24 : 16) : rela ? 12 : 8,
        flags: SHF.INFO_LINK,
      },
    ],
    symbols: c.symbols ?? defaultSymbols,
  });
  return ElfFile.fromBytes(bytes, "rel.o");
}

const hex = (b: Uint8Array | undefined) => Buffer.from(b!).toString("hex");

describe("x86-64 RELA", () => {
  test("R_X86_64_32 and R_X86_64_64 against section and ordinary symbols", () => {
    const elf = build({
      info: new Uint8Array(32).fill(0xee),
      relocs: [
        { offset: 0, symbol: 2, type: R_X86_64["32"], addend: 0x11n }, // .debug_str section symbol + 0x11
        { offset: 4, symbol: 3, type: R_X86_64["64"], addend: 8n }, // var + 8
        { offset: 12, symbol: 1, type: R_X86_64["64"], addend: 0x20n }, // .text + 0x20
        { offset: 20, symbol: 4, type: R_X86_64["32"], addend: 5n }, // undefined: S = 0
        { offset: 24, symbol: 0, type: R_X86_64.NONE },
      ],
    });
    expect(hex(elf.readDebugSection(".debug_info"))).toBe(
      "11000000" + "c49a785634120000" + "2000000000000000" + "05000000" + "eeeeeeeeeeeeeeee",
    );
    // The stored bytes are untouched: only readDebugSection relocates.
    expect(hex(elf.readSection(".debug_info"))).toBe("ee".repeat(32));
  });

  test("R_X86_64_32S, _16, _8, PC32 and DTPOFF32/64 write their widths with S + A (- P)", () => {
    const elf = build({
      info: new Uint8Array(32),
      relocs: [
        { offset: 0, symbol: 3, type: R_X86_64["32S"], addend: -0x1234_0000_0000n }, // low 32 bits of 0x5678_9abc
        { offset: 4, symbol: 2, type: R_X86_64["16"], addend: 0xbeefn },
        { offset: 6, symbol: 2, type: R_X86_64["8"], addend: 0x7fn },
        { offset: 8, symbol: 2, type: R_X86_64.PC32, addend: 0x100n }, // 0 + 0x100 - 8
        { offset: 12, symbol: 3, type: R_X86_64.DTPOFF32, addend: 0n },
        { offset: 16, symbol: 3, type: R_X86_64.DTPOFF64, addend: 1n },
      ],
    });
    expect(hex(elf.readDebugSection(".debug_info"))).toBe("bc9a7856" + "efbe" + "7f" + "00" + "f8000000" + "bc9a7856" + "bd9a785634120000" + "00".repeat(8));
  });

  test("cached: the same bytes for every call", () => {
    const elf = build({ info: new Uint8Array(8), relocs: [{ offset: 0, symbol: 2, type: R_X86_64["64"], addend: 3n }] });
    expect(elf.readDebugSection(".debug_info")).toBe(elf.readDebugSection(".debug_info"));
    expect(elf.readDebugSection(elf.findSection(".debug_info") as ElfSection)).toBe(elf.readDebugSection(".debug_info"));
  });

  test("relocations apply to the decompressed bytes of a compressed section", () => {
    const elf = build({ info: new Uint8Array(16).fill(1), compressInfo: true, relocs: [{ offset: 8, symbol: 3, type: R_X86_64["64"], addend: 0n }] });
    expect(hex(elf.readDebugSection(".debug_info"))).toBe("0101010101010101" + "bc9a785634120000");
  });

  test("executables and shared objects are never relocated", () => {
    for (const type of [ET.EXEC, ET.DYN]) {
      const elf = build({ type, info: new Uint8Array(8), relocs: [{ offset: 0, symbol: 2, type: R_X86_64["64"], addend: 3n }] });
      expect(hex(elf.readDebugSection(".debug_info"))).toBe("00".repeat(8));
    }
  });
});

test("i386 REL: R_386_32 adds the implicit addend found in place", () => {
  const info = new Uint8Array([0x10, 0, 0, 0, 0x20, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
  const elf = build({
    is64: false,
    machine: EM.I386,
    rela: false,
    info,
    relocs: [
      { offset: 0, symbol: 3, type: R_386["32"] }, // var (0x5678_9abc in ELF32) + 0x10
      { offset: 4, symbol: 2, type: R_386["32"] }, // .debug_str + 0x20
      { offset: 8, symbol: 2, type: R_386.TLS_LDO_32 }, // wraps modulo 2^32
    ],
    symbols: [...defaultSymbols.slice(0, 2), { name: "var", value: 0x5678_9abcn, section: 1 }],
  });
  expect(hex(elf.readDebugSection(".debug_info"))).toBe("cc9a7856" + "20000000" + "ffffffff");
});

test("aarch64 big-endian RELA: R_AARCH64_ABS64 and ABS32", () => {
  const elf = build({
    littleEndian: false,
    machine: EM.AARCH64,
    info: new Uint8Array(12),
    relocs: [
      { offset: 0, symbol: 3, type: R_AARCH64.ABS64, addend: 4n },
      { offset: 8, symbol: 2, type: R_AARCH64.ABS32, addend: 0x0102n },
    ],
  });
  expect(hex(elf.readDebugSection(".debug_info"))).toBe("0000123456789ac0" + "00000102");
});

describe("relocation errors", () => {
  const expectError = (run: () => unknown, code: string, message: RegExp) => {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(ElfError);
      expect((e as ElfError).code).toBe(code);
      expect((e as ElfError).message).toMatch(message);
      return e as ElfError;
    }
    throw new Error("expected an ElfError");
  };

  test("unknown type names the file, section, offset and type number", () => {
    const elf = build({ info: new Uint8Array(16), relocs: [{ offset: 12, symbol: 2, type: 42 }] });
    const err = expectError(() => elf.readDebugSection(".debug_info"), "ELF_UNKNOWN_RELOCATION", /^rel\.o: section \.debug_info\+0xc: unknown relocation type 42 for EM_X86_64/);
    expect(err.location).toEqual({ file: "rel.o", section: ".debug_info", offset: 12 });
  });

  test("a machine without relocation support", () => {
    const elf = build({ machine: EM.SPARC, info: new Uint8Array(16), relocs: [{ offset: 0, symbol: 2, type: 1 }] });
    expectError(() => elf.readDebugSection(".debug_info"), "ELF_UNKNOWN_RELOCATION", /unknown relocation type 1 for EM_SPARC/);
  });

  test("offset past the end, symbol past the table", () => {
    const past = build({ info: new Uint8Array(16), relocs: [{ offset: 12, symbol: 2, type: R_X86_64["64"] }] });
    expectError(() => past.readDebugSection(".debug_info"), "ELF_RELOCATION", /\.debug_info\+0xc: relocation .* writes past the end of the section/);
    const sym = build({ info: new Uint8Array(16), relocs: [{ offset: 0, symbol: 99, type: R_X86_64["64"] }] });
    expectError(() => sym.readDebugSection(".debug_info"), "ELF_RELOCATION", /\.rela\.debug_info\+0x0: relocation names symbol 99, the symbol table has 5/);
  });
});
