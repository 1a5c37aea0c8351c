// What the DIE a bad type reference points at is, for the one-line error.
import { type DwarfFile, type UnitHeader, tagName } from "@btforge/dwarf";

export function describeDie(dwarf: DwarfFile, unit: UnitHeader | undefined, offset: number): string {
  if (!unit) return "no unit holds that offset";
  try {
    const c = dwarf.cursor(unit);
    c.seek(offset);
    return `it is a ${tagName(c.tag)}, which has no BTF form`;
  } catch {
    return "no DIE starts there";
  }
}
