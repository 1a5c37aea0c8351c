// The dwarf phase: hands the ELF's debug sections (decompressed, relocated for .o/.ko, and merged
// when a relocatable object has one section per type unit) to the DWARF reader.
import { DwarfFile, type DwarfSections } from "@btforge/dwarf";
import type { ElfFile } from "@btforge/elf";
import type { Encoder } from "../encoder.js";
import { btforgeError } from "../errors/btforge-error.js";

const DEBUG_SECTIONS: readonly (keyof DwarfSections)[] = [
  "debug_info", "debug_abbrev", "debug_str", "debug_line_str", "debug_str_offsets", "debug_addr",
  "debug_types", "debug_rnglists", "debug_ranges", "debug_loclists", "debug_loc",
];

export function readDwarfSections(elf: ElfFile): DwarfSections {
  const sections: DwarfSections = {};
  for (const name of DEBUG_SECTIONS) {
    const bytes = elf.readMergedDebugSection(`.${name}`);
    if (bytes) sections[name] = bytes;
  }
  return sections;
}

export class DwarfLoaderPlugin {
  static readonly name = "dwarf-loader";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    encoder.hooks.dwarf.tap(DwarfLoaderPlugin.name, (encoding) => {
      if (encoding.hasDwarf) return;
      const elf = encoding.elf;
      if (!elf.findSection(".debug_info") && !elf.findSection(".debug_types")) {
        throw btforgeError("NO_DWARF", [], { location: { file: encoding.path } });
      }
      encoding.setDwarf(new DwarfFile(readDwarfSections(elf), { littleEndian: elf.littleEndian, name: encoding.path }));
    });
  }
}
