// One file's DWARF: the sections a loader handed over, the unit headers, the shared abbreviation
// tables and the type unit index. Knows nothing of ELF.
import { type AbbrevTable, parseAbbrevTable } from "./abbrev.js";
import { DW_AT } from "./constants/index.js";
import { type CursorContext, DieCursor } from "./cursor.js";
import { IndexedSection } from "./indexed.js";
import { ByteReader } from "./reader.js";
import { StringSection } from "./strings.js";
import { Unit, type UnitBases, type UnitHeader, type UnitSection, parseUnitHeaders } from "./unit.js";

/** Section contents by name, without the leading dot. */
export interface DwarfSections {
  debug_info?: Uint8Array;
  debug_abbrev?: Uint8Array;
  debug_str?: Uint8Array;
  debug_line_str?: Uint8Array;
  debug_str_offsets?: Uint8Array;
  debug_addr?: Uint8Array;
  debug_types?: Uint8Array;
  debug_rnglists?: Uint8Array;
  debug_ranges?: Uint8Array;
  debug_loclists?: Uint8Array;
  debug_loc?: Uint8Array;
}

export interface DwarfFileOptions {
  littleEndian: boolean;
  /** The file the sections came from, for messages. */
  name?: string;
}

export class DwarfFile {
  readonly name: string | undefined;
  readonly littleEndian: boolean;
  readonly sections: Readonly<DwarfSections>;
  private readonly info: ByteReader | undefined;
  private readonly types: ByteReader | undefined;
  private readonly abbrev: ByteReader | undefined;
  private readonly context: CursorContext;
  private readonly abbrevTables = new Map<number, AbbrevTable>();
  private unitList: readonly Unit[] | undefined;
  private signatures: Map<bigint, Unit> | undefined;

  constructor(sections: DwarfSections, options: DwarfFileOptions) {
    this.name = options.name;
    this.littleEndian = options.littleEndian;
    this.sections = sections;
    const reader = (name: keyof DwarfSections) => {
      const bytes = sections[name];
      return bytes === undefined ? undefined : new ByteReader(bytes, name, options.littleEndian, options.name);
    };
    this.info = reader("debug_info");
    this.types = reader("debug_types");
    this.abbrev = reader("debug_abbrev");
    const str = reader("debug_str");
    const lineStr = reader("debug_line_str");
    this.context = {
      debugStr: str && new StringSection(str),
      debugLineStr: lineStr && new StringSection(lineStr),
      strOffsets: new IndexedSection("debug_str_offsets", reader("debug_str_offsets"), 4),
      addresses: new IndexedSection("debug_addr", reader("debug_addr"), 4),
      rnglists: new IndexedSection("debug_rnglists", reader("debug_rnglists"), 8),
      loclists: new IndexedSection("debug_loclists", reader("debug_loclists"), 8),
      infoLength: sections.debug_info?.length ?? 0,
      typeUnitBySignature: (sig) => this.typeUnitBySignature(sig),
      unitAt: (section, offset) => this.unitAt(section, offset),
    };
  }

  /** Every unit of .debug_info, then of .debug_types: headers only. */
  units(): readonly UnitHeader[] {
    return this.ownUnits();
  }

  private ownUnits(): readonly Unit[] {
    if (this.unitList === undefined) {
      const resolve = (unit: Unit) => this.resolveBases(unit);
      const info = this.info ? parseUnitHeaders(this.info, "debug_info", 0, resolve) : [];
      const types = this.types ? parseUnitHeaders(this.types, "debug_types", info.length, resolve) : [];
      this.unitList = Object.freeze([...info, ...types]);
    }
    return this.unitList;
  }

  /** A cursor over one unit's DIEs, before its root DIE (call next() first). */
  cursor(unit: UnitHeader): DieCursor {
    const own = this.ownUnits()[unit.index];
    if (own !== unit) throw new TypeError("DwarfFile.cursor: the unit does not belong to this file");
    const r = this.sectionReader(own.section).fork();
    return new DieCursor(this.context, own, r, this.abbrevTable(own, r));
  }

  /** The type unit (.debug_types, or DW_UT_type / DW_UT_split_type in .debug_info) with this signature. */
  typeUnitBySignature(signature: bigint): UnitHeader | undefined {
    if (this.signatures === undefined) {
      const map = new Map<bigint, Unit>();
      for (const u of this.ownUnits()) {
        if (u.typeSignature !== undefined && !map.has(u.typeSignature)) map.set(u.typeSignature, u);
      }
      this.signatures = map;
    }
    return this.signatures.get(signature);
  }

  /** The unit of `section` whose bytes contain `offset`. */
  unitAt(section: UnitSection, offset: number): UnitHeader | undefined {
    // units() holds .debug_info then .debug_types, each by offset, so (section, offset) is sorted.
    const units = this.units();
    let lo = 0;
    let hi = units.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const u = units[mid];
      if (u.section < section || (u.section === section && u.end <= offset)) lo = mid + 1;
      else if (u.section > section || u.offset > offset) hi = mid - 1;
      else return u;
    }
    return undefined;
  }

  /** Entry `index` of .debug_addr for `unit` (DW_OP_addrx); errors are located at the unit. */
  address(unit: UnitHeader, index: number): bigint {
    const r = this.sectionReader(unit.section).fork();
    r.unit = unit.offset;
    return this.context.addresses.addressAt(unit.addrBase, index, unit.addressSize, r, unit.offset);
  }

  private sectionReader(section: UnitSection): ByteReader {
    return (section === "debug_info" ? this.info : this.types)!;
  }

  private abbrevTable(unit: Unit, r: ByteReader): AbbrevTable {
    let table = this.abbrevTables.get(unit.abbrevOffset);
    if (table === undefined) {
      if (this.abbrev === undefined) r.fail("DWARF_MISSING_SECTION", unit.offset, "unit needs .debug_abbrev, which is missing");
      this.abbrev.unit = unit.offset;
      table = parseAbbrevTable(this.abbrev, unit.abbrevOffset);
      this.abbrevTables.set(unit.abbrevOffset, table);
    }
    return table;
  }

  /** Reads the base attributes of a unit's root DIE; DWARF 5 units without one use the section default. */
  private resolveBases(unit: Unit): UnitBases {
    const c = this.cursor(unit);
    const root = c.next();
    const base = (at: number, fallback: number) => (root ? c.uint(at) : undefined) ?? fallback;
    const v5 = unit.version >= 5;
    const ctx = this.context;
    return {
      strOffsetsBase: base(DW_AT.str_offsets_base, v5 ? ctx.strOffsets.defaultBase() : 0),
      addrBase: base(DW_AT.addr_base, base(DW_AT.GNU_addr_base, v5 ? ctx.addresses.defaultBase() : 0)),
      rnglistsBase: base(DW_AT.rnglists_base, v5 ? ctx.rnglists.defaultBase() : 0),
      loclistsBase: base(DW_AT.loclists_base, v5 ? ctx.loclists.defaultBase() : 0),
    };
  }
}
