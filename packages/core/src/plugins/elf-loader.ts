// The load phase: opens the input as an ELF file. A file that is not ELF (or is truncated) fails
// here with the reader's own error (ELF_NOT_ELF, ELF_TRUNCATED, ELF_IO), naming the file.
import { ElfFile } from "@btforge/elf";
import type { Encoder } from "../encoder.js";

export class ElfLoaderPlugin {
  static readonly name = "elf-loader";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    encoder.hooks.load.tap(ElfLoaderPlugin.name, (encoding) => {
      if (encoding.hasElf) return;
      encoding.setElf(ElfFile.open(encoding.path));
    });
  }
}
