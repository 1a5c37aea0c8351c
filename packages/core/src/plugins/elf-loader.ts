// The load phase: opens the input as an ELF file. A file that is not ELF (or is truncated) fails
// here with the reader's own error (ELF_NOT_ELF, ELF_TRUNCATED, ELF_IO), naming the file; a path
// that is not a regular file (a directory, a FIFO) is refused before it is opened.
import { ElfFile } from "@btforge/elf";
import type { Encoder } from "../encoder.js";
import { checkInputFile } from "../io/input-file.js";

export class ElfLoaderPlugin {
  static readonly name = "elf-loader";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    encoder.hooks.load.tap(ElfLoaderPlugin.name, (encoding) => {
      if (encoding.hasElf) return;
      checkInputFile(encoding.path);
      encoding.setElf(ElfFile.open(encoding.path));
    });
  }
}
