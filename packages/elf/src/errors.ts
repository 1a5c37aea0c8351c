// Every way an ELF file can be wrong or unusable, in one place: a code, and a one-line message that
// names the file and the place (section, offset) where the problem was found.

export type ElfErrorCode =
  | "ELF_IO" // the file could not be opened or read
  | "ELF_NOT_ELF" // no ELF magic, or a class/encoding/version byte no ELF file has
  | "ELF_TRUNCATED" // a header, table or section runs past the end of the file
  | "ELF_BAD_HEADER" // a header field with an impossible value (entry size, index)
  | "ELF_BAD_COUNT" // a count or size too large to be real
  | "ELF_BAD_SECTION" // a section header that contradicts itself or its links
  | "ELF_BAD_SYMBOL" // a symbol table entry that cannot be read (name or index out of range)
  | "ELF_COMPRESSION" // a compressed section that cannot be decompressed to its declared size
  | "ELF_RELOCATION" // a relocation that cannot be applied (offset out of range, bad symbol)
  | "ELF_UNKNOWN_RELOCATION" // a relocation type this reader does not know for the machine
  | "ELF_WRITE"; // writing a new ELF file failed

export interface ElfLocation {
  file: string;
  /** Section name, with its leading dot, when the problem is inside or about one section. */
  section?: string;
  /** Byte offset: in the file when no section is named, else in that section. */
  offset?: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

function where(loc: ElfLocation): string {
  let s = loc.file;
  if (loc.section !== undefined) s += `: section ${loc.section}`;
  if (loc.offset !== undefined) s += loc.section !== undefined ? `+${hex(loc.offset)}` : `: offset ${hex(loc.offset)}`;
  return s;
}

export class ElfError extends Error {
  override readonly name = "ElfError";
  constructor(
    readonly code: ElfErrorCode,
    detail: string,
    readonly location: ElfLocation,
  ) {
    super(`${where(location)}: ${detail}`);
  }
}

export function elfError(code: ElfErrorCode, file: string, detail: string, section?: string, offset?: number): ElfError {
  return new ElfError(code, detail, { file, section, offset });
}

export { hex };
