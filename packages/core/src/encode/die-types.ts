// Where each DWARF type DIE went in the BTF table: the contract between the types plugin (which
// fills it) and everything after it that names DWARF types (functions, variables, plugins).
// Offsets are recorded in walk order, so each section's offsets are ascending and a lookup is a
// binary search over two typed arrays: no object and no Map entry per DIE.
import { DW_AT, DW_FORM, type DieCursor, type UnitSection } from "@btforge/dwarf";
import type { Encoding } from "../encoding.js";

/** `encoding.artifacts.get(DIE_TYPES_ARTIFACT)`: the DieTypes of the types phase. */
export const DIE_TYPES_ARTIFACT = "die-types";

/** What typeId() gives for a DIE that produced no type (not a type DIE, or skipped). */
export const NO_TYPE = -1;

/** A DIE by section and section offset. */
export interface DieRef {
  section: UnitSection;
  offset: number;
}

class OffsetColumn {
  offsets = new Uint32Array(1 << 12);
  ids = new Int32Array(1 << 12);
  length = 0;

  push(offset: number, id: number): void {
    if (this.length > 0 && offset <= this.offsets[this.length - 1]!) {
      throw new RangeError(`DieTypes: DIE offsets must be recorded in ascending order (0x${offset.toString(16)})`);
    }
    if (this.length === this.offsets.length) {
      const offsets = new Uint32Array(this.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
      const ids = new Int32Array(this.length * 2);
      ids.set(this.ids);
      this.ids = ids;
    }
    this.offsets[this.length] = offset;
    this.ids[this.length++] = id;
  }

  /** Adds (offset) to `found.get(id)` for every recorded DIE whose id is among found's keys. */
  collect(section: UnitSection, found: Map<number, DieRef[]>): void {
    for (let i = 0; i < this.length; i++) found.get(this.ids[i]!)?.push({ section, offset: this.offsets[i]! });
  }

  find(offset: number): number {
    const offsets = this.offsets;
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = offsets[mid]!;
      if (v < offset) lo = mid + 1;
      else if (v > offset) hi = mid - 1;
      else return this.ids[mid]!;
    }
    return NO_TYPE;
  }
}

export class DieTypes {
  private readonly info = new OffsetColumn();
  private readonly types = new OffsetColumn();
  private readonly late = new Map<number, number>();

  /** Records that the DIE at `offset` of `section` became BTF type `id` (0 for void). Ascending offsets only. */
  record(section: UnitSection, offset: number, id: number): void {
    (section === "debug_info" ? this.info : this.types).push(offset, id);
  }

  /** For the rare DIE whose id is known only after later units (an alias of a type elsewhere). */
  recordLate(section: UnitSection, offset: number, id: number): void {
    this.late.set(section === "debug_info" ? offset : -1 - offset, id);
  }

  /** The BTF id of the DIE at `offset` of `section`: 0 for void, NO_TYPE when it produced none. */
  typeId(section: UnitSection, offset: number): number {
    const id = (section === "debug_info" ? this.info : this.types).find(offset);
    if (id !== NO_TYPE || this.late.size === 0) return id;
    return this.late.get(section === "debug_info" ? offset : -1 - offset) ?? NO_TYPE;
  }

  /**
   * The BTF id that the reference attribute `at` (DW_AT_type by default) of the cursor's current
   * DIE names: 0 (void) when the attribute is absent, NO_TYPE when its target produced no type.
   */
  typeOf(cursor: DieCursor, at: number = DW_AT.type): number {
    const target = cursor.ref(at);
    if (target === undefined) return cursor.has(at) ? NO_TYPE : 0;
    return this.typeId(refSection(cursor, at), target);
  }

  /**
   * The DIEs that became each of `ids`: the inverse of typeId(), for error messages only (a scan of
   * the whole index, so nothing is kept per type on the way). Usually one DIE per id; an alias
   * (atomic, immutable, unnamed typedef) shares its target's id.
   */
  diesOf(ids: readonly number[]): Map<number, DieRef[]> {
    const found = new Map<number, DieRef[]>(ids.map((id) => [id, []]));
    this.info.collect("debug_info", found);
    this.types.collect("debug_types", found);
    for (const [key, id] of this.late) {
      found.get(id)?.push(key >= 0 ? { section: "debug_info", offset: key } : { section: "debug_types", offset: -1 - key });
    }
    return found;
  }

  /** How many DIEs were recorded. */
  get size(): number {
    return this.info.length + this.types.length;
  }
}

/** The section a reference attribute of the current DIE points into. */
export function refSection(cursor: DieCursor, at: number): UnitSection {
  // Only ref_sig8 leaves the unit's own section (and ref_addr always means .debug_info).
  const form = cursor.form(at);
  if (form === DW_FORM.ref_sig8) return cursor.refUnit(at)!.section;
  if (form === DW_FORM.ref_addr) return "debug_info";
  return cursor.unit.section;
}

/** The DieTypes the types phase left on the encoding; throws NOT_LOADED-style when it did not run. */
export function dieTypesOf(encoding: Encoding): DieTypes {
  const found = encoding.artifacts.get(DIE_TYPES_ARTIFACT);
  if (!(found instanceof DieTypes)) throw new Error("no DWARF type index: the types phase (plugin \"types\") did not run");
  return found;
}
