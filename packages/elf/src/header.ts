// The ELF file header: class, byte order, type, machine, and where the section header table is.
import { EHDR_IDENT_SIZE, Fields, ehdrLayout } from "./layout.js";
import { elfError } from "./errors.js";
import type { ByteSource } from "./source.js";

export interface ElfHeader {
  readonly is64: boolean;
  readonly littleEndian: boolean;
  readonly type: number;
  readonly machine: number;
  /** File offset of the section header table, 0 when there is none. */
  readonly shoff: number;
  readonly shentsize: number;
  /** e_shnum as stored: 0 means "see section 0's sh_size" when shoff is not 0. */
  readonly shnum: number;
  /** e_shstrndx as stored: SHN_XINDEX means "see section 0's sh_link". */
  readonly shstrndx: number;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
}

const ELFMAG = [0x7f, 0x45, 0x4c, 0x46];
const EI_CLASS = 4;
const EI_DATA = 5;
const EI_VERSION = 6;

export function readHeader(source: ByteSource): ElfHeader {
  const file = source.name;
  const ident = source.read(0, Math.min(source.size, EHDR_IDENT_SIZE), "the ELF identification").bytes;
  if (ident.length < ELFMAG.length || ELFMAG.some((b, i) => ident[i] !== b)) {
    throw elfError("ELF_NOT_ELF", file, "not an ELF file (no \\x7fELF magic at offset 0)");
  }
  if (ident.length < EHDR_IDENT_SIZE) {
    throw elfError("ELF_TRUNCATED", file, `file is ${source.size} bytes, shorter than the ELF identification`);
  }
  const cls = ident[EI_CLASS]!;
  const data = ident[EI_DATA]!;
  if (cls !== 1 && cls !== 2) throw elfError("ELF_NOT_ELF", file, `bad ELF class ${cls} (EI_CLASS, expected 1 or 2)`, undefined, EI_CLASS);
  if (data !== 1 && data !== 2) throw elfError("ELF_NOT_ELF", file, `bad ELF data encoding ${data} (EI_DATA, expected 1 or 2)`, undefined, EI_DATA);
  if (ident[EI_VERSION] !== 1) throw elfError("ELF_NOT_ELF", file, `bad ELF version ${ident[EI_VERSION]} (EI_VERSION, expected 1)`, undefined, EI_VERSION);
  const is64 = cls === 2;
  const littleEndian = data === 1;
  const layout = ehdrLayout(is64);
  if (source.size < layout.size) {
    throw elfError("ELF_TRUNCATED", file, `file is ${source.size} bytes, shorter than the ${layout.size}-byte ELF header`);
  }
  const fields = new Fields(source.read(0, layout.size, "the ELF header").bytes, littleEndian);
  const phnum = fields.small(0, layout.phnum);
  const offsetField = (name: "shoff" | "phoff"): number => {
    const v = fields.big(0, layout[name]);
    // Without program headers e_phoff means nothing, and some tools leave garbage there.
    if (name === "phoff" && phnum === 0) return 0;
    if (v > BigInt(source.size)) {
      throw elfError("ELF_TRUNCATED", file, `e_${name} 0x${v.toString(16)} is past the end of the file (${source.size} bytes)`, undefined, layout[name].at);
    }
    return Number(v);
  };
  return {
    is64,
    littleEndian,
    type: fields.small(0, layout.type),
    machine: fields.small(0, layout.machine),
    shoff: offsetField("shoff"),
    shentsize: fields.small(0, layout.shentsize),
    shnum: fields.small(0, layout.shnum),
    shstrndx: fields.small(0, layout.shstrndx),
    phoff: offsetField("phoff"),
    phentsize: fields.small(0, layout.phentsize),
    phnum,
  };
}
