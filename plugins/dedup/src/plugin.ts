// The dedup plugin: in the finalize phase, at the DEDUP stage, replaces the encoding's BTF with
// its deduplicated form and leaves the figures in `encoding.artifacts.get("dedup")`.
import { BTF_MAX_TYPE } from "@btforge/btf";
import type { Encoder, Encoding } from "@btforge/core";
import { FINALIZE_STAGE } from "@btforge/core";
import { dedupBtf } from "./dedup.js";
import { schema } from "./schema.js";

export interface DedupPluginOptions {
  /** Fail when the result still exceeds the kernel's type limit. */
  strict?: boolean;
}

/** `encoding.artifacts.get(DEDUP_ARTIFACT)`: what dedup did. */
export const DEDUP_ARTIFACT = "dedup";

export interface DedupStats {
  typesBefore: number;
  typesAfter: number;
  stringBytesBefore: number;
  stringBytesAfter: number;
  ms: number;
  /** Input type id → output type id (for anything that kept ids of the table before dedup). */
  remap: Uint32Array;
}

export class DedupPlugin {
  static readonly name = "dedup";
  static readonly pluginName = "dedup";
  static readonly schema = schema;
  private readonly strict: boolean;

  constructor(options: DedupPluginOptions = {}) {
    this.strict = options.strict ?? false;
  }

  apply(encoder: Encoder): void {
    encoder.hooks.finalize.tap({ name: DedupPlugin.name, stage: FINALIZE_STAGE.DEDUP }, (encoding) => this.run(encoding));
  }

  private run(encoding: Encoding): void {
    const before = encoding.btf;
    const started = performance.now();
    const phases: string[] = [];
    const onPhase = encoding.tracing ? (phase: string, ms: number) => void phases.push(`${phase} ${ms.toFixed(0)} ms`) : undefined;
    const { table, remap } = dedupBtf(before, { base: before.base, onPhase });
    const stats: DedupStats = {
      typesBefore: before.count,
      typesAfter: table.count,
      stringBytesBefore: before.strings.size,
      stringBytesAfter: table.strings.size,
      ms: performance.now() - started,
      remap,
    };
    encoding.btf = table;
    encoding.artifacts.set(DEDUP_ARTIFACT, stats);
    encoding.trace(
      `${stats.typesBefore} types → ${stats.typesAfter}, strings ${stats.stringBytesBefore} → ${stats.stringBytesAfter} bytes, ${stats.ms.toFixed(0)} ms`,
      DedupPlugin.name,
    );
    if (phases.length > 0) encoding.trace(`phases: ${phases.join(", ")}`, DedupPlugin.name);
    if (this.strict && table.lastId > BTF_MAX_TYPE) {
      throw new Error(`after dedup the BTF still has ${table.lastId} types, more than the kernel's ${BTF_MAX_TYPE}`);
    }
  }
}

/** Factory for configuration files written in JS/TS: `plugins: [dedup({ strict: true })]`. */
export function dedup(options: DedupPluginOptions = {}): DedupPlugin {
  return new DedupPlugin(options);
}
