/**
 * btforge's side of the DWARF comparison, in process: the ELF reader hands the debug sections to
 * the DWARF reader and dwarfStats counts. The CLI is exercised separately on the committed objects;
 * the compile matrix (hundreds of files) uses this to avoid a node start per file.
 */
import { ElfFile } from "@btforge/elf";
import { DwarfFile, type DwarfSections, dwarfStats } from "@btforge/dwarf";
import type { DwarfCounts } from "./dwarf-counts.js";

const DEBUG_SECTIONS: readonly (keyof DwarfSections)[] = [
  "debug_info", "debug_abbrev", "debug_str", "debug_line_str", "debug_str_offsets", "debug_addr",
  "debug_types", "debug_rnglists", "debug_ranges", "debug_loclists", "debug_loc",
];

export function libraryDwarfCounts(file: string): DwarfCounts {
  const elf = ElfFile.open(file);
  try {
    const sections: DwarfSections = {};
    for (const name of DEBUG_SECTIONS) {
      const bytes = elf.readMergedDebugSection(`.${name}`);
      if (bytes) sections[name] = bytes;
    }
    const stats = dwarfStats(new DwarfFile(sections, { littleEndian: elf.littleEndian, name: file }));
    return { units: stats.units, versions: stats.versions, unitTypes: stats.unitTypes, tags: stats.tags };
  } finally {
    elf.close();
  }
}
