/**
 * Where the fuzzer aims: the byte positions, in the file, of the structures a mutation targets.
 * The ELF side (header fields, section headers, relocation and symbol tables) comes from
 * @btforge/elf; the DWARF side (unit headers, DIE abbreviation codes, the abbreviation table's
 * forms and LEB128s, DW_AT_type references) from @btforge/dwarf walking the file's own bytes.
 * A layout is made once per input and shared by all its mutants.
 */
import { readDwarfSections } from "@btforge/core";
import { DwarfFile, DW_AT, DW_FORM, DW_TAG } from "@btforge/dwarf";
import { ElfFile, SHF, SHT } from "@btforge/elf";

export interface SectionInfo {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  /** File position of the contents. */
  offset: number;
  size: number;
  link: number;
  info: number;
  entsize: number;
  /** File position of the section's header. */
  headerAt: number;
  compressed: boolean;
}

/** A field of a header: its file position and width. */
export interface FieldAt {
  name: string;
  at: number;
  size: number;
}

export interface UnitInfo {
  /** Section offset of the unit header (its unit_length field). */
  offset: number;
  /** 4, or 12 for a 64-bit DWARF unit (0xffffffff then 8 bytes). */
  lengthBytes: number;
  /** Section offset just past the unit. */
  end: number;
}

/** A DIE whose DW_AT_type is a DW_FORM_ref4: where the 4 bytes are, and what the DIE is. */
export interface TypeRef {
  die: number;
  tag: number;
  unit: number;
  /** Section offset of the ref4 value (unit-relative target offset). */
  at: number;
}

/** A LEB128 in .debug_abbrev (or an abbreviation code in .debug_info): where it is and how long. */
export interface LebAt {
  at: number;
  length: number;
}

export interface AbbrevSpec {
  /** The attribute name and the form, as LEB128s in .debug_abbrev. */
  name: LebAt;
  form: LebAt;
}

export interface DwarfLayout {
  info: SectionInfo;
  abbrev: SectionInfo;
  units: UnitInfo[];
  /** Every DIE's section offset (where its abbreviation code is) and the code's length. */
  dies: LebAt[];
  typeRefs: TypeRef[];
  /** The abbreviation table: every code, tag and attribute (name, form) LEB128, and the children flags. */
  abbrevLebs: LebAt[];
  specs: AbbrevSpec[];
  childrenFlags: number[];
  /** Highest abbreviation code seen. */
  maxCode: number;
}

export interface InputLayout {
  name: string;
  bytes: Uint8Array;
  is64: boolean;
  littleEndian: boolean;
  machine: number;
  /** e_shoff, e_shentsize, e_shnum, e_shstrndx. */
  headerFields: FieldAt[];
  shoff: number;
  shentsize: number;
  sections: SectionInfo[];
  /** Present when .debug_info and .debug_abbrev are single, uncompressed sections (file offsets then map to section offsets). */
  dwarf: DwarfLayout | undefined;
}

/** A field of a fixed-size record: its name, offset in the record and width in bytes. */
export type RecordField = readonly [name: string, offset: number, size: number];

/** Section header fields for ELF64 and ELF32. */
export const SHDR_FIELDS: Record<32 | 64, readonly RecordField[]> = {
  64: [["sh_name", 0, 4], ["sh_type", 4, 4], ["sh_flags", 8, 8], ["sh_addr", 16, 8], ["sh_offset", 24, 8], ["sh_size", 32, 8], ["sh_link", 40, 4], ["sh_info", 44, 4], ["sh_addralign", 48, 8], ["sh_entsize", 56, 8]],
  32: [["sh_name", 0, 4], ["sh_type", 4, 4], ["sh_flags", 8, 4], ["sh_addr", 12, 4], ["sh_offset", 16, 4], ["sh_size", 20, 4], ["sh_link", 24, 4], ["sh_info", 28, 4], ["sh_addralign", 32, 4], ["sh_entsize", 36, 4]],
};

/** Type DIEs: what a self-referencing or cyclic DW_AT_type most often sits on. */
export const TYPE_TAGS: ReadonlySet<number> = new Set([
  DW_TAG.pointer_type, DW_TAG.reference_type, DW_TAG.rvalue_reference_type, DW_TAG.const_type, DW_TAG.volatile_type,
  DW_TAG.restrict_type, DW_TAG.atomic_type, DW_TAG.typedef, DW_TAG.array_type, DW_TAG.subroutine_type, DW_TAG.enumeration_type,
]);

export function readUint(bytes: Uint8Array, at: number, size: number, littleEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) v |= BigInt(bytes[at + (littleEndian ? i : size - 1 - i)]!) << BigInt(8 * i);
  return v;
}

export function writeUint(bytes: Uint8Array, at: number, size: number, value: bigint, littleEndian: boolean): void {
  const v = BigInt.asUintN(8 * size, value);
  for (let i = 0; i < size; i++) bytes[at + (littleEndian ? i : size - 1 - i)] = Number((v >> BigInt(8 * i)) & 0xffn);
}

function lebLength(bytes: Uint8Array, at: number, end: number): number {
  let n = 1;
  while (at + n - 1 < end && bytes[at + n - 1]! & 0x80) n++;
  return n;
}

function readUleb(bytes: Uint8Array, at: number): number {
  let v = 0;
  let shift = 0;
  for (let p = at; ; p++) {
    const b = bytes[p]!;
    v += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (!(b & 0x80)) return v;
  }
}

export function layoutOf(name: string, original: Uint8Array): InputLayout {
  const bytes = new Uint8Array(original);
  const elf = ElfFile.fromBytes(bytes, name);
  const le = elf.littleEndian;
  const is64 = elf.is64;
  const headerFields: FieldAt[] = is64
    ? [{ name: "e_shoff", at: 0x28, size: 8 }, { name: "e_shentsize", at: 0x3a, size: 2 }, { name: "e_shnum", at: 0x3c, size: 2 }, { name: "e_shstrndx", at: 0x3e, size: 2 }]
    : [{ name: "e_shoff", at: 0x20, size: 4 }, { name: "e_shentsize", at: 0x2e, size: 2 }, { name: "e_shnum", at: 0x30, size: 2 }, { name: "e_shstrndx", at: 0x32, size: 2 }];
  const shoff = Number(readUint(bytes, headerFields[0]!.at, headerFields[0]!.size, le));
  const shentsize = Number(readUint(bytes, headerFields[1]!.at, 2, le));
  const sections: SectionInfo[] = elf.sections.map((s) => ({
    index: s.index,
    name: s.name,
    type: s.type,
    flags: s.flags,
    offset: s.offset,
    size: s.type === SHT.NOBITS ? 0 : s.size,
    link: s.link,
    info: s.info,
    entsize: s.entsize,
    headerAt: shoff + s.index * shentsize,
    compressed: (s.flags & SHF.COMPRESSED) !== 0n,
  }));
  return { name, bytes: original, is64, littleEndian: le, machine: elf.machine, headerFields, shoff, shentsize, sections, dwarf: dwarfLayout(elf, sections) };
}

function single(sections: readonly SectionInfo[], name: string): SectionInfo | undefined {
  const found = sections.filter((s) => s.name === name);
  return found.length === 1 && !found[0]!.compressed && found[0]!.size > 0 ? found[0] : undefined;
}

function dwarfLayout(elf: ElfFile, sections: readonly SectionInfo[]): DwarfLayout | undefined {
  const info = single(sections, ".debug_info");
  const abbrev = single(sections, ".debug_abbrev");
  if (!info || !abbrev) return undefined;
  // The sections as the encoder reads them (relocated: a module's units name their abbreviation
  // tables through relocations), at the same offsets as in the file since they are not compressed.
  const debug = readDwarfSections(elf);
  const infoBytes = debug.debug_info!;
  const abbrevBytes = debug.debug_abbrev!;
  const dwarf = new DwarfFile(debug, { littleEndian: elf.littleEndian });
  const littleEndian = elf.littleEndian;
  const units: UnitInfo[] = [];
  const dies: LebAt[] = [];
  const refs: { die: number; tag: number; unit: number; value: number }[] = [];
  for (const u of dwarf.units()) {
    if (u.section !== "debug_info") continue;
    units.push({ offset: u.offset, lengthBytes: u.offsetSize === 8 ? 12 : 4, end: u.end });
    const c = dwarf.cursor(u);
    while (c.next()) {
      dies.push({ at: c.offset, length: lebLength(infoBytes, c.offset, u.end) });
      if (c.form(DW_AT.type) === DW_FORM.ref4) refs.push({ die: c.offset, tag: c.tag, unit: u.offset, value: c.ref(DW_AT.type)! - u.offset });
    }
  }
  const typeRefs = locateRefs(dwarf, infoBytes, dies, units, refs, littleEndian);
  return { info, abbrev, units, dies, typeRefs, ...abbrevLayout(abbrevBytes) };
}

/**
 * Where each DW_AT_type ref4 value is: the 4 bytes equal to the reference inside the DIE, checked
 * by writing a different value there and reading the attribute back (then restored).
 */
function locateRefs(
  dwarf: DwarfFile,
  info: Uint8Array,
  dies: readonly LebAt[],
  units: readonly UnitInfo[],
  refs: readonly { die: number; tag: number; unit: number; value: number }[],
  littleEndian: boolean,
): TypeRef[] {
  const starts = dies.map((d) => d.at);
  const index = new Map(starts.map((at, i) => [at, i]));
  const unitOf = new Map(dwarf.units().filter((u) => u.section === "debug_info").map((u) => [u.offset, u]));
  const found: TypeRef[] = [];
  for (const r of refs) {
    const i = index.get(r.die)!;
    const end = i + 1 < starts.length && starts[i + 1]! > r.die ? starts[i + 1]! : units.find((u) => u.offset === r.unit)!.end;
    const header = unitOf.get(r.unit)!;
    for (let at = r.die + 1; at + 4 <= end; at++) {
      if (Number(readUint(info, at, 4, littleEndian)) !== r.value) continue;
      writeUint(info, at, 4, BigInt(r.value + 1), littleEndian);
      const c = dwarf.cursor(header);
      c.seek(r.die);
      const moved = c.ref(DW_AT.type) === header.offset + r.value + 1;
      writeUint(info, at, 4, BigInt(r.value), littleEndian);
      if (moved) {
        found.push({ die: r.die, tag: r.tag, unit: r.unit, at });
        break;
      }
    }
  }
  return found;
}

function abbrevLayout(bytes: Uint8Array): Pick<DwarfLayout, "abbrevLebs" | "specs" | "childrenFlags" | "maxCode"> {
  const abbrevLebs: LebAt[] = [];
  const specs: AbbrevSpec[] = [];
  const childrenFlags: number[] = [];
  let maxCode = 0;
  const end = bytes.length;
  const leb = (at: number): LebAt => ({ at, length: lebLength(bytes, at, end) });
  let p = 0;
  while (p < end) {
    const code = leb(p);
    p += code.length;
    if (readUleb(bytes, code.at) === 0) continue; // end of one unit's table
    maxCode = Math.max(maxCode, readUleb(bytes, code.at));
    const tag = leb(p);
    p += tag.length;
    abbrevLebs.push(code, tag);
    childrenFlags.push(p++);
    while (p < end) {
      const name = leb(p);
      const form = leb(p + name.length);
      p = form.at + form.length;
      if (readUleb(bytes, name.at) === 0 && readUleb(bytes, form.at) === 0) break;
      abbrevLebs.push(name, form);
      specs.push({ name, form });
      if (readUleb(bytes, form.at) === DW_FORM.implicit_const) p += lebLength(bytes, p, end);
    }
  }
  return { abbrevLebs, specs, childrenFlags, maxCode };
}
