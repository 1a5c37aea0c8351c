// A symbol table in columns (one typed array per field), so that vmlinux's ~150k symbols cost a
// few arrays rather than one object each. Names stay bytes in the string table until asked for.
import { SHN } from "./constants.js";
import { elfError, hex } from "./errors.js";
import type { ElfSection } from "./sections.js";

const decoder = new TextDecoder();

/** The raw pieces a symbol table is decoded from. */
export interface SymbolTableInput {
  file: string;
  is64: boolean;
  littleEndian: boolean;
  /** Undefined for a file without a symbol table: the table is then empty. */
  section: ElfSection | undefined;
  bytes: Uint8Array;
  /** The linked string table (the symbol table's sh_link). */
  strings: Uint8Array;
  /** The SHT_SYMTAB_SHNDX section's bytes, when the file has one for this table. */
  extendedIndexes?: Uint8Array;
}

export class SymbolTable {
  readonly count: number;
  private readonly nameOffsets: Uint32Array;
  private readonly infos: Uint8Array;
  private readonly others: Uint8Array;
  private readonly sectionIndexes: Uint32Array;
  private readonly values: BigUint64Array;
  private readonly sizes: Float64Array;
  private readonly strings: Uint8Array;

  constructor(input: SymbolTableInput) {
    const { file, section, bytes, is64 } = input;
    const entrySize = is64 ? 24 : 16;
    if (section && section.entsize !== entrySize) {
      throw elfError("ELF_BAD_SECTION", file, `symbol entry size is ${section.entsize}, expected ${entrySize}`, section.name);
    }
    if (section && bytes.length % entrySize !== 0) {
      throw elfError("ELF_BAD_SECTION", file, `size ${bytes.length} is not a multiple of the symbol entry size ${entrySize}`, section.name);
    }
    const count = section ? bytes.length / entrySize : 0;
    this.count = count;
    this.strings = input.strings;
    this.nameOffsets = new Uint32Array(count);
    this.infos = new Uint8Array(count);
    this.others = new Uint8Array(count);
    this.sectionIndexes = new Uint32Array(count);
    this.values = new BigUint64Array(count);
    this.sizes = new Float64Array(count);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const le = input.littleEndian;
    const xindex = input.extendedIndexes && new DataView(input.extendedIndexes.buffer, input.extendedIndexes.byteOffset, input.extendedIndexes.byteLength);
    for (let i = 0; i < count; i++) {
      const at = i * entrySize;
      const nameOffset = view.getUint32(at, le);
      if (nameOffset >= this.strings.length && nameOffset !== 0) {
        throw elfError("ELF_BAD_SYMBOL", file, `symbol ${i}: name offset ${hex(nameOffset)} is past the end of its string table (${this.strings.length} bytes)`, section!.name, at);
      }
      this.nameOffsets[i] = nameOffset;
      let shndx: number;
      if (is64) {
        this.infos[i] = view.getUint8(at + 4);
        this.others[i] = view.getUint8(at + 5);
        shndx = view.getUint16(at + 6, le);
        this.values[i] = view.getBigUint64(at + 8, le);
        this.sizes[i] = Number(view.getBigUint64(at + 16, le));
      } else {
        this.values[i] = BigInt(view.getUint32(at + 4, le));
        this.sizes[i] = view.getUint32(at + 8, le);
        this.infos[i] = view.getUint8(at + 12);
        this.others[i] = view.getUint8(at + 13);
        shndx = view.getUint16(at + 14, le);
      }
      if (shndx === SHN.XINDEX) {
        if (!xindex || (i + 1) * 4 > xindex.byteLength) {
          throw elfError("ELF_BAD_SYMBOL", file, `symbol ${i} has SHN_XINDEX but there is no SHT_SYMTAB_SHNDX entry for it`, section!.name, at);
        }
        shndx = xindex.getUint32(i * 4, le);
      }
      this.sectionIndexes[i] = shndx;
    }
  }

  name(i: number): string {
    const at = this.nameOffsets[i]!;
    let end = this.strings.indexOf(0, at);
    if (end < 0) end = this.strings.length;
    return decoder.decode(this.strings.subarray(at, end));
  }

  value(i: number): bigint {
    return this.values[i]!;
  }

  size(i: number): number {
    return this.sizes[i]!;
  }

  /** STT_* (low 4 bits of st_info). */
  type(i: number): number {
    return this.infos[i]! & 0xf;
  }

  /** STB_* (high 4 bits of st_info). */
  bind(i: number): number {
    return this.infos[i]! >> 4;
  }

  /** STV_* (low 2 bits of st_other). */
  visibility(i: number): number {
    return this.others[i]! & 3;
  }

  /** The section index, with SHN_XINDEX already resolved; SHN_ABS/SHN_COMMON/SHN_UNDEF as stored. */
  sectionIndex(i: number): number {
    return this.sectionIndexes[i]!;
  }
}
