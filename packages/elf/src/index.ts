export { ElfFile } from "./elf-file.js";
export type { ElfSection } from "./sections.js";
export { SymbolTable } from "./symbols.js";
export { ElfError, type ElfErrorCode, type ElfLocation } from "./errors.js";
export { writeElfWithSection, writeElfWithSections, type SectionData, type WriteSectionOptions } from "./writer.js";
export { MAX_DECOMPRESSED_SIZE } from "./compression.js";
export { ET, EM, SHT, SHF, SHN, STT, STB, STV, ELFCOMPRESS, R_X86_64, R_386, R_AARCH64, R_ARM, R_PPC64, R_390, R_RISCV, constantName } from "./constants.js";
