// The section header table and section names, including the extended numbering used when a file
// has 0xff00 sections or more (the real count in section 0's sh_size, the real .shstrtab index in
// its sh_link).
import { SHN, SHT } from "./constants.js";
import { elfError, hex } from "./errors.js";
import type { ElfHeader } from "./header.js";
import { Fields, shdrLayout, type Field } from "./layout.js";
import type { ByteSource } from "./source.js";

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  addralign: number;
  entsize: number;
}

export interface SectionTable {
  readonly sections: ElfSection[];
  /** Index of the section-name string table, 0 when there is none. */
  readonly shstrndx: number;
}

const decoder = new TextDecoder();

export function readSectionTable(source: ByteSource, header: ElfHeader): SectionTable {
  const file = source.name;
  const layout = shdrLayout(header.is64);
  if (header.shoff === 0) return { sections: [], shstrndx: 0 };
  if (header.shentsize !== layout.size) {
    throw elfError("ELF_BAD_HEADER", file, `e_shentsize is ${header.shentsize}, expected ${layout.size} for ELF${header.is64 ? 64 : 32}`);
  }
  const tableEnd = (count: number) => header.shoff + count * layout.size;
  if (tableEnd(1) > source.size) {
    throw elfError("ELF_TRUNCATED", file, `section header table at ${hex(header.shoff)} runs past the end of the file (${source.size} bytes)`);
  }
  const first = new Fields(source.read(header.shoff, layout.size, "section header 0").bytes, header.littleEndian);
  let count = header.shnum;
  if (count === 0) {
    const extended = first.big(0, layout.size_);
    if (extended > BigInt(source.size)) throw elfError("ELF_BAD_COUNT", file, `section count ${extended} (from section 0's sh_size) is absurd for a ${source.size}-byte file`);
    count = Number(extended);
  }
  if (count === 0) return { sections: [], shstrndx: 0 };
  if (tableEnd(count) > source.size) {
    throw elfError("ELF_TRUNCATED", file, `section header table (${count} entries at ${hex(header.shoff)}) runs past the end of the file (${source.size} bytes)`);
  }
  const shstrndx = header.shstrndx === SHN.XINDEX ? first.small(0, layout.link) : header.shstrndx;
  if (shstrndx >= count) throw elfError("ELF_BAD_HEADER", file, `section name table index ${shstrndx} is not below the section count ${count}`);

  const raw = new Fields(source.read(header.shoff, count * layout.size, "the section header table").bytes, header.littleEndian);
  const nameOffsets = new Uint32Array(count);
  const sections: ElfSection[] = [];
  for (let index = 0; index < count; index++) {
    const base = index * layout.size;
    nameOffsets[index] = raw.small(base, layout.name);
    const where = `section header ${index}`;
    const section: ElfSection = {
      index,
      name: "",
      type: raw.small(base, layout.type),
      flags: raw.big(base, layout.flags),
      addr: raw.big(base, layout.addr),
      offset: boundedNumber(raw, base, layout.offset, file, where, "sh_offset"),
      size: boundedNumber(raw, base, layout.size_, file, where, "sh_size"),
      link: raw.small(base, layout.link),
      info: raw.small(base, layout.info),
      addralign: boundedNumber(raw, base, layout.addralign, file, where, "sh_addralign"),
      entsize: boundedNumber(raw, base, layout.entsize, file, where, "sh_entsize"),
    };
    sections.push(section);
  }
  nameSections(source, sections, nameOffsets, shstrndx);
  for (const s of sections) checkInFile(s, source);
  return { sections, shstrndx };
}

/** A 64-bit field as a number; values beyond 2^53 are never real offsets or sizes. */
function boundedNumber(raw: Fields, base: number, field: Field, file: string, where: string, what: string): number {
  const v = raw.big(base, field);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw elfError("ELF_BAD_SECTION", file, `${where}: ${what} 0x${v.toString(16)} is absurd`);
  return Number(v);
}

function nameSections(source: ByteSource, sections: ElfSection[], nameOffsets: Uint32Array, shstrndx: number): void {
  if (shstrndx === SHN.UNDEF) return;
  const strtab = sections[shstrndx]!;
  if (strtab.type === SHT.NOBITS || strtab.offset + strtab.size > source.size) {
    throw elfError("ELF_TRUNCATED", source.name, `section name table (section ${shstrndx}) at ${hex(strtab.offset)} size ${hex(strtab.size)} is not in the file`);
  }
  const names = source.read(strtab.offset, strtab.size, "the section name table").bytes;
  for (const s of sections) {
    const at = nameOffsets[s.index]!;
    if (at === 0 && s.index === 0) continue;
    if (at >= names.length) {
      throw elfError("ELF_BAD_SECTION", source.name, `section header ${s.index}: name offset ${hex(at)} is past the end of the section name table (${names.length} bytes)`);
    }
    let end = names.indexOf(0, at);
    if (end < 0) end = names.length;
    s.name = decoder.decode(names.subarray(at, end));
  }
}

function checkInFile(s: ElfSection, source: ByteSource): void {
  if (s.type === SHT.NOBITS || s.type === SHT.NULL) return;
  if (s.offset + s.size > source.size) {
    throw elfError(
      "ELF_TRUNCATED",
      source.name,
      `section [${s.index}] ${s.name || "(unnamed)"} at ${hex(s.offset)} size ${hex(s.size)} runs past the end of the file (${source.size} bytes)`,
    );
  }
}
