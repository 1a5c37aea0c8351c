// What the types phase leaves behind, kept so that other runs over the same input can start at
// the symbols phase: an experiment's profiles that encode types alike (same features for types,
// same plugins tapping the types phase) pay for the types phase once, then one symbols, finalize
// and write each.
import { type BtfTable, parseBtf, writeBtf } from "@btforge/btf";
import type { Encoder } from "./encoder.js";
import type { Encoding } from "./encoding.js";

export interface TypesSnapshot {
  /** Runs whose typesKey() equals this one may start from the snapshot. */
  readonly key: string;
  /** Serialized table: every run gets its own copy (later phases add to it, dedup replaces it). */
  readonly bytes: Uint8Array;
  readonly base: BtfTable | undefined;
  /** Artifacts of the types phase (read-only to later phases: the DIE index, subprograms, annotations). */
  readonly artifacts: ReadonlyMap<string, unknown>;
  /** Where the snapshot came from (a profile name), for reports. */
  readonly from: string;
}

/**
 * What decides the types phase's output: the type features, the plugins tapping the phase, and
 * the configuration's own plugins with their options (a configured plugin may tap types with
 * options that change what it adds; an instance from a JS configuration is never shared).
 */
let instanceCount = 0;

export function typesKey(encoder: Encoder): string {
  const f = encoder.config.features;
  const taps = (encoder.hooks.types as unknown as { taps: { name: string }[] }).taps.map((t) => t.name);
  const configured = encoder.config.plugins.map((p) => (p.instance ? { instance: ++instanceCount } : { ref: p.ref, dir: p.baseDir, options: p.options ?? null }));
  const langExclude = [...new Set(f.lang_exclude.map((l) => l.toLowerCase()))].sort();
  return JSON.stringify({ float: f.float, enum64: f.enum64, force: f.encode_force, langExclude, taps, configured });
}

/** A snapshot of an encoding whose types phase just ended (RunOptions.afterTypes is the moment). */
export function snapshotTypes(encoder: Encoder, encoding: Encoding, from: string): TypesSnapshot {
  return { key: typesKey(encoder), bytes: writeBtf(encoding.btf), base: encoding.btf.base, artifacts: new Map(encoding.artifacts), from };
}

/** A fresh copy of the snapshot's table. */
export function snapshotTable(s: TypesSnapshot): BtfTable {
  return parseBtf(s.bytes, { base: s.base });
}
