// Unit headers of .debug_info and .debug_types (DWARF 2–5, 32- and 64-bit), read without
// touching the DIEs. The bases a unit's root DIE sets (str_offsets, addr, rnglists, loclists)
// are resolved on first use.
import { DW_UT } from "./constants/index.js";
import type { Encoding } from "./forms.js";
import type { ByteReader } from "./reader.js";

export type UnitSection = "debug_info" | "debug_types";

export interface UnitHeader extends Encoding {
  readonly section: UnitSection;
  /** Position of this unit in DwarfFile.units(). */
  readonly index: number;
  /** Section offset of the unit header. */
  readonly offset: number;
  /** The unit_length field: bytes after the length field itself. */
  readonly length: number;
  /** Section offset just past the unit. */
  readonly end: number;
  readonly version: number;
  /** DW_UT_*; for DWARF 2–4, DW_UT_compile in .debug_info and DW_UT_type in .debug_types. */
  readonly unitType: number;
  readonly addressSize: number;
  readonly offsetSize: 4 | 8;
  readonly abbrevOffset: number;
  /** Section offset of the root DIE. */
  readonly firstDieOffset: number;
  /** Type units only: the signature DW_FORM_ref_sig8 names, and the type DIE's unit-relative offset. */
  readonly typeSignature?: bigint;
  readonly typeOffset?: number;
  /** Skeleton and split compile units (DWARF 5) only. */
  readonly dwoId?: bigint;
  /** Where this unit's entries start in .debug_str_offsets (DW_AT_str_offsets_base, or the default). */
  readonly strOffsetsBase: number;
  /** Where this unit's entries start in .debug_addr (DW_AT_addr_base / DW_AT_GNU_addr_base, or the default). */
  readonly addrBase: number;
  /** Where this unit's offset table starts in .debug_rnglists (DW_AT_rnglists_base, or the default). */
  readonly rnglistsBase: number;
  /** Where this unit's offset table starts in .debug_loclists (DW_AT_loclists_base, or the default). */
  readonly loclistsBase: number;
}

export interface UnitBases {
  strOffsetsBase: number;
  addrBase: number;
  rnglistsBase: number;
  loclistsBase: number;
}

/** The header fields, as parsed. */
interface HeaderFields {
  section: UnitSection;
  index: number;
  offset: number;
  length: number;
  end: number;
  version: number;
  unitType: number;
  addressSize: number;
  offsetSize: 4 | 8;
  abbrevOffset: number;
  firstDieOffset: number;
  typeSignature?: bigint;
  typeOffset?: number;
  dwoId?: bigint;
}

export class Unit implements UnitHeader {
  readonly section: UnitSection;
  readonly index: number;
  readonly offset: number;
  readonly length: number;
  readonly end: number;
  readonly version: number;
  readonly unitType: number;
  readonly addressSize: number;
  readonly offsetSize: 4 | 8;
  readonly abbrevOffset: number;
  readonly firstDieOffset: number;
  readonly typeSignature?: bigint;
  readonly typeOffset?: number;
  readonly dwoId?: bigint;
  private bases: UnitBases | undefined;

  constructor(
    fields: HeaderFields,
    private readonly resolveBases: (unit: Unit) => UnitBases,
  ) {
    this.section = fields.section;
    this.index = fields.index;
    this.offset = fields.offset;
    this.length = fields.length;
    this.end = fields.end;
    this.version = fields.version;
    this.unitType = fields.unitType;
    this.addressSize = fields.addressSize;
    this.offsetSize = fields.offsetSize;
    this.abbrevOffset = fields.abbrevOffset;
    this.firstDieOffset = fields.firstDieOffset;
    if (fields.typeSignature !== undefined) this.typeSignature = fields.typeSignature;
    if (fields.typeOffset !== undefined) this.typeOffset = fields.typeOffset;
    if (fields.dwoId !== undefined) this.dwoId = fields.dwoId;
  }

  private get resolved(): UnitBases {
    return (this.bases ??= this.resolveBases(this));
  }
  get strOffsetsBase(): number {
    return this.resolved.strOffsetsBase;
  }
  get addrBase(): number {
    return this.resolved.addrBase;
  }
  get rnglistsBase(): number {
    return this.resolved.rnglistsBase;
  }
  get loclistsBase(): number {
    return this.resolved.loclistsBase;
  }
}

/** Reads an initial length: [value, size of the length field, offset size]. */
export function initialLength(r: ByteReader, pos: number, limit: number, what: string): [number, number, 4 | 8] {
  r.need(pos, 4, limit, `${what} length`);
  const length32 = r.u32(pos);
  if (length32 < 0xfffffff0) return [length32, 4, 4];
  if (length32 !== 0xffffffff) r.fail("DWARF_UNIT_LENGTH", pos, `${what} has reserved length 0x${length32.toString(16)}`);
  r.need(pos + 4, 8, limit, `${what} 64-bit length`);
  return [r.u64(pos + 4), 12, 8];
}

/** Parses every unit header of one section; `firstIndex` numbers them after earlier sections' units. */
export function parseUnitHeaders(
  r: ByteReader,
  section: UnitSection,
  firstIndex: number,
  resolveBases: (unit: Unit) => UnitBases,
): Unit[] {
  const units: Unit[] = [];
  const size = r.length;
  let pos = 0;
  while (pos < size) {
    r.unit = pos;
    const fields = parseHeader(r, section, pos, firstIndex + units.length);
    units.push(new Unit(fields, resolveBases));
    pos = fields.end;
  }
  r.unit = undefined;
  return units;
}

function parseHeader(r: ByteReader, section: UnitSection, offset: number, index: number): HeaderFields {
  const [length, lengthSize, offsetSize] = initialLength(r, offset, r.length, "unit");
  const end = offset + lengthSize + length;
  if (end > r.length) {
    r.fail("DWARF_UNIT_LENGTH", offset, `unit length 0x${length.toString(16)} runs past the end of the section (0x${r.length.toString(16)} bytes)`);
  }
  let pos = offset + lengthSize;
  r.need(pos, 2, end, "unit version");
  const version = r.u16(pos);
  pos += 2;
  if (version < 2 || version > 5 || (section === "debug_types" && version !== 4)) {
    r.fail("DWARF_BAD_VERSION", offset + lengthSize, `unsupported DWARF version ${version} in .${section}`);
  }
  const fields: HeaderFields = {
    section, index, offset, length, end, version, offsetSize,
    unitType: section === "debug_types" ? DW_UT.type : DW_UT.compile,
    addressSize: 0, abbrevOffset: 0, firstDieOffset: 0,
  };
  if (version >= 5) {
    r.need(pos, 2 + offsetSize, end, "unit header");
    fields.unitType = r.u8(pos);
    fields.addressSize = r.u8(pos + 1);
    fields.abbrevOffset = r.uint(pos + 2, offsetSize);
    pos += 2 + offsetSize;
  } else {
    r.need(pos, offsetSize + 1, end, "unit header");
    fields.abbrevOffset = r.uint(pos, offsetSize);
    fields.addressSize = r.u8(pos + offsetSize);
    pos += offsetSize + 1;
  }
  switch (fields.unitType) {
    case DW_UT.compile:
    case DW_UT.partial:
      break;
    case DW_UT.skeleton:
    case DW_UT.split_compile:
      r.need(pos, 8, end, "unit DWO id");
      fields.dwoId = r.u64big(pos);
      pos += 8;
      break;
    case DW_UT.type:
    case DW_UT.split_type: {
      r.need(pos, 8 + offsetSize, end, "type unit header");
      fields.typeSignature = r.u64big(pos);
      const typeOffset = r.uint(pos + 8, offsetSize);
      pos += 8 + offsetSize;
      if (typeOffset < pos - offset || offset + typeOffset >= end) {
        r.fail("DWARF_BAD_TYPE_OFFSET", offset, `type offset 0x${typeOffset.toString(16)} is outside the unit`);
      }
      fields.typeOffset = typeOffset;
      break;
    }
    default:
      r.fail("DWARF_BAD_UNIT_TYPE", offset, `unknown unit type 0x${fields.unitType.toString(16)}`);
  }
  const a = fields.addressSize;
  if (a !== 1 && a !== 2 && a !== 4 && a !== 8) r.fail("DWARF_BAD_ADDRESS_SIZE", offset, `address size ${a}`);
  fields.firstDieOffset = pos;
  return fields;
}
