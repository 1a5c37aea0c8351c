// The distilled-base plugin (pahole's distilled_base feature). A module built outside the kernel
// tree carries, beside its split `.BTF`, the few base types it refers to as `.BTF.base`; libbpf and
// the kernel then relocate the module's BTF onto whatever vmlinux it is loaded with (matching
// those types by name and size) instead of trusting type ids of the vmlinux it was built against.
//
// In finalize, after dedup (which decides which base types the module refers to) and after any
// compat rewrite, and before verification: the split BTF becomes the split BTF on the distilled
// base (@btforge/btf's distillBase, libbpf's rules), which the verify phase then checks, and the
// base is serialized, validated and handed to the write phase as `.BTF.base`.
import { distillBase, formatProblems, validateBtf, writeBtf } from "@btforge/btf";
import type { Encoder, Encoding } from "@btforge/core";
import { addOutputSection, BTF_BASE_SECTION, btforgeError, FINALIZE_STAGE } from "@btforge/core";
import { schema } from "./schema.js";

/** After dedup and compat rewrites (which decide what the split refers to), before VERIFY. */
export const DISTILLED_BASE_STAGE = FINALIZE_STAGE.COMPAT + 50;

/** `encoding.artifacts.get(DISTILLED_BASE_ARTIFACT)`: what distillation did. */
export const DISTILLED_BASE_ARTIFACT = "distilled-base";

export interface DistilledBaseStats {
  /** Types of the full base (the vmlinux) the split BTF was encoded on. */
  fullBaseTypes: number;
  /** Types of the distilled base written as .BTF.base. */
  baseTypes: number;
  baseBytes: number;
  /** Split types before and after: base types the split needs whole (pointers, typedefs, anonymous types) move into it. */
  splitTypesBefore: number;
  splitTypesAfter: number;
  ms: number;
}

function needsBase(encoding: Encoding): void {
  if (!encoding.btf.base) throw btforgeError("FEATURE_NEEDS_BASE", ["distilled_base"], { location: { file: encoding.path } });
}

export class DistilledBasePlugin {
  static readonly name = "distilled-base";
  static readonly pluginName = "distilled-base";
  static readonly schema = schema;

  apply(encoder: Encoder): void {
    // Fail before hours of DWARF work, not after: the base is known when the run starts.
    encoder.hooks.load.tap(DistilledBasePlugin.name, needsBase);
    encoder.hooks.finalize.tap({ name: DistilledBasePlugin.name, stage: DISTILLED_BASE_STAGE }, (encoding) => this.run(encoding));
  }

  private run(encoding: Encoding): void {
    needsBase(encoding);
    const started = performance.now();
    const before = encoding.btf;
    // Every type already in the base: no BTF will be written, and so no base either.
    if (before.count === 0) return;
    const { base, split } = distillBase(before, { name: encoding.path });
    if (base.count === 0) {
      throw new Error("the BTF refers to no type of its base: its distilled base would be empty, which the kernel refuses (encode without distilled_base)");
    }
    // In the ELF's byte order and pointer size, as the verify phase does for .BTF.
    const bytes = encoding.hasElf ? writeBtf(base, { endianness: encoding.elf.littleEndian ? "little" : "big" }) : writeBtf(base);
    const pointerSize = encoding.hasElf && !encoding.elf.is64 ? 4 : 8;
    const verdict = validateBtf(bytes, { name: `${encoding.path} (${BTF_BASE_SECTION})`, maxProblems: 3, pointerSize, anyByteOrder: true });
    if (!verdict.ok) throw new Error(`the distilled base does not validate: ${formatProblems(verdict, "").join("; ")}`);
    encoding.btf = split;
    addOutputSection(encoding, { section: BTF_BASE_SECTION, rawSuffix: ".base", bytes });
    const stats: DistilledBaseStats = {
      fullBaseTypes: before.firstId - 1,
      baseTypes: base.count,
      baseBytes: bytes.length,
      splitTypesBefore: before.count,
      splitTypesAfter: split.count,
      ms: performance.now() - started,
    };
    encoding.artifacts.set(DISTILLED_BASE_ARTIFACT, stats);
    encoding.trace(
      `base of ${stats.fullBaseTypes} types distilled to ${stats.baseTypes} (${stats.baseBytes} bytes); split ${stats.splitTypesBefore} -> ${stats.splitTypesAfter} types, ${stats.ms.toFixed(1)} ms`,
      DistilledBasePlugin.name,
    );
  }
}

/** Factory for configuration files written in JS/TS: `plugins: [distilledBase()]`. */
export function distilledBase(): DistilledBasePlugin {
  return new DistilledBasePlugin();
}
