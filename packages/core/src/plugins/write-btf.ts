// write: the BTF as a raw file (`-o OUT.btf`), or as the `.BTF` section of the input ELF
// (`--in-place`, as pahole -J does). Both go through a temporary file and a rename, so a failure or
// a kill midway leaves the destination as it was.
import { writeElfWithSection } from "@btforge/elf";
import type { Encoder } from "../encoder.js";
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
    encoder.hooks.write.tap(WriteBtfPlugin.name, (encoding) => {
      const bytes = encodedBytes(encoding);
      const t = this.target;
      if ("raw" in t) writeFileAtomically(t.raw, bytes);
      else {
        const dst = "inPlace" in t ? encoding.path : t.inElf;
        // The ELF is re-read from disk by the writer: release our handle on it first.
        writeElfWithSection(encoding.path, dst, BTF_SECTION, bytes, { replaceAllocated: true });
      }
      encoding.trace(`wrote ${bytes.length} bytes of BTF to ${"raw" in t ? t.raw : "inPlace" in t ? `${encoding.path} (${BTF_SECTION})` : `${t.inElf} (${BTF_SECTION})`}`, WriteBtfPlugin.name);
    });
  }
}
