// lang_exclude (pahole's --lang_exclude): units whose DW_AT_language is in the list are left out
// of the whole encoding. The types phase decides once, before its walk, and leaves the decision as
// an artifact: its walk skips those units (so they list no subprograms for the functions plugin
// and no annotations for the tag plugins), and the variable emitter skips their definitions.
import { DW_AT, DW_TAG, type DwarfFile, type UnitHeader } from "@btforge/dwarf";
import type { Encoding } from "../encoding.js";
import { languageByName, languageName } from "./languages.js";

/** `encoding.artifacts.get(UNIT_FILTER_ARTIFACT)`: the UnitFilter of the types phase. */
export const UNIT_FILTER_ARTIFACT = "unit-filter";

const ROOT_TAGS = new Set<number>([DW_TAG.compile_unit, DW_TAG.partial_unit, DW_TAG.type_unit, DW_TAG.skeleton_unit]);

/** The DW_AT_language of the unit's root DIE, or undefined when it has none. */
export function unitLanguage(dwarf: DwarfFile, unit: UnitHeader): number | undefined {
  const c = dwarf.cursor(unit);
  if (!c.next() || !ROOT_TAGS.has(c.tag)) return undefined;
  return c.uint(DW_AT.language);
}

export class UnitFilter {
  /** 1 for each unit (by index in dwarf.units()) that is left out. */
  private readonly excluded: Uint8Array;
  /** Units left out, per language name. */
  readonly excludedByLanguage: Readonly<Record<string, number>>;
  readonly excludedCount: number;

  constructor(dwarf: DwarfFile, names: readonly string[]) {
    const wanted = new Set<number>();
    for (const name of names) {
      const lang = languageByName(name);
      // Configuration loading rejects unknown names; a programmatic config may still carry one.
      if (lang === undefined) throw new TypeError(`lang_exclude: unknown language ${JSON.stringify(name)}`);
      wanted.add(lang);
    }
    const units = dwarf.units();
    this.excluded = new Uint8Array(units.length);
    const byLanguage: Record<string, number> = {};
    let count = 0;
    if (wanted.size > 0) {
      for (const unit of units) {
        const lang = unitLanguage(dwarf, unit);
        if (lang === undefined || !wanted.has(lang)) continue;
        this.excluded[unit.index] = 1;
        const name = languageName(lang);
        byLanguage[name] = (byLanguage[name] ?? 0) + 1;
        count++;
      }
    }
    this.excludedByLanguage = byLanguage;
    this.excludedCount = count;
  }

  isExcluded(unit: UnitHeader): boolean {
    return this.excluded[unit.index] === 1;
  }
}

/** The filter the types phase left, or undefined (every unit is in). */
export function unitFilterOf(encoding: Encoding): UnitFilter | undefined {
  return encoding.artifacts.get(UNIT_FILTER_ARTIFACT) as UnitFilter | undefined;
}
