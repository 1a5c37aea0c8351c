// Applies SHT_REL / SHT_RELA relocations to a section's (decompressed) bytes, as libdw does for the
// debug sections of relocatable objects: the value S + A (or S + A - P) is stored at the offset in
// the relocation's width and the file's byte order. REL relocations take A from the bytes in place.
import { EM, SHN, SHT, constantName } from "./constants.js";
import { elfError, hex } from "./errors.js";
import { relocationKind, type RelocationKind } from "./relocation-types.js";
import type { ElfSection } from "./sections.js";
import type { SymbolTable } from "./symbols.js";

export interface RelocationContext {
  file: string;
  is64: boolean;
  littleEndian: boolean;
  machine: number;
  sections: readonly ElfSection[];
}

function relocationEntrySize(is64: boolean, type: number): number {
  const rela = type === SHT.RELA;
  return is64 ? (rela ? 24 : 16) : rela ? 12 : 8;
}

/** Modifies `data` (the target section's bytes, owned by the caller) in place. */
export function applyRelocations(
  ctx: RelocationContext,
  target: ElfSection,
  data: Uint8Array,
  relocSection: ElfSection,
  relocBytes: Uint8Array,
  symbols: SymbolTable,
): void {
  const { file, is64, littleEndian: le } = ctx;
  const rela = relocSection.type === SHT.RELA;
  const entrySize = relocationEntrySize(is64, relocSection.type);
  if (relocSection.entsize !== entrySize && relocSection.entsize !== 0) {
    throw elfError("ELF_BAD_SECTION", file, `relocation entry size is ${relocSection.entsize}, expected ${entrySize}`, relocSection.name);
  }
  if (relocBytes.length % entrySize !== 0) {
    throw elfError("ELF_BAD_SECTION", file, `size ${relocBytes.length} is not a multiple of the relocation entry size ${entrySize}`, relocSection.name);
  }
  const relocs = new DataView(relocBytes.buffer, relocBytes.byteOffset, relocBytes.byteLength);
  const out = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const symbolValues = new Map<number, bigint>();
  const symbolValue = (index: number, entryAt: number): bigint => {
    let v = symbolValues.get(index);
    if (v === undefined) {
      if (index >= symbols.count) {
        throw elfError("ELF_RELOCATION", file, `relocation names symbol ${index}, the symbol table has ${symbols.count}`, relocSection.name, entryAt);
      }
      v = symbols.value(index);
      const shndx = symbols.sectionIndex(index);
      // In a relocatable object sh_addr is 0; honour it anyway so S is an address, as libdw does.
      if (shndx !== SHN.UNDEF && shndx !== SHN.ABS && shndx !== SHN.COMMON && shndx < ctx.sections.length) v += ctx.sections[shndx]!.addr;
      symbolValues.set(index, v);
    }
    return v;
  };

  for (let at = 0; at < relocBytes.length; at += entrySize) {
    let offset: number;
    let symbol: number;
    let type: number;
    let addend = 0n;
    if (is64) {
      offset = Number(relocs.getBigUint64(at, le));
      const info = relocs.getBigUint64(at + 8, le);
      symbol = Number(info >> 32n);
      type = Number(info & 0xffffffffn);
      if (rela) addend = relocs.getBigInt64(at + 16, le);
    } else {
      offset = relocs.getUint32(at, le);
      const info = relocs.getUint32(at + 4, le);
      symbol = info >>> 8;
      type = info & 0xff;
      if (rela) addend = BigInt(relocs.getInt32(at + 8, le));
    }
    const kind = relocationKind(ctx.machine, type);
    if (!kind) {
      throw elfError(
        "ELF_UNKNOWN_RELOCATION",
        file,
        `unknown relocation type ${type} for ${constantName("EM", EM, ctx.machine)} (from ${relocSection.name} entry ${at / entrySize})`,
        target.name,
        offset,
      );
    }
    if (kind.width === 0) continue;
    if (offset + kind.width > data.length) {
      throw elfError("ELF_RELOCATION", file, `relocation (from ${relocSection.name} entry ${at / entrySize}) writes past the end of the section (${hex(data.length)} bytes)`, target.name, offset);
    }
    const inPlace = readWord(out, offset, kind.width, le);
    if (!rela) addend = inPlace;
    let value = symbolValue(symbol, at) + addend;
    if (kind.pcRelative) value -= target.addr + BigInt(offset);
    writeWord(out, offset, kind.width, le, combine(kind.op, inPlace, value));
  }
}

/** The bytes to store: the value itself, or the value folded into what the place holds. */
function combine(op: RelocationKind["op"], inPlace: bigint, value: bigint): bigint {
  switch (op) {
    case "set":
      return value;
    case "add":
      return inPlace + value;
    case "sub":
      return inPlace - value;
    case "set6":
      return (inPlace & 0xc0n) | (value & 0x3fn);
    case "sub6":
      return (inPlace & 0xc0n) | ((inPlace - value) & 0x3fn);
  }
}

function readWord(view: DataView, at: number, width: 1 | 2 | 4 | 8, le: boolean): bigint {
  switch (width) {
    case 1:
      return BigInt(view.getUint8(at));
    case 2:
      return BigInt(view.getUint16(at, le));
    case 4:
      return BigInt(view.getUint32(at, le));
    case 8:
      return view.getBigUint64(at, le);
  }
}

/** Stores the low `width` bytes of `value` (two's complement for negative values). */
function writeWord(view: DataView, at: number, width: 1 | 2 | 4 | 8, le: boolean, value: bigint): void {
  const v = BigInt.asUintN(width * 8, value);
  switch (width) {
    case 1:
      view.setUint8(at, Number(v));
      return;
    case 2:
      view.setUint16(at, Number(v), le);
      return;
    case 4:
      view.setUint32(at, Number(v), le);
      return;
    case 8:
      view.setBigUint64(at, v, le);
      return;
  }
}
