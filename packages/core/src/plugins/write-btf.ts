// write: the BTF as a raw file (`-o OUT.btf`), or as the `.BTF` section of the input ELF
// (`--in-place`, as pahole -J does). Both go through a temporary file and a rename, so a failure or
// a kill midway leaves the destination as it was. Sections plugins added (output-sections.ts, e.g.
// the distilled base `.BTF.base`) go into the same ELF rewrite, or into files beside the raw BTF.
import { ElfFile, writeElfWithSections } from "@btforge/elf";
import type { Encoder } from "../encoder.js";
import type { Encoding } from "../encoding.js";
import { btforgeError } from "../errors/btforge-error.js";
import { writeFilesAtomically } from "../io/atomic-write.js";
import { outputSections } from "../output-sections.js";
import { TYPES_ARTIFACT, type TypesStats } from "../encode/types-plugin.js";
import { encodedBytes, isEmptyBtf } from "./verify-btf.js";

export type WriteTarget = { raw: string } | { inPlace: true } | { inElf: string };

export interface WriteBtfOptions {
  /** Where the BTF goes: a raw file, the input ELF itself, or a copy of the input ELF at a path. */
  target: WriteTarget;
}

export const BTF_SECTION = ".BTF";
/** libbpf's name for the distilled base a module's `.BTF` is split on (BTF_BASE_ELF_SEC). */
export const BTF_BASE_SECTION = ".BTF.base";

/** Why there are no types, when lang_exclude is why. */
function leftOut(encoding: Encoding): string {
  const stats = encoding.artifacts.get(TYPES_ARTIFACT) as TypesStats | undefined;
  const languages = Object.keys(stats?.excludedUnits ?? {});
  if (!stats || languages.length === 0) return "";
  return ` (${stats.units === 0 ? "every unit" : "some units"} left out by lang_exclude: ${languages.join(", ")})`;
}

/**
 * libbpf reads `.BTF` as split on `.BTF.base` whenever the ELF has one: a new `.BTF` written
 * without its own distilled base beside an old one would be read against the wrong types.
 */
function refuseStaleBase(encoding: Encoding, writing: readonly string[]): void {
  if (writing.includes(BTF_BASE_SECTION)) return;
  let hasBase: boolean;
  if (encoding.hasElf) hasBase = encoding.elf.findSection(BTF_BASE_SECTION) !== undefined;
  else {
    const elf = ElfFile.open(encoding.path);
    try {
      hasBase = elf.findSection(BTF_BASE_SECTION) !== undefined;
    } finally {
      elf.close();
    }
  }
  if (hasBase) throw btforgeError("STALE_BTF_BASE", [], { location: { file: encoding.path, section: BTF_BASE_SECTION } });
}

export class WriteBtfPlugin {
  static readonly name = "write-btf";
  static readonly schema = {
    type: "object",
    required: ["target"],
    additionalProperties: false,
    properties: {
      target: {
        oneOf: [
          { type: "object", required: ["raw"], additionalProperties: false, properties: { raw: { type: "string", minLength: 1 } } },
          { type: "object", required: ["inPlace"], additionalProperties: false, properties: { inPlace: { const: true } } },
          { type: "object", required: ["inElf"], additionalProperties: false, properties: { inElf: { type: "string", minLength: 1 } } },
        ],
      },
    },
  };
  private readonly target: WriteTarget;

  constructor(options: WriteBtfOptions) {
    this.target = options.target;
  }

  apply(encoder: Encoder): void {
    encoder.hooks.write.tap(WriteBtfPlugin.name, (encoding) => writeEncodedBtf(encoding, this.target));
  }
}

/**
 * Writes the encoding's BTF (as the verify step serialized it) to `target`, atomically, with the
 * sections plugins added: into the ELF in one rewrite, or into files beside the raw BTF.
 */
export function writeEncodedBtf(encoding: Encoding, target: WriteTarget): void {
  if (isEmptyBtf(encoding)) {
    // As pahole: an input without types gets no BTF (the kernel refuses an empty one). An empty
    // split BTF (a module whose every type is in its base) is written: it is valid.
    encoding.warn(`no types to encode${leftOut(encoding)}: nothing written`, { location: { file: encoding.path } });
    return;
  }
  const bytes = encodedBytes(encoding);
  const extra = outputSections(encoding);
  if ("raw" in target) {
    // Companions first: whoever sees the new BTF finds its base new too.
    writeFilesAtomically([...extra.map((s) => ({ path: target.raw + s.rawSuffix, bytes: s.bytes })), { path: target.raw, bytes }]);
  } else {
    refuseStaleBase(encoding, extra.map((s) => s.section));
    const dst = "inPlace" in target ? encoding.path : target.inElf;
    // The ELF is re-read from disk by the writer.
    const sections = [{ name: BTF_SECTION, data: bytes }, ...extra.map((s) => ({ name: s.section, data: s.bytes }))];
    writeElfWithSections(encoding.path, dst, sections, { replaceAllocated: true });
  }
  if (encoding.tracing) {
    const where = "raw" in target ? target.raw : `${"inPlace" in target ? encoding.path : target.inElf} (${BTF_SECTION})`;
    encoding.trace(`wrote ${bytes.length} bytes of BTF to ${where}`, WriteBtfPlugin.name);
    for (const s of extra) encoding.trace(`wrote ${s.bytes.length} bytes to ${"raw" in target ? target.raw + s.rawSuffix : s.section}`, WriteBtfPlugin.name);
  }
}
