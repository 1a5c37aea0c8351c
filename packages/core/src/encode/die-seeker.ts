// Positions a cursor on any DIE of the file, with one cursor per unit reused for every seek: the
// functions and variables plugins read subprograms and variables again after the types walk, and
// follow DW_AT_specification / DW_AT_abstract_origin across units. A seek moves this seeker's
// cursor of that unit, so callers that hold two positions at once use two seekers.
import type { DieCursor, DwarfFile, UnitHeader } from "@btforge/dwarf";

export class DieSeeker {
  private readonly cursors = new Map<number, DieCursor>();

  constructor(private readonly dwarf: DwarfFile) {}

  /** This seeker's cursor of `unit`, on the DIE at `offset`. */
  at(unit: UnitHeader, offset: number): DieCursor {
    let c = this.cursors.get(unit.index);
    if (!c) {
      c = this.dwarf.cursor(unit);
      this.cursors.set(unit.index, c);
    }
    c.seek(offset);
    return c;
  }

  /** The DIE the reference attribute `at` of `c` points to (in any unit), or undefined. */
  follow(c: DieCursor, at: number): DieCursor | undefined {
    const target = c.ref(at);
    const unit = target === undefined ? undefined : c.refUnit(at);
    return unit === undefined ? undefined : this.at(unit, target!);
  }
}
