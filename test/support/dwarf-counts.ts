/**
 * The numbers a differential DWARF test compares, in one shape whichever side produced them:
 * how many units, how many units per DWARF version and per unit type, and how many DIEs per tag.
 * Keys are the DWARF names ("DW_TAG_member", "DW_UT_compile", "5") so a mismatch reads plainly.
 */
export interface DwarfCounts {
  units: number;
  versions: Record<string, number>;
  unitTypes: Record<string, number>;
  tags: Record<string, number>;
}

export function emptyCounts(): DwarfCounts {
  return { units: 0, versions: {}, unitTypes: {}, tags: {} };
}

export function bump(record: Record<string, number>, key: string, by = 1): void {
  record[key] = (record[key] ?? 0) + by;
}

/** Key order must not decide equality (toEqual ignores it) but a sorted copy diffs readably. */
export function sortedCounts(c: DwarfCounts): DwarfCounts {
  const sortRecord = (r: Record<string, number>) =>
    Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { units: c.units, versions: sortRecord(c.versions), unitTypes: sortRecord(c.unitTypes), tags: sortRecord(c.tags) };
}

/** The sum of several files' counts (a matrix cell with one object per CU). */
export function addCounts(into: DwarfCounts, from: DwarfCounts): DwarfCounts {
  into.units += from.units;
  for (const [k, v] of Object.entries(from.versions)) bump(into.versions, k, v);
  for (const [k, v] of Object.entries(from.unitTypes)) bump(into.unitTypes, k, v);
  for (const [k, v] of Object.entries(from.tags)) bump(into.tags, k, v);
  return into;
}
