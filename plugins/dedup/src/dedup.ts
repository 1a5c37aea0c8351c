// dedupBtf: one copy of every type, with the semantics of libbpf's btf__dedup.
//
//   strings (TypeGraph: names become string ids) → base types made candidates → primitives →
//   structs/unions (graph equivalence) → forward declarations → reference types → compaction
//
// Split BTF: given a base, a type equal to a base type becomes the base id and only the rest is
// emitted, continuing the base's ids and strings (what pahole --btf_base does).

import type { BtfTable, BtfTypeStore } from "@btforge/btf";
import { emit } from "./emit.js";
import { resolveForwards } from "./fwds.js";
import { TypeGraph } from "./graph.js";
import { dedupPrimitives, indexBase } from "./primitives.js";
import { dedupReferences, keepsIdentity } from "./references.js";
import { DedupState } from "./state.js";
import { dedupStructs } from "./structs.js";

export interface DedupOptions {
  /**
   * The base BTF (vmlinux) for split dedup. The input is either split on it already, or a
   * standalone table whose type references are its own (a module merged with its base): then
   * its ids are read as following the base's.
   */
  base?: BtfTypeStore;
  /** Told the wall time of each phase as it ends (for --verbose traces and benchmarks). */
  onPhase?: (phase: DedupPhase, ms: number) => void;
}

/** The phases of the first pass, then "settle": the passes over the output until nothing merges. */
export type DedupPhase = "graph" | "primitives" | "structs" | "forwards" | "references" | "emit" | "settle";

export interface DedupResult {
  table: BtfTable;
  /** Input type id → output type id; 0 stays 0; a type merged into the base maps to the base id. */
  remap: Uint32Array;
}

/**
 * One pass can leave two records that became identical only once their references were
 * rewritten (a struct whose walk met a conflict the reference phase later resolved). Passes
 * repeat on the output until one merges nothing, so the result is a fixpoint and deduplicating
 * it again returns it byte for byte. Real inputs settle after the check pass.
 */
const MAX_PASSES = 8;

export function dedupBtf(table: BtfTypeStore, options: DedupOptions = {}): DedupResult {
  let result = dedupPass(table, options);
  const started = performance.now();
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    const again = dedupPass(result.table, { base: result.table.base }, true);
    if (!again) break;
    for (let id = 0; id < result.remap.length; id++) result.remap[id] = again.remap[result.remap[id]!]!;
    result = { table: again.table, remap: result.remap };
  }
  options.onPhase?.("settle", performance.now() - started);
  return result;
}

/** One pass; with `orNothing`, undefined when it would merge nothing (the input is a fixpoint). */
function dedupPass(table: BtfTypeStore, options: DedupOptions): DedupResult;
function dedupPass(table: BtfTypeStore, options: DedupOptions, orNothing: true): DedupResult | undefined;
function dedupPass(table: BtfTypeStore, options: DedupOptions, orNothing = false): DedupResult | undefined {
  let last = performance.now();
  const done = (phase: DedupPhase) => {
    if (!options.onPhase) return;
    const now = performance.now();
    options.onPhase(phase, now - last);
    last = now;
  };
  const graph = new TypeGraph(table, options.base);
  const state = new DedupState(graph);
  indexBase(state);
  for (let id = graph.firstOwn; id < graph.size; id++) if (keepsIdentity(state, id)) state.map[id] = id;
  done("graph");
  dedupPrimitives(state);
  done("primitives");
  dedupStructs(state);
  done("structs");
  resolveForwards(state);
  done("forwards");
  dedupReferences(state);
  done("references");
  if (orNothing && mergesNothing(state)) return undefined;
  const result = emit(state, table, options.base);
  done("emit");
  return result;
}

function mergesNothing(state: DedupState): boolean {
  const { g, map } = state;
  for (let id = g.firstOwn; id < g.size; id++) if (map[id] !== id) return false;
  return true;
}
