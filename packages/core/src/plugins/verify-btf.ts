// finalize, VERIFY stage: the BTF about to be written is serialized once and checked with the
// offline validator (the kernel's rules). Invalid BTF is never written: the encoding fails with the
// validator's first problems. The bytes are left for the write phase.
import { formatProblems, standardKindLayouts, validateBtf, writeBtf } from "@btforge/btf";
import type { Encoder } from "../encoder.js";
import type { Encoding } from "../encoding.js";
import { btforgeError } from "../errors/btforge-error.js";
import { FINALIZE_STAGE } from "../phases.js";

/** Artifact key: the serialized BTF (Uint8Array) the write phase writes. */
export const BTF_BYTES = "btf-bytes";

/**
 * The BTF as written: in the input ELF's byte order, as pahole writes it (a big-endian kernel
 * reads big-endian .BTF); in this machine's order when there is no ELF. With the `layout` feature
 * a base BTF carries the kind layout section (32-byte header, as pahole --btf_features=layout);
 * split BTF does not, as in pahole: its readers take the base's.
 */
export function encodedBytes(encoding: Encoding): Uint8Array {
  let bytes = encoding.artifacts.get(BTF_BYTES) as Uint8Array | undefined;
  if (!bytes) {
    if (encoding.features.layout && !encoding.btf.base) encoding.btf.kindLayouts = standardKindLayouts();
    bytes = encoding.hasElf ? writeBtf(encoding.btf, { endianness: encoding.elf.littleEndian ? "little" : "big" }) : writeBtf(encoding.btf);
    encoding.artifacts.set(BTF_BYTES, bytes);
  }
  return bytes;
}

/**
 * No types at all, and no base (every unit left out by lang_exclude, or none had any): the kernel
 * refuses such BTF, and pahole writes none. Nothing is verified or written.
 */
export function isEmptyBtf(encoding: Encoding): boolean {
  return encoding.btf.count === 0 && encoding.btf.base === undefined;
}

export class VerifyBtfPlugin {
  static readonly name = "verify";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    encoder.hooks.finalize.tap({ name: VerifyBtfPlugin.name, stage: FINALIZE_STAGE.VERIFY }, (encoding) => {
      if (isEmptyBtf(encoding)) return;
      const bytes = encodedBytes(encoding);
      // The rules of the kernel the BTF is for: a 32-bit target's pointers are 4 bytes, and a
      // big-endian target's BTF is big-endian.
      const pointerSize = encoding.hasElf && !encoding.elf.is64 ? 4 : 8;
      const result = validateBtf(bytes, { base: encoding.btf.base, name: encoding.path, maxProblems: 5, pointerSize, anyByteOrder: true });
      encoding.artifacts.set("validation", result);
      if (result.ok) return;
      const first = formatProblems(result, "").slice(0, 3).join("; ");
      throw btforgeError("ENCODE_INVALID", [result.problems.length, first], { location: { file: encoding.path } });
    });
  }
}
