// Sections the write phase puts beside `.BTF`. A plugin that produces more output (the distilled
// base, `.BTF.base`) adds it during finalize; the write phase then writes `.BTF` and every added
// section into the ELF in one rewrite, or, for raw output (`-o FILE`), each into its own file
// beside FILE (FILE + rawSuffix). Verification of an added section is its producer's business.
import type { Encoding } from "./encoding.js";

/** `encoding.artifacts.get(OUTPUT_SECTIONS_ARTIFACT)`: OutputSection[] in the order they were added. */
export const OUTPUT_SECTIONS_ARTIFACT = "output-sections";

export interface OutputSection {
  /** The ELF section name (".BTF.base"). */
  readonly section: string;
  /** For raw output: the file beside the raw BTF is its path with this suffix (".base"). */
  readonly rawSuffix: string;
  readonly bytes: Uint8Array;
}

/** The sections added so far (empty when none). */
export function outputSections(encoding: Encoding): readonly OutputSection[] {
  return (encoding.artifacts.get(OUTPUT_SECTIONS_ARTIFACT) as OutputSection[] | undefined) ?? [];
}

/** Adds a section to write beside `.BTF`; adding one of the same name again replaces it. */
export function addOutputSection(encoding: Encoding, section: OutputSection): void {
  if (section.section === ".BTF") throw new TypeError("the .BTF section is the encoding's own BTF, not an added section");
  if (section.rawSuffix === "") throw new TypeError(`output section ${section.section} needs a non-empty rawSuffix`);
  const list = outputSections(encoding).filter((s) => s.section !== section.section);
  list.push(section);
  encoding.artifacts.set(OUTPUT_SECTIONS_ARTIFACT, list);
}
