// Walking one unit's DIE tree in pre-order with a single reusable scratch DIE: the current DIE is
// just an offset, an abbreviation entry and a depth. Attributes are not decoded while walking;
// a DIE whose forms are all fixed-size is stepped over with one addition, the others by form.
import type { AbbrevTable } from "./abbrev.js";
import { DW_AT, DW_FORM, formName } from "./constants/index.js";
import { UNKNOWN_FORM, resolveIndirect, skipVariable } from "./forms.js";
import type { ByteReader } from "./reader.js";
import type { Unit } from "./unit.js";

/** Deeper nesting than any compiler emits; a bound so a corrupt tree cannot run the depth away. */
export const MAX_DIE_DEPTH = 4096;

export class DieWalker {
  /** Section offset of the current DIE (-1 before the first next()). */
  offset = -1;
  /** DW_TAG_* of the current DIE. */
  tag = 0;
  /** Nesting depth of the current DIE: 0 for the unit's root (or for a DIE reached by seek()). */
  depth = 0;
  hasChildren = false;

  protected readonly r: ByteReader;
  protected readonly bytes: Uint8Array;
  protected readonly unitEnd: number;
  protected readonly table: AbbrevTable;
  private readonly entrySize: Int32Array;
  private readonly specSize: Int8Array;
  private readonly specOffset: Int32Array;
  protected readonly attrStart: Uint32Array;
  protected readonly attrName: Uint32Array;
  protected readonly attrForm: Uint32Array;

  /** Abbreviation entry of the current DIE, or -1 when there is none. */
  protected entry = -1;
  /** Position of the current DIE's first attribute. */
  private attrs = 0;
  /** Position just past the current DIE's attributes, or -1 until it is known. */
  private attrsEnd = -1;
  /** Where next() continues after skipChildren(), or -1. */
  private resume = -1;
  /** Where the first next() starts; -1 once the walk has ended. */
  private start: number;
  /** Positions of the current DIE's attributes, filled by walkAttributes(). */
  private readonly specPos: Int32Array;
  private specPosFor = -1;

  /** What locate() found: the spec, its form (indirect resolved) and the value's position. */
  protected vspec = 0;
  protected vform = 0;
  protected vpos = 0;

  constructor(
    readonly unit: Unit,
    reader: ByteReader,
    table: AbbrevTable,
  ) {
    this.r = reader;
    this.r.unit = unit.offset;
    this.bytes = reader.bytes;
    this.unitEnd = unit.end;
    this.table = table;
    const layout = table.layout(unit);
    this.entrySize = layout.entrySize;
    this.specSize = layout.specSize;
    this.specOffset = layout.specOffset;
    this.attrStart = table.attrStart;
    this.attrName = table.attrName;
    this.attrForm = table.attrForm;
    this.specPos = new Int32Array(table.maxAttrs);
    this.start = unit.firstDieOffset;
  }

  /** Advances to the next DIE in pre-order; null entries are consumed here. False at the unit's end. */
  next(): boolean {
    let pos: number;
    let level: number;
    if (this.entry >= 0) {
      if (this.resume >= 0) {
        pos = this.resume;
        level = this.depth;
      } else {
        pos = this.attrsEnd >= 0 ? this.attrsEnd : this.walkAttributes();
        level = this.hasChildren ? this.depth + 1 : this.depth;
      }
    } else if (this.start >= 0) {
      pos = this.start;
      level = 0;
    } else {
      return false;
    }
    const bytes = this.bytes;
    const end = this.unitEnd;
    while (pos < end) {
      const dieOffset = pos;
      let code = bytes[pos];
      if (code < 0x80) pos++;
      else {
        code = this.r.uleb(pos, end);
        pos = this.r.after;
      }
      if (code === 0) {
        // A null entry closes a sibling list; one at depth 0 is padding after the root.
        if (level > 0) level--;
        continue;
      }
      this.enter(dieOffset, code, pos, level);
      return true;
    }
    // Units may end without the trailing null entries; the walk just stops.
    this.entry = -1;
    this.start = -1;
    return false;
  }

  /** Makes the DIE at `dieOffset` (abbreviation `code`, attributes at `pos`) current. */
  private enter(dieOffset: number, code: number, pos: number, level: number): void {
    const r = this.r;
    r.die = dieOffset;
    if (level > MAX_DIE_DEPTH) r.fail("DWARF_DEPTH_OVERFLOW", dieOffset, `DIE nested deeper than ${MAX_DIE_DEPTH}`);
    const entry = this.table.entry(code);
    if (entry < 0) {
      r.fail("DWARF_ABBREV_MISSING", dieOffset, `abbreviation code ${code} is not in the table at .debug_abbrev+0x${this.table.offset.toString(16)}`);
    }
    this.offset = dieOffset;
    this.entry = entry;
    this.tag = this.table.tag[entry];
    this.hasChildren = this.table.hasChildren[entry] !== 0;
    this.depth = level;
    this.attrs = pos;
    this.resume = -1;
    const size = this.entrySize[entry];
    if (size >= 0) {
      this.attrsEnd = pos + size;
      if (this.attrsEnd > this.unitEnd) r.fail("DWARF_UNEXPECTED_END", dieOffset, "DIE runs past the end of its unit");
    } else {
      this.attrsEnd = -1;
    }
  }

  /** Moves to the DIE at a section offset inside this unit; its depth becomes 0. */
  seek(dieOffset: number): void {
    const r = this.r;
    if (!Number.isInteger(dieOffset) || dieOffset < this.unit.firstDieOffset || dieOffset >= this.unitEnd) {
      r.fail("DWARF_REF_OUT_OF_UNIT", dieOffset, `no DIE of unit 0x${this.unit.offset.toString(16)} at this offset`);
    }
    const code = r.uleb(dieOffset, this.unitEnd);
    if (code === 0) r.fail("DWARF_REF_OUT_OF_UNIT", dieOffset, "offset names a null entry, not a DIE");
    this.enter(dieOffset, code, r.after, 0);
  }

  /** Skips the current DIE's subtree: through DW_AT_sibling when present, else by walking it. */
  skipChildren(): void {
    if (this.entry < 0 || !this.hasChildren || this.resume >= 0) return;
    const sibling = this.table.siblingSpec[this.entry];
    if (sibling >= 0) {
      const target = this.siblingTarget();
      if (target >= 0) {
        this.resume = target;
        return;
      }
    }
    this.resume = this.skipSubtree(this.attrsEnd >= 0 ? this.attrsEnd : this.walkAttributes());
  }

  /** DW_AT_sibling's target when it is a usable forward offset inside the unit, else -1. */
  private siblingTarget(): number {
    if (!this.locate(DW_AT.sibling)) return -1;
    const rel = this.unitRefValue(this.vform, this.vpos);
    if (rel < 0) return -1;
    const target = this.unit.offset + rel;
    // Only forward targets guarantee progress; anything else falls back to the walk.
    const after = this.attrsEnd >= 0 ? this.attrsEnd : this.walkAttributes();
    return target >= after && target <= this.unitEnd ? target : -1;
  }

  /** The unit-relative offset a ref1/2/4/8/ref_udata value at `p` holds, or -1 for any other form. */
  protected unitRefValue(form: number, p: number): number {
    const r = this.r;
    switch (form) {
      case DW_FORM.ref1:
        return r.u8(p);
      case DW_FORM.ref2:
        return r.u16(p);
      case DW_FORM.ref4:
        return r.u32(p);
      case DW_FORM.ref8:
        return r.u64(p);
      case DW_FORM.ref_udata:
        return r.uleb(p, this.unitEnd);
      default:
        return -1;
    }
  }

  /** From `pos` inside a children list, the position just past the null entry that closes it. */
  private skipSubtree(pos: number): number {
    const bytes = this.bytes;
    const end = this.unitEnd;
    const table = this.table;
    let level = 1;
    while (pos < end) {
      const dieOffset = pos;
      let code = bytes[pos];
      if (code < 0x80) pos++;
      else {
        code = this.r.uleb(pos, end);
        pos = this.r.after;
      }
      if (code === 0) {
        if (--level === 0) return pos;
        continue;
      }
      const entry = table.entry(code);
      if (entry < 0) {
        this.r.fail("DWARF_ABBREV_MISSING", dieOffset, `abbreviation code ${code} is not in the table at .debug_abbrev+0x${table.offset.toString(16)}`);
      }
      const size = this.entrySize[entry];
      pos = size >= 0 ? pos + size : this.skipAttributes(entry, pos, dieOffset);
      if (table.hasChildren[entry] !== 0 && ++level + this.depth > MAX_DIE_DEPTH) {
        this.r.fail("DWARF_DEPTH_OVERFLOW", dieOffset, `DIE nested deeper than ${MAX_DIE_DEPTH}`);
      }
    }
    return end;
  }

  /** The position just past the attributes of a DIE of `entry` starting at `pos`. */
  private skipAttributes(entry: number, pos: number, dieOffset: number): number {
    const sizes = this.specSize;
    const end = this.unitEnd;
    for (let s = this.attrStart[entry], last = this.attrStart[entry + 1]; s < last; s++) {
      const size = sizes[s];
      if (size >= 0) pos += size;
      else if (size === UNKNOWN_FORM) this.unknownForm(s, dieOffset);
      else pos = skipVariable(this.r, size, pos, end, this.unit);
    }
    if (pos > end) this.r.fail("DWARF_UNEXPECTED_END", dieOffset, "DIE runs past the end of its unit");
    return pos;
  }

  /** Records where each attribute of the current DIE starts; returns the end of its attributes. */
  private walkAttributes(): number {
    const sizes = this.specSize;
    const end = this.unitEnd;
    const first = this.attrStart[this.entry];
    const last = this.attrStart[this.entry + 1];
    let pos = this.attrs;
    for (let s = first; s < last; s++) {
      this.specPos[s - first] = pos;
      const size = sizes[s];
      if (size >= 0) pos += size;
      else if (size === UNKNOWN_FORM) this.unknownForm(s, this.offset);
      else pos = skipVariable(this.r, size, pos, end, this.unit);
    }
    if (pos > end) this.r.fail("DWARF_UNEXPECTED_END", this.offset, "DIE runs past the end of its unit");
    this.specPosFor = this.offset;
    this.attrsEnd = pos;
    return pos;
  }

  private unknownForm(spec: number, dieOffset: number): never {
    return this.r.fail("DWARF_UNKNOWN_FORM", dieOffset, `unknown form ${formName(this.attrForm[spec])}`);
  }

  /** The spec of attribute `at` in the current DIE, or -1. */
  protected find(at: number): number {
    const e = this.entry;
    if (e < 0) return -1;
    const names = this.attrName;
    for (let s = this.attrStart[e], last = this.attrStart[e + 1]; s < last; s++) if (names[s] === at) return s;
    return -1;
  }

  /** Position of spec `s`'s value in the current DIE. */
  protected specPosition(s: number): number {
    const off = this.specOffset[s];
    if (off >= 0) {
      const pos = this.attrs + off;
      // A fixed offset is safe to read once the DIE is known to end inside the unit.
      if (this.attrsEnd >= 0 || pos + Math.max(this.specSize[s], 0) <= this.unitEnd) return pos;
    }
    if (this.specPosFor !== this.offset || this.attrsEnd < 0) this.walkAttributes();
    return this.specPos[s - this.attrStart[this.entry]];
  }

  /** Finds attribute `at` and sets vspec/vform/vpos; false when the DIE has no such attribute. */
  protected locate(at: number): boolean {
    const s = this.find(at);
    if (s < 0) return false;
    this.locateSpec(s);
    return true;
  }

  protected locateSpec(s: number): void {
    let pos = this.specPosition(s);
    let form = this.attrForm[s];
    if (form === DW_FORM.indirect) {
      form = resolveIndirect(this.r, pos, this.unitEnd);
      pos = this.r.after;
    }
    this.vspec = s;
    this.vform = form;
    this.vpos = pos;
  }

  /** Number of attributes of the current DIE (0 when there is none). */
  get attributeCount(): number {
    return this.entry < 0 ? 0 : this.attrStart[this.entry + 1] - this.attrStart[this.entry];
  }

  /** DW_AT_* of the current DIE's i-th attribute. */
  attributeName(i: number): number {
    return this.attrName[this.attrStart[this.entry] + i];
  }

  /** DW_FORM_* of the current DIE's i-th attribute, with DW_FORM_indirect resolved. */
  attributeForm(i: number): number {
    this.locateSpec(this.attrStart[this.entry] + i);
    return this.vform;
  }
}
