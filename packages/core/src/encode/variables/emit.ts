// From the chosen variables to BTF: per section, in section order, the VARs by ascending offset
// and then the section's DATASEC, whose entries the kernel wants sorted and non-overlapping.
import { type BtfDatasecEntry, type BtfTable, BtfVarLinkage } from "@btforge/btf";
import type { ElfSection } from "@btforge/elf";
import type { SkipLog, VariablesStats } from "./stats.js";

export interface ChosenVariable {
  name: string;
  /** BTF id of its type. */
  type: number;
  external: boolean;
  section: ElfSection;
  /** Offset in the section and size, from the ELF symbol. */
  offset: number;
  size: number;
}

const byOffset = (a: ChosenVariable, b: ChosenVariable) => a.offset - b.offset || a.size - b.size || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Adds the VARs and DATASECs to `btf` and their figures to `stats`. */
export function emitVariables(btf: BtfTable, chosen: Iterable<ChosenVariable>, log: SkipLog, stats: VariablesStats): void {
  const bySection = new Map<number, ChosenVariable[]>();
  for (const v of chosen) {
    const list = bySection.get(v.section.index);
    if (list) list.push(v);
    else bySection.set(v.section.index, [v]);
  }
  for (const index of [...bySection.keys()].sort((a, b) => a - b)) {
    const vars = bySection.get(index)!.sort(byOffset);
    const section = vars[0]!.section;
    const entries: BtfDatasecEntry[] = [];
    let end = 0;
    let bytes = 0;
    for (const v of vars) {
      if (v.offset < end) {
        log.skip("overlap", () => `${v.name} (${section.name}+0x${v.offset.toString(16)}, ${v.size} bytes; the one before ends at 0x${end.toString(16)})`);
        continue;
      }
      const linkage = v.external ? BtfVarLinkage.GLOBAL_ALLOCATED : BtfVarLinkage.STATIC;
      entries.push({ type: btf.addVar(v.name, v.type, linkage), offset: v.offset, size: v.size });
      end = v.offset + v.size;
      bytes += v.size;
    }
    btf.addDatasec(section.name, section.size, entries);
    stats.vars += entries.length;
    stats.datasecs++;
    stats.sections[section.name] = { vars: entries.length, bytes, size: section.size };
  }
}
