// dwarf-stats: units, versions, unit types and DIEs per tag, counted by walking every DIE.
import { tagName, unitTypeName } from "./constants/index.js";
import type { DwarfFile } from "./file.js";

export interface DwarfStats {
  units: number;
  /** DWARF version → number of units. */
  versions: Record<number, number>;
  /** Unit type name (e.g. "DW_UT_compile") → number of units. */
  unitTypes: Record<string, number>;
  /** Tag name (e.g. "DW_TAG_member") → number of DIEs, null entries not counted; ordered by tag value. */
  tags: Record<string, number>;
}

export function dwarfStats(file: DwarfFile): DwarfStats {
  // Tags are 16-bit (the abbreviation parser enforces it), so a flat array counts them.
  const perTag = new Float64Array(0x10000);
  const versions: Record<number, number> = {};
  const unitTypes: Record<string, number> = {};
  const units = file.units();
  for (const unit of units) {
    versions[unit.version] = (versions[unit.version] ?? 0) + 1;
    const type = unitTypeName(unit.unitType);
    unitTypes[type] = (unitTypes[type] ?? 0) + 1;
    const c = file.cursor(unit);
    while (c.next()) perTag[c.tag]++;
  }
  const tags: Record<string, number> = {};
  for (let tag = 0; tag < perTag.length; tag++) if (perTag[tag] > 0) tags[tagName(tag)] = perTag[tag];
  return { units: units.length, versions, unitTypes, tags };
}
