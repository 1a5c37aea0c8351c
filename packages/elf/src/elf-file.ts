// An ELF file opened for reading: the header and section table are read at open; section contents,
// symbols and relocated debug sections are read on demand, each at most once where cached.
import { decompressSection, isCompressed } from "./compression.js";
import { ET, SHT } from "./constants.js";
import { elfError } from "./errors.js";
import { readHeader } from "./header.js";
import { applyRelocations } from "./relocations.js";
import { readSectionTable, type ElfSection } from "./sections.js";
import { FileSource, MemorySource, type ByteSource } from "./source.js";
import { SymbolTable } from "./symbols.js";

export class ElfFile {
  readonly name: string;
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly type: number;
  readonly machine: number;
  readonly fileSize: number;
  readonly sections: readonly ElfSection[];
  private readonly byName = new Map<string, ElfSection[]>();
  private readonly symbolTables = new Map<number, SymbolTable>();
  private readonly debugSections = new Map<number, Uint8Array>();
  private mainSymbols: SymbolTable | undefined;

  /** Reads the ELF header, the section headers and the section names; nothing else. */
  static open(path: string): ElfFile {
    const source = new FileSource(path);
    try {
      return new ElfFile(source);
    } catch (e) {
      source.close();
      throw e;
    }
  }

  /** Sections read from `bytes` are views of it: do not modify what is returned by readSectionRaw. */
  static fromBytes(bytes: Uint8Array, name = "<memory>"): ElfFile {
    return new ElfFile(new MemorySource(bytes, name));
  }

  private constructor(private readonly source: ByteSource) {
    const header = readHeader(source);
    this.name = source.name;
    this.is64 = header.is64;
    this.littleEndian = header.littleEndian;
    this.type = header.type;
    this.machine = header.machine;
    this.fileSize = source.size;
    this.sections = readSectionTable(source, header).sections;
    for (const s of this.sections) {
      const list = this.byName.get(s.name);
      if (list) list.push(s);
      else this.byName.set(s.name, [s]);
    }
  }

  /** Bytes read from the file so far (0 for fromBytes): shows that only what was asked for was read. */
  get bytesRead(): number {
    return this.source.bytesRead;
  }

  /** The first section with this name. */
  findSection(name: string): ElfSection | undefined {
    return this.byName.get(name)?.[0];
  }

  /** Every section with this name, in index order (e.g. the COMDAT ".debug_types" of type units). */
  findSections(name: string): readonly ElfSection[] {
    return this.byName.get(name) ?? [];
  }

  /** The section's bytes as stored in the file; empty for SHT_NOBITS. */
  readSectionRaw(section: ElfSection): Uint8Array {
    return this.readOwned(this.own(section)).bytes;
  }

  /**
   * The section's contents, decompressed when compressed. By name, a ".debug_X" that is missing
   * is looked up as the legacy compressed ".zdebug_X". Undefined when there is no such section.
   */
  readSection(section: ElfSection | string): Uint8Array | undefined {
    const s = this.resolve(section);
    return s && this.readContents(s).bytes;
  }

  /**
   * readSection with the section's relocations applied when the file is relocatable (ET_REL):
   * what a DWARF reader needs from a .o or .ko. Executables and shared objects are never relocated.
   * Cached: the same bytes are returned on every call.
   */
  readDebugSection(section: ElfSection | string): Uint8Array | undefined {
    const s = this.resolve(section);
    if (!s) return undefined;
    const cached = this.debugSections.get(s.index);
    if (cached) return cached;
    let { bytes, owned } = this.readContents(s);
    const relocSections = this.type === ET.REL ? this.sections.filter((r) => (r.type === SHT.RELA || r.type === SHT.REL) && r.info === s.index) : [];
    if (relocSections.length > 0 && !owned) bytes = bytes.slice();
    for (const r of relocSections) {
      const context = { file: this.name, is64: this.is64, littleEndian: this.littleEndian, machine: this.machine, sections: this.sections };
      applyRelocations(context, s, bytes, r, this.readSectionRaw(r), this.symbolTableAt(r.link, r));
    }
    this.debugSections.set(s.index, bytes);
    return bytes;
  }

  /**
   * Every section of this name, each read as readDebugSection does, concatenated in index order:
   * what a linker would make of them. A relocatable object holds one COMDAT ".debug_types" (DWARF 4)
   * or ".debug_info" (DWARF 5) section per type unit beside the compile unit's own.
   */
  readMergedDebugSection(name: string): Uint8Array | undefined {
    const all = this.findSections(name);
    if (all.length <= 1) return this.readDebugSection(name);
    const parts = all.map((s) => this.readDebugSection(s)!);
    const merged = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      merged.set(p, at);
      at += p.length;
    }
    return merged;
  }

  /** The static symbol table (.symtab), else the dynamic one (.dynsym); empty when there is neither. */
  symbols(): SymbolTable {
    if (!this.mainSymbols) {
      const table = this.sections.find((s) => s.type === SHT.SYMTAB) ?? this.sections.find((s) => s.type === SHT.DYNSYM);
      this.mainSymbols = table
        ? this.symbolTableAt(table.index)
        : new SymbolTable({ file: this.name, is64: this.is64, littleEndian: this.littleEndian, section: undefined, bytes: new Uint8Array(0), strings: new Uint8Array(0) });
    }
    return this.mainSymbols;
  }

  /** Forgets the debug sections read so far (they are read again if asked for): frees their memory. */
  releaseDebugSections(): void {
    this.debugSections.clear();
  }

  close(): void {
    this.source.close();
  }

  private resolve(section: ElfSection | string): ElfSection | undefined {
    if (typeof section !== "string") return this.own(section);
    return this.findSection(section) ?? (section.startsWith(".debug_") ? this.findSection(`.z${section.slice(1)}`) : undefined);
  }

  /** This file's own record of the section (callers may hand in copies). */
  private own(section: ElfSection): ElfSection {
    const s = this.sections[section.index];
    if (!s || s.name !== section.name) throw elfError("ELF_BAD_SECTION", this.name, `no section [${section.index}] ${section.name} in this file`);
    return s;
  }

  private readOwned(s: ElfSection): { bytes: Uint8Array; owned: boolean } {
    if (s.type === SHT.NOBITS || s.size === 0) return { bytes: new Uint8Array(0), owned: true };
    return this.source.read(s.offset, s.size, `section ${s.name}`);
  }

  private readContents(s: ElfSection): { bytes: Uint8Array; owned: boolean } {
    const raw = this.readOwned(s);
    if (!isCompressed(s, raw.bytes)) return raw;
    const context = { file: this.name, is64: this.is64, littleEndian: this.littleEndian };
    return { bytes: decompressSection(context, s, raw.bytes), owned: true };
  }

  /** The symbol table in section `index`, as named by `user`'s sh_link when a relocation section asks. */
  private symbolTableAt(index: number, user?: ElfSection): SymbolTable {
    const cached = this.symbolTables.get(index);
    if (cached) return cached;
    const section = this.sections[index];
    if (!section || (section.type !== SHT.SYMTAB && section.type !== SHT.DYNSYM)) {
      throw elfError("ELF_BAD_SECTION", this.name, `sh_link ${index} is not a symbol table`, user?.name ?? `[${index}]`);
    }
    const strtab = this.sections[section.link];
    if (!strtab || strtab.type !== SHT.STRTAB) {
      throw elfError("ELF_BAD_SECTION", this.name, `sh_link ${section.link} is not a string table`, section.name);
    }
    const shndx = this.sections.find((s) => s.type === SHT.SYMTAB_SHNDX && s.link === index);
    const table = new SymbolTable({
      file: this.name,
      is64: this.is64,
      littleEndian: this.littleEndian,
      section,
      bytes: this.readSectionRaw(section),
      strings: this.readSectionRaw(strtab),
      extendedIndexes: shndx && this.readSectionRaw(shndx),
    });
    this.symbolTables.set(index, table);
    return table;
  }
}
