// diffBtf: what changed between two BTFs (two kernel builds, a module before and after a patch).
// Each side is indexed once (roots by name bytes, spellings memoized per id), entities are paired
// by name or place (match.ts), and only pairs that do not read alike are compared in detail.

import type { BtfTypeStore } from "../store.js";
import { affinityOf, compareEntities, fingerprintOf, sameEntity } from "./compare/index.js";
import { type Entity, entityLabel, indexRoots } from "./entities.js";
import { matchEntities, type Matching } from "./match.js";
import {
  type BtfDiff,
  type Change,
  type ChangedEntity,
  type DiffSummary,
  ENTITY_KINDS,
  type EntityKind,
  IMPACTS,
  type Impact,
  type ListedEntity,
  worse,
} from "./model.js";
import { DiffSide } from "./side.js";

/**
 * Compare two BTFs. For split BTF, pass tables parsed on their base: only their own types are
 * compared (a module's, not vmlinux's), and references into the base are spelled by name.
 */
export function diffBtf(tableA: BtfTypeStore, tableB: BtfTypeStore): BtfDiff {
  const a = new DiffSide(tableA);
  const b = new DiffSide(tableB);
  const changedPairs: [Entity, Entity, Change[]][] = [];
  const matching = matchEntities(a, indexRoots(a), b, indexRoots(b), { same: sameEntity, fingerprint: fingerprintOf, affinity: affinityOf }, (ea, eb) => {
    if (sameEntity(a, ea, b, eb)) return;
    const changes = compareEntities(a, ea, b, eb);
    if (changes.length > 0) changedPairs.push([ea, eb, changes]);
  });
  // Labels once matching is over: a group's `(k of n)` ordinals are known by then.
  const changed: ChangedEntity[] = changedPairs.map(([ea, eb, changes]) => ({
    label: labelOf(a, ea, matching),
    name: ea.anonymous ? null : a.name(ea.id),
    a: { id: ea.id, kind: a.entityKind(ea.id)! },
    b: { id: eb.id, kind: b.entityKind(eb.id)! },
    impact: changes.reduce<Impact>((worst, c) => worse(worst, c.impact), "compatible"),
    changes,
  }));
  const removed = matching.removed.map((e) => listed(a, e, matching)).sort(byKindThenLabel);
  const added = matching.added.map((e) => listed(b, e, matching)).sort(byKindThenLabel);
  changed.sort((x, y) => IMPACTS.indexOf(x.impact) - IMPACTS.indexOf(y.impact) || kindOrder(x.a.kind) - kindOrder(y.a.kind) || compareText(x.label, y.label));
  return { summary: summarize(tableA, tableB, removed, changed, added), removed, changed, added };
}

function labelOf(side: DiffSide, e: Entity, m: Matching): string {
  const ordinal = m.ordinals.get(e);
  const label = entityLabel(side, e);
  return ordinal ? `${label} ${ordinal}` : label;
}

function listed(side: DiffSide, e: Entity, m: Matching): ListedEntity {
  return { label: labelOf(side, e, m), name: e.anonymous ? null : side.name(e.id), kind: side.entityKind(e.id)!, id: e.id };
}

function summarize(tableA: BtfTypeStore, tableB: BtfTypeStore, removed: ListedEntity[], changed: ChangedEntity[], added: ListedEntity[]): DiffSummary {
  const byKind: DiffSummary["byKind"] = {};
  const count = (kind: EntityKind, field: "removed" | "added" | "changed") => {
    const c = (byKind[kind] ??= { removed: 0, added: 0, changed: 0 });
    c[field]++;
  };
  for (const e of removed) count(e.kind, "removed");
  for (const e of changed) count(e.a.kind, "changed");
  for (const e of added) count(e.kind, "added");
  const impacts = (impact: Impact) => changed.filter((c) => c.impact === impact).length;
  const ordered: DiffSummary["byKind"] = {};
  for (const kind of ENTITY_KINDS) if (byKind[kind]) ordered[kind] = byKind[kind];
  return {
    typesA: tableA.count,
    typesB: tableB.count,
    removed: removed.length,
    added: added.length,
    changed: changed.length,
    unrelocatable: impacts("unrelocatable"),
    relocatable: impacts("relocatable"),
    compatible: impacts("compatible"),
    byKind: ordered,
  };
}

function kindOrder(kind: EntityKind): number {
  return ENTITY_KINDS.indexOf(kind);
}

function byKindThenLabel(x: ListedEntity, y: ListedEntity): number {
  return kindOrder(x.kind) - kindOrder(y.kind) || compareText(x.label, y.label);
}

/** Code-unit order: the same on every machine and locale. */
function compareText(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}
