// Header, section table and symbol table decoding on ELF bytes built by the test, for both classes
// and both byte orders, plus the errors that bad headers must give.
import { describe, expect, test } from "vitest";
import { ElfError, ElfFile, SHN, SHT, STB, STT, STV } from "@btforge/elf";
import { buildElf, type BuildOptions } from "./elf-builder.js";

const variants = [
  { is64: true, littleEndian: true },
  { is64: true, littleEndian: false },
  { is64: false, littleEndian: true },
  { is64: false, littleEndian: false },
];

function expectElfError(run: () => unknown, code: string, message: RegExp): ElfError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    const err = e as ElfError;
    expect(err.code).toBe(code);
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain("\n");
    return err;
  }
  throw new Error("expected an ElfError");
}

describe.each(variants)("ELF%#: is64=$is64 littleEndian=$littleEndian", ({ is64, littleEndian }) => {
  const base: BuildOptions = {
    is64,
    littleEndian,
    type: 1,
    machine: 183,
    sections: [
      { name: ".text", type: SHT.PROGBITS, flags: 6n, data: new Uint8Array([1, 2, 3, 4]), addralign: 4 },
      { name: ".bss", type: SHT.NOBITS, flags: 3n, size: 0x1000, addralign: 16 },
      { name: ".note.x", type: SHT.NOTE, data: new Uint8Array(12), addr: 0x400000n },
    ],
    symbols: [
      { name: "f", value: 0x10n, size: 4, type: STT.FUNC, bind: STB.GLOBAL, section: 1 },
      { name: "v", value: 0x20n, size: 8, type: STT.OBJECT, bind: STB.WEAK, visibility: STV.HIDDEN, section: 2 },
      { name: "a", value: 0xdeadn, type: STT.NOTYPE, bind: STB.LOCAL, section: "abs" },
    ],
  };

  test("header, sections and names", () => {
    const elf = ElfFile.fromBytes(buildElf(base), "built.o");
    expect([elf.is64, elf.littleEndian, elf.type, elf.machine]).toEqual([is64, littleEndian, 1, 183]);
    expect(elf.sections.map((s) => s.name)).toEqual(["", ".text", ".bss", ".note.x", ".symtab", ".strtab", ".shstrtab"]);
    const text = elf.findSection(".text")!;
    expect(text).toMatchObject({ index: 1, type: SHT.PROGBITS, flags: 6n, size: 4, addralign: 4 });
    expect([...elf.readSectionRaw(text)]).toEqual([1, 2, 3, 4]);
    const bss = elf.findSection(".bss")!;
    expect(bss).toMatchObject({ type: SHT.NOBITS, size: 0x1000, addralign: 16 });
    expect(elf.readSectionRaw(bss).length).toBe(0);
    expect(elf.findSection(".note.x")!.addr).toBe(0x400000n);
    expect(elf.findSection(".symtab")!.link).toBe(5);
    expect(elf.readSection(".missing")).toBeUndefined();
  });

  test("symbols", () => {
    const syms = ElfFile.fromBytes(buildElf(base)).symbols();
    expect(syms.count).toBe(4);
    const row = (i: number) => [syms.name(i), syms.value(i), syms.size(i), syms.type(i), syms.bind(i), syms.visibility(i), syms.sectionIndex(i)];
    expect(row(0)).toEqual(["", 0n, 0, 0, 0, 0, 0]);
    expect(row(1)).toEqual(["f", 0x10n, 4, STT.FUNC, STB.GLOBAL, STV.DEFAULT, 1]);
    expect(row(2)).toEqual(["v", 0x20n, 8, STT.OBJECT, STB.WEAK, STV.HIDDEN, 2]);
    expect(row(3)).toEqual(["a", 0xdeadn, 0, STT.NOTYPE, STB.LOCAL, STV.DEFAULT, SHN.ABS]);
  });

  test("extended numbering: e_shnum, e_shstrndx and symbol indexes past 0xff00", () => {
    const filler = 0xff00;
    const bytes = buildElf({
      is64,
      littleEndian,
      sections: [{ name: ".text", type: SHT.PROGBITS, data: new Uint8Array([9]) }],
      fillerSections: filler,
      symbols: [
        { name: "low", section: 1 },
        { name: "high", section: 1 + filler },
      ],
    });
    const elf = ElfFile.fromBytes(bytes);
    const count = 1 + 1 + filler + 3 + 1; // null, .text, fillers, .symtab/.strtab/.symtab_shndx, .shstrtab
    expect(elf.sections.length).toBe(count);
    expect(elf.sections[count - 1]!.name).toBe(".shstrtab");
    expect(elf.sections[1 + filler]!.name).toBe(`.f${filler - 1}`);
    const syms = elf.symbols();
    expect([syms.name(2), syms.sectionIndex(2)]).toEqual(["high", 1 + filler]);
    expect(syms.sectionIndex(1)).toBe(1);
  });
});

describe("bad headers", () => {
  const good = () => buildElf({ sections: [{ name: ".text", type: SHT.PROGBITS, data: new Uint8Array(8) }] });

  test("not an ELF file", () => {
    expectElfError(() => ElfFile.fromBytes(new TextEncoder().encode("hello, world\n"), "text.txt"), "ELF_NOT_ELF", /^text\.txt: not an ELF file/);
    expectElfError(() => ElfFile.fromBytes(new Uint8Array(0), "empty"), "ELF_NOT_ELF", /^empty: not an ELF/);
  });

  test("bad class, data encoding and version bytes", () => {
    for (const [at, value, what] of [[4, 3, /EI_CLASS/], [5, 0, /EI_DATA/], [6, 2, /EI_VERSION/]] as const) {
      const bytes = good();
      bytes[at] = value;
      expectElfError(() => ElfFile.fromBytes(bytes, "x.o"), "ELF_NOT_ELF", what);
    }
  });

  test("truncated header and truncated section header table", () => {
    expectElfError(() => ElfFile.fromBytes(good().subarray(0, 40), "cut.o"), "ELF_TRUNCATED", /^cut\.o: file is 40 bytes, shorter than the 64-byte ELF header/);
    const bytes = good();
    expectElfError(() => ElfFile.fromBytes(bytes.subarray(0, bytes.length - 10), "cut.o"), "ELF_TRUNCATED", /^cut\.o: .*(section header table|past the end)/);
  });

  test("wrong e_shentsize", () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint16(58, 40, true);
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o"), "ELF_BAD_HEADER", /e_shentsize is 40, expected 64/);
  });

  test("absurd section count", () => {
    const bytes = good();
    new DataView(bytes.buffer).setUint16(60, 0xfe00, true);
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o"), "ELF_TRUNCATED", /65024 entries .* runs past the end of the file/);
  });

  test("absurd extended section count in section 0", () => {
    const bytes = good();
    const view = new DataView(bytes.buffer);
    view.setUint16(60, 0, true);
    const shoff = Number(view.getBigUint64(40, true));
    view.setBigUint64(shoff + 32, 1n << 40n, true);
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o"), "ELF_BAD_COUNT", /section count 1099511627776 .* absurd/);
  });

  test("section past the end of the file", () => {
    const bytes = good();
    const view = new DataView(bytes.buffer);
    const shoff = Number(view.getBigUint64(40, true));
    view.setBigUint64(shoff + 64 + 32, 1n << 20n, true); // section 1's sh_size
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o"), "ELF_TRUNCATED", /section \[1\] \.text at 0x40 size 0x100000 runs past the end of the file/);
  });

  test("section name offset out of range, e_shstrndx out of range", () => {
    let bytes = good();
    let view = new DataView(bytes.buffer);
    const shoff = Number(view.getBigUint64(40, true));
    view.setUint32(shoff + 64, 0x7777, true);
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o"), "ELF_BAD_SECTION", /section header 1: name offset 0x7777/);
    bytes = good();
    view = new DataView(bytes.buffer);
    view.setUint16(62, 50, true);
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o"), "ELF_BAD_HEADER", /section name table index 50/);
  });

  test("symbol with SHN_XINDEX but no .symtab_shndx", () => {
    const bytes = buildElf({ symbols: [{ name: "s", section: 3 }] });
    const elf = ElfFile.fromBytes(bytes, "x.o");
    const symtab = elf.findSection(".symtab")!;
    // Symbol 1's st_shndx (ELF64: byte 6 of the 24-byte entry).
    new DataView(bytes.buffer).setUint16(symtab.offset + 24 + 6, SHN.XINDEX, true);
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o").symbols(), "ELF_BAD_SYMBOL", /section \.symtab\+0x18: symbol 1 has SHN_XINDEX/);
  });

  test("symbol name outside the string table", () => {
    const bytes = buildElf({ symbols: [{ name: "s", section: 1 }] });
    const symtab = ElfFile.fromBytes(bytes).findSection(".symtab")!;
    new DataView(bytes.buffer).setUint32(symtab.offset + 24, 0x10000, true);
    expectElfError(() => ElfFile.fromBytes(bytes, "x.o").symbols(), "ELF_BAD_SYMBOL", /symbol 1: name offset 0x10000/);
  });

  test("a file without sections or symbols", () => {
    const bytes = good();
    new DataView(bytes.buffer).setBigUint64(40, 0n, true);
    const elf = ElfFile.fromBytes(bytes);
    expect(elf.sections.length).toBe(0);
    expect(elf.symbols().count).toBe(0);
  });
});
