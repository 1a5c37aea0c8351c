// What the DIE a bad type reference points at is, for the one-line error.
import { type DwarfFile, type UnitHeader, tagName } from "@btforge/dwarf";
import { TYPE_ENCODERS } from "./tag-encoders.js";

export function describeDie(dwarf: DwarfFile, unit: UnitHeader | undefined, offset: number): string {
  if (!unit) return "no unit holds that offset";
  try {
    const c = dwarf.cursor(unit);
    c.seek(offset);
    // A type DIE with no BTF type was never reached by the walk: it sits in a subtree the walk
    // skips (an inlined subroutine, a call site), or the DIEs before it lost their shape.
    if (TYPE_ENCODERS[c.tag] !== undefined) return `it is a ${tagName(c.tag)} the type walk did not reach (inside a DIE whose children it skips)`;
    return `it is a ${tagName(c.tag)}, which has no BTF form`;
  } catch {
    return "no DIE starts there";
  }
}
