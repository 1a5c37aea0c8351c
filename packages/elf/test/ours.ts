// What the package reads, put in the shape of the readelf views in readelf.ts for comparison.
import { ElfFile, STT, type SymbolTable } from "@btforge/elf";
import { flagLetters } from "./readelf.js";

export function ourSections(elf: ElfFile) {
  return elf.sections.map((s) => ({
    index: s.index,
    name: s.name,
    type: s.type,
    addr: s.addr,
    offset: s.offset,
    size: s.size,
    entsize: s.entsize,
    flags: flagLetters(s.flags),
    link: s.link,
    info: s.info,
    addralign: s.addralign,
  }));
}

/** Our symbols in readelf's terms: a section symbol without a name shows its section's name. */
export function ourSymbols(elf: ElfFile, table: SymbolTable) {
  const out = [];
  for (let i = 0; i < table.count; i++) {
    const section = table.sectionIndex(i);
    let name = table.name(i);
    if (name === "" && table.type(i) === STT.SECTION) name = elf.sections[section]?.name ?? "";
    out.push({ name, value: table.value(i), size: table.size(i), type: table.type(i), bind: table.bind(i), visibility: table.visibility(i), section });
  }
  return out;
}
