// write: the BTF as a raw file (`-o OUT.btf`), or as the `.BTF` section of the input ELF
// (`--in-place`, as pahole -J does). Both go through a temporary file and a rename, so a failure or
// a kill midway leaves the destination as it was.
import { writeElfWithSection } from "@btforge/elf";
import type { Encoder } from "../encoder.js";
import type { Encoding } from "../encoding.js";
import { writeFileAtomically } from "../io/atomic-write.js";
import { encodedBytes } from "./verify-btf.js";

export type WriteTarget = { raw: string } | { inPlace: true } | { inElf: string };

export interface WriteBtfOptions {
  /** Where the BTF goes: a raw file, the input ELF itself, or a copy of the input ELF at a path. */
  target: WriteTarget;
}

export const BTF_SECTION = ".BTF";

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

/** Writes the encoding's BTF (as the verify step serialized it) to `target`, atomically. */
export function writeEncodedBtf(encoding: Encoding, target: WriteTarget): void {
  const bytes = encodedBytes(encoding);
  if ("raw" in target) writeFileAtomically(target.raw, bytes);
  else {
    const dst = "inPlace" in target ? encoding.path : target.inElf;
    // The ELF is re-read from disk by the writer.
    writeElfWithSection(encoding.path, dst, BTF_SECTION, bytes, { replaceAllocated: true });
  }
  const where = "raw" in target ? target.raw : "inPlace" in target ? `${encoding.path} (${BTF_SECTION})` : `${target.inElf} (${BTF_SECTION})`;
  encoding.trace(`wrote ${bytes.length} bytes of BTF to ${where}`, WriteBtfPlugin.name);
}
