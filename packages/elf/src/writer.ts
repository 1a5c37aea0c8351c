// Writes a copy of an ELF file with one non-allocated SHT_PROGBITS section added or replaced (as
// `pahole -J` adds ".BTF"). Every other section keeps its bytes and its file offset: the file is
// copied up to the end of the last section still in use, then a grown section name table when the
// name is new, the new section's data, and a new section header table are appended. Nothing
// allocated moves, so program headers stay valid. The copy is written to a temporary file in the
// destination's folder and renamed over the destination, so no reader ever sees half a file.
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

/** Where each part of the new file goes. */
interface Plan {
  header: ElfHeader;
  sections: ElfSection[];
  shstrndx: number;
  /** Bytes of the source copied unchanged (apart from the ELF header fields patched afterwards). */
  prefixEnd: number;
  dataOffset: number;
  /** The section name table, when it had to grow to hold the new name. */
  names?: { bytes: Uint8Array; offset: number };
  nameOffset: number;
  tableOffset: number;
  /** Index of the added or replaced section. */
  target: number;
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
  if (sectionName === "" || sectionName.includes("\0")) throw elfError("ELF_WRITE", dstPath, `invalid section name ${JSON.stringify(sectionName)}`);
  const source = new FileSource(srcPath);
  try {
    const plan = planLayout(source, sectionName, data.length, options);
    const tmpPath = join(dirname(dstPath), `.${basename(dstPath)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    writeAtomically(tmpPath, dstPath, fstatSync(source.fd()).mode & 0o7777, (fd) => {
      copyPrefix(source, fd, plan.prefixEnd);
      writeSync(fd, patchedHeader(source, plan), 0, undefined, 0);
      writeSync(fd, data, 0, data.length, plan.dataOffset);
      if (plan.names) writeSync(fd, plan.names.bytes, 0, plan.names.bytes.length, plan.names.offset);
      const table = sectionHeaderTable(source, plan, data.length);
      writeSync(fd, table, 0, table.length, plan.tableOffset);
    });
  } finally {
    source.close();
  }
}

function planLayout(source: FileSource, name: string, dataSize: number, options: WriteSectionOptions): Plan {
  const file = source.name;
  const header = readHeader(source);
  const { sections, shstrndx } = readSectionTable(source, header);
  if (sections.length === 0 || shstrndx === SHN.UNDEF) throw elfError("ELF_WRITE", file, "has no section header table or no section name table to add a section to");
  const existing = sections.find((s) => s.name === name);
  if (existing) checkReplaceable(file, existing, sections, shstrndx, options);
  const oldNames = source.read(sections[shstrndx]!.offset, sections[shstrndx]!.size, "the section name table").bytes;
  const nameOffset = existing ? -1 : findString(oldNames, name);
  const growNames = !existing && nameOffset < 0;

  let prefixEnd = ehdrLayout(header.is64).size;
  if (header.phnum > 0) prefixEnd = Math.max(prefixEnd, header.phoff + header.phnum * header.phentsize);
  for (const s of sections) {
    if (s.type === SHT.NULL || s.type === SHT.NOBITS || s === existing || (growNames && s.index === shstrndx)) continue;
    prefixEnd = Math.max(prefixEnd, s.offset + s.size);
  }
  // The grown name table goes before the data, so that replacing the data later finds it last in
  // the file and reuses its place instead of leaving a hole.
  let names: Plan["names"];
  if (growNames) {
    const bytes = new Uint8Array(oldNames.length + Buffer.byteLength(name) + 1);
    bytes.set(oldNames);
    bytes.set(Buffer.from(name), oldNames.length);
    names = { bytes, offset: prefixEnd };
  }
  const dataOffset = align(prefixEnd + (names?.bytes.length ?? 0), DATA_ALIGN);
  const end = dataOffset + dataSize;
  const layout = shdrLayout(header.is64);
  const tableOffset = align(end, header.is64 ? 8 : 4);
  const count = sections.length + (existing ? 0 : 1);
  const fileEnd = tableOffset + count * layout.size;
  if (!header.is64 && fileEnd > 0xffffffff) throw elfError("ELF_WRITE", file, `adding ${dataSize} bytes would make the ELF32 file larger than 4 GiB`);
  return {
    header,
    sections,
    shstrndx,
    prefixEnd,
    dataOffset,
    names,
    nameOffset: existing ? -1 : growNames ? oldNames.length : nameOffset,
    tableOffset,
    target: existing ? existing.index : sections.length,
  };
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
  const count = plan.sections.length + (plan.target === plan.sections.length ? 1 : 0);
  fields.set(0, layout.shoff, plan.tableOffset);
  fields.set(0, layout.shnum, count >= SHN.LORESERVE ? 0 : count);
  return bytes;
}

function sectionHeaderTable(source: FileSource, plan: Plan, dataSize: number): Uint8Array {
  const { header, sections } = plan;
  const layout = shdrLayout(header.is64);
  const count = sections.length + (plan.target === sections.length ? 1 : 0);
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
  const base = plan.target * layout.size;
  if (plan.nameOffset >= 0) fields.set(base, layout.name, plan.nameOffset);
  fields.set(base, layout.type, SHT.PROGBITS);
  // A replaced allocated section keeps its address, flags and alignment (as libelf does for pahole).
  const keepPlacement = plan.target < sections.length && (sections[plan.target]!.flags & SHF.ALLOC) !== 0n;
  if (!keepPlacement) {
    fields.set(base, layout.flags, 0);
    fields.set(base, layout.addr, 0);
    fields.set(base, layout.addralign, NEW_SECTION_ALIGN);
  }
  fields.set(base, layout.offset, plan.dataOffset);
  fields.set(base, layout.size_, dataSize);
  fields.set(base, layout.link, 0);
  fields.set(base, layout.info, 0);
  fields.set(base, layout.entsize, 0);
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
