// Writes a copy of an ELF file with non-allocated SHT_PROGBITS sections added or replaced (as
// `pahole -J` adds ".BTF", and ".BTF.base" beside it for a distilled base). Every other section
// keeps its bytes and its file offset: the file is copied up to the end of the last section still
// in use, then a grown section name table when a name is new, the new sections' data in the order
// given, and a new section header table are appended. Nothing allocated moves, so program headers
// stay valid. The copy is written to a temporary file in the destination's folder and renamed over
// the destination, so no reader ever sees half a file, nor one section new and the other old.
import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { SHF, SHN, SHT } from "./constants.js";
import { ElfError, elfError } from "./errors.js";
import { readHeader, type ElfHeader } from "./header.js";
import { Fields, ehdrLayout, shdrLayout } from "./layout.js";
import { readSectionTable, type ElfSection } from "./sections.js";
import { FileSource } from "./source.js";

const COPY_CHUNK = 8 << 20;
const DATA_ALIGN = 8;
const NEW_SECTION_ALIGN = 4;

/** One section to add (or replace, when the file has a section of that name). */
export interface SectionData {
  readonly name: string;
  readonly data: Uint8Array;
}

/** Where one written section goes. */
interface Placed {
  /** Index in the section header table: an existing section's, or a new one past the old table. */
  index: number;
  /** Offset of the name in the (possibly grown) name table; -1 keeps the existing name. */
  nameOffset: number;
  dataOffset: number;
  size: number;
}

/** Where each part of the new file goes. */
interface Plan {
  header: ElfHeader;
  sections: ElfSection[];
  shstrndx: number;
  /** Bytes of the source copied unchanged (apart from the ELF header fields patched afterwards). */
  prefixEnd: number;
  /** The section name table, when it had to grow to hold new names. */
  names?: { bytes: Uint8Array; offset: number };
  placed: Placed[];
  /** Sections in the new table: the old ones plus those added. */
  count: number;
  tableOffset: number;
}

export interface WriteSectionOptions {
  /**
   * Allow replacing an allocated section, as `pahole -J` replaces a vmlinux's own `.BTF`: the
   * section header then points at the new bytes (address and flags kept) while the program headers,
   * and so the loaded image, still cover the old ones. Right for tools that read `.BTF` from the
   * file; a bootable image is relinked by the kernel build instead.
   */
  replaceAllocated?: boolean;
}

export function writeElfWithSection(srcPath: string, dstPath: string, sectionName: string, data: Uint8Array, options: WriteSectionOptions = {}): void {
  writeElfWithSections(srcPath, dstPath, [{ name: sectionName, data }], options);
}

/** Adds or replaces every section of `sections` in one rewrite of `srcPath` into `dstPath` (which may be the same file). */
export function writeElfWithSections(srcPath: string, dstPath: string, sections: readonly SectionData[], options: WriteSectionOptions = {}): void {
  const seen = new Set<string>();
  for (const { name } of sections) {
    if (name === "" || name.includes("\0")) throw elfError("ELF_WRITE", dstPath, `invalid section name ${JSON.stringify(name)}`);
    if (seen.has(name)) throw elfError("ELF_WRITE", dstPath, `section ${name} is given twice`);
    seen.add(name);
  }
  if (sections.length === 0) throw elfError("ELF_WRITE", dstPath, "no section to write");
  const source = new FileSource(srcPath);
  try {
    const plan = planLayout(source, sections, options);
    const tmpPath = join(dirname(dstPath), `.${basename(dstPath)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    writeAtomically(tmpPath, dstPath, fstatSync(source.fd()).mode & 0o7777, (fd) => {
      copyPrefix(source, fd, plan.prefixEnd);
      writeSync(fd, patchedHeader(source, plan), 0, undefined, 0);
      if (plan.names) writeSync(fd, plan.names.bytes, 0, plan.names.bytes.length, plan.names.offset);
      sections.forEach(({ data }, i) => writeSync(fd, data, 0, data.length, plan.placed[i]!.dataOffset));
      const table = sectionHeaderTable(source, plan);
      writeSync(fd, table, 0, table.length, plan.tableOffset);
    });
  } finally {
    source.close();
  }
}

function planLayout(source: FileSource, wanted: readonly SectionData[], options: WriteSectionOptions): Plan {
  const file = source.name;
  const header = readHeader(source);
  const { sections, shstrndx } = readSectionTable(source, header);
  if (sections.length === 0 || shstrndx === SHN.UNDEF) throw elfError("ELF_WRITE", file, "has no section header table or no section name table to add a section to");
  const existing = wanted.map(({ name }) => sections.find((s) => s.name === name));
  existing.forEach((s) => s && checkReplaceable(file, s, sections, shstrndx, options));
  const oldNames = source.read(sections[shstrndx]!.offset, sections[shstrndx]!.size, "the section name table").bytes;

  // New names: reuse a suffix already in the table, else append them to a grown copy.
  let grown = oldNames.length;
  const appended: string[] = [];
  const nameOffsets = wanted.map(({ name }, i) => {
    if (existing[i]) return -1;
    const found = findString(oldNames, name);
    if (found >= 0) return found;
    const at = grown;
    appended.push(name);
    grown += Buffer.byteLength(name) + 1;
    return at;
  });
  const growNames = appended.length > 0;

  const replaced = new Set(existing.filter((s): s is ElfSection => s !== undefined));
  let prefixEnd = ehdrLayout(header.is64).size;
  if (header.phnum > 0) prefixEnd = Math.max(prefixEnd, header.phoff + header.phnum * header.phentsize);
  for (const s of sections) {
    if (s.type === SHT.NULL || s.type === SHT.NOBITS || replaced.has(s) || (growNames && s.index === shstrndx)) continue;
    prefixEnd = Math.max(prefixEnd, s.offset + s.size);
  }
  // The grown name table goes before the data, so that replacing the data later finds it last in
  // the file and reuses its place instead of leaving a hole.
  let names: Plan["names"];
  if (growNames) {
    const bytes = new Uint8Array(grown);
    bytes.set(oldNames);
    let at = oldNames.length;
    for (const name of appended) {
      bytes.set(Buffer.from(name), at);
      at += Buffer.byteLength(name) + 1;
    }
    names = { bytes, offset: prefixEnd };
  }
  let end = prefixEnd + (names?.bytes.length ?? 0);
  let nextIndex = sections.length;
  const placed = wanted.map(({ data }, i): Placed => {
    const dataOffset = align(end, DATA_ALIGN);
    end = dataOffset + data.length;
    return { index: existing[i] ? existing[i]!.index : nextIndex++, nameOffset: nameOffsets[i]!, dataOffset, size: data.length };
  });
  const layout = shdrLayout(header.is64);
  const tableOffset = align(end, header.is64 ? 8 : 4);
  const count = nextIndex;
  const fileEnd = tableOffset + count * layout.size;
  if (!header.is64 && fileEnd > 0xffffffff) throw elfError("ELF_WRITE", file, `adding ${end - prefixEnd} bytes would make the ELF32 file larger than 4 GiB`);
  return { header, sections, shstrndx, prefixEnd, names, placed, count, tableOffset };
}

/** Only a plain section that nothing refers to can be swapped for new bytes (allocated ones on request). */
function checkReplaceable(file: string, s: ElfSection, sections: ElfSection[], shstrndx: number, options: WriteSectionOptions): void {
  const refuse = (why: string) => elfError("ELF_WRITE", file, `cannot replace: ${why}`, s.name);
  if ((s.flags & SHF.ALLOC) !== 0n && !options.replaceAllocated) throw refuse("it is allocated (part of the loaded image)");
  if ((s.flags & SHF.ALLOC) !== 0n && s.type !== SHT.PROGBITS) throw refuse("it is allocated and not PROGBITS");
  if ((s.flags & SHF.GROUP) !== 0n) throw refuse("it is a member of a section group");
  if (s.index === shstrndx) throw refuse("it is the section name table");
  const user = sections.find((o) => o.link === s.index || ((o.type === SHT.REL || o.type === SHT.RELA) && o.info === s.index));
  if (user && user.type !== SHT.NULL) throw refuse(`section [${user.index}] ${user.name} refers to it`);
}

/** Offset of `name` followed by NUL anywhere in the string table (a suffix of a longer name will do). */
function findString(table: Uint8Array, name: string): number {
  const needle = Buffer.from(`${name}\0`);
  return Buffer.from(table.buffer, table.byteOffset, table.byteLength).indexOf(needle);
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function patchedHeader(source: FileSource, plan: Plan): Uint8Array {
  const layout = ehdrLayout(plan.header.is64);
  const bytes = source.read(0, layout.size, "the ELF header").bytes;
  const fields = new Fields(bytes, plan.header.littleEndian);
  fields.set(0, layout.shoff, plan.tableOffset);
  fields.set(0, layout.shnum, plan.count >= SHN.LORESERVE ? 0 : plan.count);
  return bytes;
}

function sectionHeaderTable(source: FileSource, plan: Plan): Uint8Array {
  const { header, sections, count } = plan;
  const layout = shdrLayout(header.is64);
  const table = new Uint8Array(count * layout.size);
  table.set(source.read(header.shoff, sections.length * layout.size, "the section header table").bytes);
  const fields = new Fields(table, header.littleEndian);
  // Extended numbering: with 0xff00 sections or more, section 0's sh_size holds the count.
  fields.set(0, layout.size_, count >= SHN.LORESERVE ? count : 0);
  if (plan.names) {
    const base = plan.shstrndx * layout.size;
    fields.set(base, layout.offset, plan.names.offset);
    fields.set(base, layout.size_, plan.names.bytes.length);
  }
  for (const p of plan.placed) {
    const base = p.index * layout.size;
    if (p.nameOffset >= 0) fields.set(base, layout.name, p.nameOffset);
    fields.set(base, layout.type, SHT.PROGBITS);
    // A replaced allocated section keeps its address, flags and alignment (as libelf does for pahole).
    const keepPlacement = p.index < sections.length && (sections[p.index]!.flags & SHF.ALLOC) !== 0n;
    if (!keepPlacement) {
      fields.set(base, layout.flags, 0);
      fields.set(base, layout.addr, 0);
      fields.set(base, layout.addralign, NEW_SECTION_ALIGN);
    }
    fields.set(base, layout.offset, p.dataOffset);
    fields.set(base, layout.size_, p.size);
    fields.set(base, layout.link, 0);
    fields.set(base, layout.info, 0);
    fields.set(base, layout.entsize, 0);
  }
  return table;
}

function copyPrefix(source: FileSource, fd: number, end: number): void {
  const chunk = new Uint8Array(Math.min(COPY_CHUNK, Math.max(end, 1)));
  for (let at = 0; at < end; ) {
    const n = readSync(source.fd(), chunk, 0, Math.min(chunk.length, end - at), at);
    if (n === 0) throw elfError("ELF_TRUNCATED", source.name, "file ended while copying it", undefined, at);
    writeSync(fd, chunk, 0, n, at);
    at += n;
  }
}

/** Runs `fill` on a new temporary file, then renames it over `dstPath`; on any failure removes it. */
function writeAtomically(tmpPath: string, dstPath: string, mode: number, fill: (fd: number) => void): void {
  let fd: number | undefined;
  try {
    fd = openSync(tmpPath, "wx", mode);
    fill(fd);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmpPath, dstPath);
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(tmpPath);
    } catch {
      // The temporary file was never created, or is already gone.
    }
    if (e instanceof ElfError) throw e;
    throw elfError("ELF_WRITE", dstPath, `cannot write: ${(e as Error).message}`);
  }
}
