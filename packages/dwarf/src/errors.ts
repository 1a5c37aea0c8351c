// Every way DWARF bytes can be wrong, in one place: a code, and a message that names the file,
// the section and offset, and the unit and DIE when known.

export type DwarfErrorCode =
  | "DWARF_UNEXPECTED_END" // a read ran past the end of a section or unit
  | "DWARF_BAD_LEB128" // a LEB128 longer than any 64-bit value needs
  | "DWARF_VALUE_TOO_LARGE" // a value that does not fit where it is used (a number above 2^53)
  | "DWARF_UNIT_LENGTH" // a unit length that runs past its section, or a reserved length
  | "DWARF_BAD_VERSION" // a unit version outside 2..5
  | "DWARF_BAD_UNIT_TYPE" // a DWARF 5 unit type this reader does not know
  | "DWARF_BAD_ADDRESS_SIZE" // an address size other than 1, 2, 4 or 8
  | "DWARF_BAD_TYPE_OFFSET" // a type unit whose type offset is outside the unit
  | "DWARF_ABBREV_TRUNCATED" // an abbreviation table that runs off its section
  | "DWARF_BAD_ABBREV" // an abbreviation with an impossible code, tag, children flag, attribute or form
  | "DWARF_ABBREV_DUPLICATE" // two abbreviations with the same code in one table
  | "DWARF_ABBREV_MISSING" // a DIE whose abbreviation code is not in its unit's table
  | "DWARF_UNKNOWN_FORM" // an attribute form this reader does not know
  | "DWARF_BAD_INDIRECT" // DW_FORM_indirect naming a form that cannot be indirect
  | "DWARF_DEPTH_OVERFLOW" // a DIE tree nested deeper than any real program needs
  | "DWARF_REF_OUT_OF_UNIT" // a unit-relative reference outside its unit
  | "DWARF_REF_OUT_OF_SECTION" // a section-relative reference or offset outside its section
  | "DWARF_UNKNOWN_SIGNATURE" // DW_FORM_ref_sig8 naming a type unit that is not present
  | "DWARF_MISSING_SECTION"; // a form that needs a section the file does not have

export interface DwarfLocation {
  /** The file the sections came from, when the loader named it. */
  file?: string;
  /** Section name without the leading dot, e.g. "debug_info". */
  section?: string;
  /** Byte offset in that section. */
  offset?: number;
  /** Section offset of the unit header. */
  unit?: number;
  /** Section offset of the DIE. */
  die?: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

function where(loc: DwarfLocation): string {
  let s = loc.file !== undefined ? `${loc.file}: ` : "";
  if (loc.section !== undefined) s += `.${loc.section}`;
  if (loc.offset !== undefined) s += `+${hex(loc.offset)}`;
  const ctx: string[] = [];
  if (loc.unit !== undefined) ctx.push(`unit ${hex(loc.unit)}`);
  if (loc.die !== undefined) ctx.push(`DIE ${hex(loc.die)}`);
  if (ctx.length > 0) s += ` (${ctx.join(", ")})`;
  return s;
}

export class DwarfError extends Error {
  override readonly name = "DwarfError";
  constructor(
    readonly code: DwarfErrorCode,
    detail: string,
    readonly location: DwarfLocation,
  ) {
    super(`${where(location)}: ${detail}`);
  }
}

/** The context a reader adds to every error it raises. */
export interface ErrorContext {
  file?: string;
  section: string;
  unit?: number;
  die?: number;
}

export function dwarfError(code: DwarfErrorCode, ctx: ErrorContext, offset: number, detail: string): DwarfError {
  return new DwarfError(code, detail, {
    file: ctx.file,
    section: ctx.section,
    offset,
    unit: ctx.unit,
    die: ctx.die,
  });
}
