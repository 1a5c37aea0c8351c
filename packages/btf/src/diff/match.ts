// Pairing the entities of two builds (see entities.ts for what they are and their keys). Pairs are
// handed to a visitor as they are found and not kept: on two vmlinuxes there are 100k of them and
// nearly all compare equal, so keeping them would only feed the garbage collector.
//
// 1. Roots with the same family and key pair up. A key several types share on one side (static
//    structs of one name in different units; pahole 1.24's repeated FUNCs) is a group: copies that
//    read the same count once, alike members of both sides pair, and what is left pairs where one
//    pairing stands out; the rest are removed or added and labelled `(2 of 3)`.
// 2. Anonymous roots left over pair with the one of the other side they have most in common with
//    (members by name and type, enumerators by name; at least half, and no other as much): a new
//    first enumerator does not make an anonymous enum new.
// 3. Under every pair, the anonymous types held by the same member (or as the same typedef's or
//    variable's type) pair, and so on down. Held anonymous types never count as removed or
//    added themselves: the member that held them does.

import { ANONYMOUS, childEntities, type Entity, familyCode, memberNames, rootEntity } from "./entities.js";
import { FAMILIES, type Family } from "./kinds.js";
import type { NameIndex } from "./name-index.js";
import type { DiffSide } from "./side.js";

export interface Matching {
  /** Roots of A no root of B pairs with. */
  removed: Entity[];
  /** Roots of B no root of A pairs with. */
  added: Entity[];
  /** `(k of n)` for the members of a group of same-named, different types on one side. */
  ordinals: Map<Entity, string>;
}

/** How alike two entities are: the comparison's business, handed in (compare/index.ts). */
export interface Likeness {
  /** Whether two entities read alike; the sides may be one (copies of a name on one side). */
  same(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity): boolean;
  /** Equal for any two entities `same` calls alike: buckets a same-named group. */
  fingerprint(side: DiffSide, e: Entity): string;
  /** How much two different entities have in common (members, enumerators): pairs what is left of a group. */
  affinity(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity): number;
}
export type PairVisitor = (a: Entity, b: Entity) => void;

export function matchEntities(a: DiffSide, rootsA: NameIndex, b: DiffSide, rootsB: NameIndex, like: Likeness, visit: PairVisitor): Matching {
  const m: Matching = { removed: [], added: [], ordinals: new Map() };
  const pair = (ea: Entity, eb: Entity) => visitPair(a, ea, b, eb, visit);
  const entities = (index: NameIndex, e: number) => {
    const code = index.code(e);
    return index.chain(e).map((id) => rootEntity(familyCode(code), id, (code & ANONYMOUS) !== 0));
  };
  // Roots left over, by family: the anonymous ones get another chance by their names once every key has been tried.
  const leftA = new Map<Family, Entity[]>();
  const leftB = new Map<Family, Entity[]>();
  const leave = (left: Map<Family, Entity[]>, list: Entity[]) => {
    for (const e of list) {
      const l = left.get(e.family);
      if (l) l.push(e);
      else left.set(e.family, [e]);
    }
  };
  for (let ea = 0; ea < rootsA.size; ea++) {
    if (!rootsA.head(ea)) continue;
    const eb = rootsA.findEntry(ea, rootsB);
    if (eb < 0) {
      leave(leftA, entities(rootsA, ea));
    } else if (rootsA.single(ea) && rootsB.single(eb)) {
      const family = familyCode(rootsA.code(ea));
      const anonymous = (rootsA.code(ea) & ANONYMOUS) !== 0;
      pair(rootEntity(family, rootsA.id(ea), anonymous), rootEntity(family, rootsB.id(eb), anonymous));
    } else {
      const group = matchGroup(a, entities(rootsA, ea), b, entities(rootsB, eb), like, m);
      for (const [x, y] of group.pairs) pair(x, y);
      leave(leftA, group.leftA);
      leave(leftB, group.leftB);
    }
  }
  for (let eb = 0; eb < rootsB.size; eb++) if (rootsB.head(eb) && rootsB.findEntry(eb, rootsA) < 0) leave(leftB, entities(rootsB, eb));

  for (const family of FAMILIES) {
    const listA = leftA.get(family) ?? [];
    const listB = leftB.get(family) ?? [];
    const paired = new Set<Entity>();
    for (const [ea, eb] of matchByNames(a, listA.filter((e) => e.anonymous), b, listB.filter((e) => e.anonymous), like)) {
      pair(ea, eb);
      paired.add(ea).add(eb);
    }
    for (const e of listA) if (!paired.has(e)) m.removed.push(e);
    for (const e of listB) if (!paired.has(e)) m.added.push(e);
  }
  return m;
}

/** The pair, then the anonymous types both hold at the same place, depth first. */
function visitPair(a: DiffSide, ea: Entity, b: DiffSide, eb: Entity, visit: PairVisitor): void {
  visit(ea, eb);
  const childrenB = childEntities(b, eb);
  if (childrenB.length === 0) return;
  const byKey = new Map(childrenB.map((c) => [`${c.family} ${c.key}`, c]));
  for (const ca of childEntities(a, ea)) {
    const cb = byKey.get(`${ca.family} ${ca.key}`);
    if (cb) visitPair(a, ca, b, cb, visit);
  }
}

interface GroupMatch {
  pairs: [Entity, Entity][];
  leftA: Entity[];
  leftB: Entity[];
}

function matchGroup(a: DiffSide, listA: Entity[], b: DiffSide, listB: Entity[], like: Likeness, m: Matching): GroupMatch {
  const distinctA = distinct(a, listA, like);
  const distinctB = distinct(b, listB, like);
  label(distinctA, m.ordinals);
  label(distinctB, m.ordinals);
  const pairs: [Entity, Entity][] = [];
  const unpairedA: Entity[] = [];
  const bucketsB = buckets(b, distinctB, like);
  const pairedB = new Set<Entity>();
  for (const ea of distinctA) {
    const eb = bucketsB.get(like.fingerprint(a, ea))?.find((x) => !pairedB.has(x) && like.same(a, ea, b, x));
    if (eb) {
      pairs.push([ea, eb]);
      pairedB.add(eb);
    } else {
      unpairedA.push(ea);
    }
  }
  // What is left pairs only where one pairing stands out: one left on each side, or the member of
  // the other side that has the most in common with it, and no other as much. Two changed copies of `struct foo` pair; the
  // kernel's hundreds of anonymous trace-event unions, alike but for one member's type, do not
  // pair at random: they are removed and added.
  const leftA: Entity[] = [];
  const unpairedB = distinctB.filter((e) => !pairedB.has(e));
  if (unpairedA.length === 1 && unpairedB.length === 1) {
    // One of this name changed: nothing else it could be.
    pairs.push([unpairedA[0]!, unpairedB[0]!]);
    return { pairs, leftA, leftB: [] };
  }
  for (const ea of unpairedA) {
    let best: Entity | undefined;
    let bestScore = 0;
    let tie = false;
    for (const eb of distinctB) {
      if (pairedB.has(eb)) continue;
      const score = like.affinity(a, ea, b, eb);
      if (score > bestScore) [best, bestScore, tie] = [eb, score, false];
      else if (score === bestScore && score > 0) tie = true;
    }
    if (best && !tie) {
      pairs.push([ea, best]);
      pairedB.add(best);
    } else {
      leftA.push(ea);
    }
  }
  return { pairs, leftA, leftB: distinctB.filter((e) => !pairedB.has(e)) };
}

/** The group's members that differ from every earlier one (in id order); later copies drop out. */
function distinct(side: DiffSide, list: Entity[], like: Likeness): Entity[] {
  const kept: Entity[] = [];
  const seen = new Map<string, Entity[]>();
  for (const e of list) {
    const key = like.fingerprint(side, e);
    const bucket = seen.get(key);
    if (bucket?.some((k) => like.same(side, k, side, e))) continue;
    if (bucket) bucket.push(e);
    else seen.set(key, [e]);
    kept.push(e);
  }
  return kept;
}

function buckets(side: DiffSide, list: Entity[], like: Likeness): Map<string, Entity[]> {
  const out = new Map<string, Entity[]>();
  for (const e of list) {
    const key = like.fingerprint(side, e);
    const bucket = out.get(key);
    if (bucket) bucket.push(e);
    else out.set(key, [e]);
  }
  return out;
}

function label(distinctOnes: Entity[], ordinals: Map<Entity, string>): void {
  if (distinctOnes.length < 2) return;
  distinctOnes.forEach((e, k) => ordinals.set(e, `(${k + 1} of ${distinctOnes.length})`));
}

/**
 * Pairs anonymous roots with the one of the other side they have most in common with (members by
 * name and type, enumerators by name): at least half of the smaller one's, and no other as much.
 */
function matchByNames(a: DiffSide, listA: Entity[], b: DiffSide, listB: Entity[], like: Likeness): [Entity, Entity][] {
  if (listA.length === 0 || listB.length === 0) return [];
  const sizeB = new Map<Entity, number>();
  const byName = new Map<string, Entity[]>();
  for (const e of listB) {
    const names = new Set(memberNames(b, e.id));
    sizeB.set(e, names.size);
    for (const name of names) {
      const list = byName.get(name);
      if (list) list.push(e);
      else byName.set(name, [e]);
    }
  }
  const taken = new Set<Entity>();
  const pairs: [Entity, Entity][] = [];
  for (const ea of listA) {
    const names = new Set(memberNames(a, ea.id));
    const candidates = new Set<Entity>();
    for (const name of names) for (const eb of byName.get(name) ?? []) if (!taken.has(eb)) candidates.add(eb);
    let best: Entity | undefined;
    let bestScore = 0;
    let tie = false;
    for (const eb of candidates) {
      const score = like.affinity(a, ea, b, eb);
      if (score > bestScore) [best, bestScore, tie] = [eb, score, false];
      else if (score === bestScore && score > 0) tie = true;
    }
    if (best && !tie && bestScore * 2 >= Math.min(names.size, sizeB.get(best)!)) {
      taken.add(best);
      pairs.push([ea, best]);
    }
  }
  return pairs;
}
