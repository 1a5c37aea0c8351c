// The ELF data-object symbols, sorted by section offset, so a DWARF variable's address finds its
// symbol (and with it the size, section and offset the DATASEC needs) by binary search.
//
// In an executable or shared object (ET_EXEC/ET_DYN) an address names one section, found from
// the section addresses. In a relocatable object (ET_REL: .o, .ko) every section starts at 0 and
// the relocated DWARF address is an offset into a section it does not name, so there the symbol's
// name decides between the sections that have an object at that offset.
//
// Only STT_OBJECT symbols are indexed. Thread-local variables (STT_TLS) are left out on purpose:
// their DWARF location is a TLS offset (DW_OP_const*; DW_OP_form_tls_address), not an address, and
// BTF has no way to say "per thread"; the kernel has none.
import { type ElfFile, type ElfSection, ET, SHF, SHN, STT, type SymbolTable } from "@btforge/elf";

/** What find() gives when no symbol matches. */
export const NO_SYMBOL = -1;
/** What find() gives when the address lies in a section no plugin included. */
export const EXCLUDED_SECTION = -2;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class ObjectSymbolIndex {
  readonly symbols: SymbolTable;
  readonly sections: readonly ElfSection[];
  readonly relocatable: boolean;
  /** Per section index: 1 when a plugin included its variables. */
  readonly included: Uint8Array;
  /** Sorted by (offset, section, symbol): the section-relative offset, section and symbol index. */
  private readonly offsets: Float64Array;
  private readonly sectionOf: Uint32Array;
  private readonly symbolOf: Uint32Array;
  /** ET_EXEC/ET_DYN: allocated, non-TLS, non-empty sections sorted by address. */
  private readonly ranges: ElfSection[];

  constructor(elf: ElfFile, included: Uint8Array) {
    this.symbols = elf.symbols();
    this.sections = elf.sections;
    this.relocatable = elf.type === ET.REL;
    this.included = included;
    const symbols = this.symbols;
    const picked: number[] = [];
    const offsetOf = new Float64Array(symbols.count);
    for (let i = 0; i < symbols.count; i++) {
      if (symbols.type(i) !== STT.OBJECT) continue;
      const section = this.realSection(symbols.sectionIndex(i));
      if (section === undefined || (section.flags & SHF.ALLOC) === 0n) continue;
      const value = symbols.value(i);
      const offset = this.relocatable ? value : value - section.addr;
      if (offset < 0n || offset > MAX_SAFE) continue;
      offsetOf[i] = Number(offset);
      picked.push(i);
    }
    picked.sort((a, b) => offsetOf[a]! - offsetOf[b]! || symbols.sectionIndex(a) - symbols.sectionIndex(b) || a - b);
    this.offsets = new Float64Array(picked.length);
    this.sectionOf = new Uint32Array(picked.length);
    this.symbolOf = Uint32Array.from(picked);
    for (let k = 0; k < picked.length; k++) {
      this.offsets[k] = offsetOf[picked[k]!]!;
      this.sectionOf[k] = symbols.sectionIndex(picked[k]!);
    }
    this.ranges = this.relocatable
      ? []
      : this.sections
          .filter((s) => (s.flags & SHF.ALLOC) !== 0n && (s.flags & SHF.TLS) === 0n && s.size > 0)
          .sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : a.index - b.index));
  }

  /** The section a symbol's st_shndx names, when it is a real one (not UNDEF, ABS, COMMON). */
  realSection(index: number): ElfSection | undefined {
    if (index === SHN.UNDEF || index >= this.sections.length) return undefined;
    // Past SHN_LORESERVE the index is special unless it came through SHN_XINDEX in a file that big.
    if (index >= SHN.LORESERVE && this.sections.length <= SHN.LORESERVE) return undefined;
    return this.sections[index];
  }

  /**
   * The sorted position of the object symbol the DWARF variable at `address` named `name()`
   * denotes, else NO_SYMBOL or EXCLUDED_SECTION. The name is only asked for when some object in
   * an included section sits at that place, so variables of other sections cost no string.
   */
  find(address: bigint, name: () => string | undefined): number {
    let section = -1;
    let offset: number;
    if (this.relocatable) {
      if (address > MAX_SAFE) return NO_SYMBOL;
      offset = Number(address);
    } else {
      const s = this.sectionContaining(address);
      if (s === undefined) return NO_SYMBOL;
      if (!this.included[s.index]) return EXCLUDED_SECTION;
      section = s.index;
      offset = Number(address - s.addr);
    }
    const lo = this.lowerBound(offset);
    let hi = lo;
    let eligible = 0;
    while (hi < this.offsets.length && this.offsets[hi] === offset) {
      if (this.eligible(hi, section)) eligible++;
      hi++;
    }
    if (eligible === 0) return section < 0 && hi > lo ? EXCLUDED_SECTION : NO_SYMBOL;
    const wanted = name();
    if (wanted === undefined || wanted === "") return NO_SYMBOL;
    for (let k = lo; k < hi; k++) if (this.eligible(k, section) && this.symbols.name(this.symbolOf[k]!) === wanted) return k;
    // gcc and clang rename some statics (name.0, name.lto_priv.0, name.llvm.123): same variable.
    const prefix = `${wanted}.`;
    for (let k = lo; k < hi; k++) if (this.eligible(k, section) && this.symbols.name(this.symbolOf[k]!).startsWith(prefix)) return k;
    return NO_SYMBOL;
  }

  /** The ELF symbol index at sorted position k. */
  symbol(k: number): number {
    return this.symbolOf[k]!;
  }

  section(k: number): ElfSection {
    return this.sections[this.sectionOf[k]!]!;
  }

  offset(k: number): number {
    return this.offsets[k]!;
  }

  size(k: number): number {
    return this.symbols.size(this.symbolOf[k]!);
  }

  private eligible(k: number, section: number): boolean {
    const s = this.sectionOf[k]!;
    return section >= 0 ? s === section : this.included[s] === 1;
  }

  private lowerBound(offset: number): number {
    const offsets = this.offsets;
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (offsets[mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private sectionContaining(address: bigint): ElfSection | undefined {
    const ranges = this.ranges;
    let lo = 0;
    let hi = ranges.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ranges[mid]!.addr <= address) lo = mid + 1;
      else hi = mid;
    }
    // Sections may overlap (rarely): the nearest start at or below the address that covers it.
    for (let i = lo - 1; i >= 0; i--) {
      const s = ranges[i]!;
      if (address < s.addr + BigInt(s.size)) return s;
    }
    return undefined;
  }
}
