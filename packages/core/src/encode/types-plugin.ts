// The types phase: every DWARF type of every unit (compile and type units) into `encoding.btf`,
// one copy per unit as pahole does before dedup. Leaves the DIE→id index and the unit-level
// subprograms for the functions and variables plugins, and the clang annotations for the tag plugins.
// Units in a language of lang_exclude are not walked (./unit-filter.ts).
import { BtfTable, kindDescriptor } from "@btforge/btf";
import type { Encoder } from "../encoder.js";
import type { Encoding } from "../encoding.js";
import { DIE_TYPES_ARTIFACT } from "./die-types.js";
import { resolveDeferred } from "./types/deferred.js";
import { typeLoopError } from "./types/loop-error.js";
import { findTypeLoop } from "./types/loops.js";
import { ANNOTATIONS_ARTIFACT, SUBPROGRAMS_ARTIFACT, TypeSession } from "./types/session.js";
import { UnitEncoder } from "./types/unit-encoder.js";
import { UNIT_FILTER_ARTIFACT, UnitFilter } from "./unit-filter.js";

/** `encoding.artifacts.get(TYPES_ARTIFACT)`: what the types phase did. */
export const TYPES_ARTIFACT = "types";

export interface TypesStats {
  /** Units walked. */
  units: number;
  /** Units lang_exclude left out, per language name. */
  excludedUnits: Record<string, number>;
  /** BTF types added, per kind name. */
  perKind: Record<string, number>;
  types: number;
  crossUnitRefs: number;
  ms: number;
}

/**
 * The encoding's table, made with room for what the DWARF will give when it is still empty: about
 * one type per 40 bytes of .debug_info and one trailing word per 5 (a vmlinux: 3.3 M types, 22 M
 * words from 163 MB). Growing by doubling would copy the columns a dozen times; pages reserved
 * and never written cost no memory.
 */
function presized(encoding: Encoding): BtfTable {
  const t = encoding.btf;
  if (t.count > 0 || t.strings.size > 1) return t;
  const units = encoding.dwarf.units();
  const bytes = units.reduce((n, u) => n + u.length, 0);
  encoding.btf = new BtfTable({ base: t.base, expectedTypes: Math.ceil(bytes / 40), expectedWords: Math.ceil(bytes / 5) });
  return encoding.btf;
}

export class TypesPlugin {
  static readonly name = "types";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    encoder.hooks.types.tap(TypesPlugin.name, (encoding) => this.run(encoding));
  }

  private run(encoding: Encoding): void {
    const started = performance.now();
    const f = encoding.features;
    const table = presized(encoding);
    const firstNew = table.lastId + 1;
    const session = new TypeSession(table, { float: f.float, enum64: f.enum64, force: f.encode_force });
    const dwarf = encoding.dwarf;
    const units = dwarf.units();
    const warn = (message: string, die: number) => encoding.warn(message, { location: { file: encoding.path, die } });
    const filter = new UnitFilter(dwarf, f.lang_exclude);
    encoding.artifacts.set(UNIT_FILTER_ARTIFACT, filter);
    encoding.progress.start(units.length);
    for (const unit of units) {
      if (filter.isExcluded(unit)) {
        if (encoding.tracing) encoding.trace(`unit at 0x${unit.offset.toString(16)} left out (lang_exclude)`, TypesPlugin.name);
      } else new UnitEncoder(dwarf, unit, session, encoding.path, warn).run();
      encoding.progress.tick();
    }
    encoding.progress.stop();
    resolveDeferred(session, encoding);
    const loop = findTypeLoop(table);
    if (loop) throw typeLoopError(loop, table, session.dieTypes, dwarf, encoding.path);

    const counts = new Map<number, number>();
    for (let id = firstNew; id <= table.lastId; id++) counts.set(table.kind(id), (counts.get(table.kind(id)) ?? 0) + 1);
    const perKind: Record<string, number> = {};
    for (const [kind, n] of counts) perKind[kindDescriptor(kind)?.name ?? String(kind)] = n;
    const stats: TypesStats = {
      units: units.length - filter.excludedCount,
      excludedUnits: { ...filter.excludedByLanguage },
      perKind,
      types: table.lastId + 1 - firstNew,
      crossUnitRefs: session.deferredIds.length,
      ms: performance.now() - started,
    };
    encoding.artifacts.set(DIE_TYPES_ARTIFACT, session.dieTypes);
    encoding.artifacts.set(SUBPROGRAMS_ARTIFACT, session.subprograms);
    encoding.artifacts.set(ANNOTATIONS_ARTIFACT, session.annotations);
    encoding.artifacts.set(TYPES_ARTIFACT, stats);
    if (encoding.tracing) {
      const kinds = Object.entries(perKind).map(([k, n]) => `${k} ${n}`).join(", ");
      const left = filter.excludedCount > 0 ? ` (${filter.excludedCount} left out by lang_exclude)` : "";
      encoding.trace(`${stats.units} units${left} → ${stats.types} types (${kinds}), ${stats.crossUnitRefs} cross-unit references, ${stats.ms.toFixed(0)} ms`, TypesPlugin.name);
    }
  }
}
