// The one variable emitter: in the symbols phase, after the functions, it turns the file-scope
// variables of the sections the plugins include (hooks.includeSection / includeVariable) into VARs
// and one DATASEC per section. Without a plugin tapping includeSection it does nothing at all.
import { SHF } from "@btforge/elf";
import type { Encoder } from "../../encoder.js";
import type { Encoding } from "../../encoding.js";
import type { EncoderHooks } from "../../hooks.js";
import { dieTypesOf } from "../die-types.js";
import { emitVariables } from "./emit.js";
import { selectVariables } from "./select.js";
import { emptyVariablesStats, SkipLog, VARIABLES_ARTIFACT, type VariablesStats } from "./stats.js";
import { ObjectSymbolIndex } from "./symbol-index.js";
import { accountUnclaimedSymbols } from "./unclaimed.js";

/** Where in the symbols phase the emitter runs: after the function encoder (stage 0). */
export const VARIABLES_STAGE = 10;

export class VariablesPlugin {
  static readonly name = "variables";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    const hooks = encoder.hooks;
    hooks.symbols.tap({ name: VariablesPlugin.name, stage: VARIABLES_STAGE }, (encoding) => {
      if (hooks.includeSection.taps.length > 0) encodeVariables(encoding, hooks);
    });
  }
}

/** Adds the VARs and DATASECs of the included sections to `encoding.btf`; returns (and leaves as artifact) the figures. */
export function encodeVariables(encoding: Encoding, hooks: Pick<EncoderHooks, "includeSection">): VariablesStats {
  const started = performance.now();
  const stats = emptyVariablesStats();
  encoding.artifacts.set(VARIABLES_ARTIFACT, stats);
  const elf = encoding.elf;
  const included = new Uint8Array(elf.sections.length);
  // Not isUsed(): core's interceptors make every hook "used"; only a tap can answer.
  if (hooks.includeSection.taps.length > 0) {
    for (const section of elf.sections) {
      if ((section.flags & SHF.ALLOC) === 0n || section.size === 0 || !encoding.includesSection(section)) continue;
      included[section.index] = 1;
      stats.includedSections.push(section.name);
    }
  }
  if (stats.includedSections.length > 0) {
    const trace = encoding.tracing ? (line: string) => encoding.trace(line, VariablesPlugin.name) : undefined;
    const log = new SkipLog(stats, trace);
    const index = new ObjectSymbolIndex(elf, included);
    const { chosen, claimed } = selectVariables(encoding, index, dieTypesOf(encoding), log, stats);
    accountUnclaimedSymbols(index, claimed, log);
    emitVariables(encoding.btf, chosen.values(), log, stats);
  }
  stats.ms = performance.now() - started;
  if (encoding.tracing) {
    const skipped = Object.entries(stats.skipped).map(([reason, n]) => `${reason} ${n}`).join(", ");
    encoding.trace(`${stats.vars} VARs in ${stats.datasecs} DATASECs (${stats.ms.toFixed(0)} ms); skipped: ${skipped || "none"}`, VariablesPlugin.name);
  }
  return stats;
}
