// STRUCT, UNION and FWD: kind, size, and member by member (by name, through anonymous members)
// with old and new offsets, bitfield sizes and types.

import { BtfKind } from "../../constants.js";
import type { Leaf } from "../leaves.js";
import type { Change, Impact, MemberInfo } from "../model.js";
import type { DiffSide } from "../side.js";
import { retypeImpact } from "./impact.js";
import { compareTags, sameTags } from "./tags.js";

/** Whether two structs, unions or declarations read alike: what compareComposites compares, without objects. */
export function sameComposite(a: DiffSide, ia: number, b: DiffSide, ib: number): boolean {
  const ta = a.table;
  const tb = b.table;
  const kind = ta.kind(ia);
  if (kind !== tb.kind(ib)) return false;
  if (kind === BtfKind.FWD) return ta.kindFlag(ia) === tb.kindFlag(ib) && sameTags(a, ia, b, ib);
  if (ta.sizeOrType(ia) !== tb.sizeOrType(ib)) return false;
  const ma = a.members.fill(ta, ia);
  const mb = (b === a ? b.moreMembers : b.members).fill(tb, ib);
  if (ma.count !== mb.count) return false;
  for (let i = 0; i < ma.count; i++) {
    if (ma.bitOffset[i] !== mb.bitOffset[i] || ma.bitfieldSize[i] !== mb.bitfieldSize[i] || ma.via[i] !== mb.via[i]) return false;
    const typeA = ma.type[i]!;
    const typeB = mb.type[i]!;
    if (a.spell(typeA) !== b.spell(typeB) || a.byteSize(typeA) !== b.byteSize(typeB)) return false;
    if (!a.sameNameAs(ma.nameOff[i]!, b, mb.nameOff[i]!)) return false;
  }
  return sameTags(a, ia, b, ib);
}

export function compareComposites(a: DiffSide, ia: number, b: DiffSide, ib: number): Change[] {
  const changes: Change[] = [];
  const ka = a.table.kind(ia);
  const kb = b.table.kind(ib);
  if (ka === BtfKind.FWD || kb === BtfKind.FWD) {
    compareDeclarations(a, ia, b, ib, changes);
  } else {
    // CO-RE looks for a target of the same kind: a struct that became a union is not found.
    if (ka !== kb) changes.push({ change: "kind", old: a.entityKind(ia)!, new: b.entityKind(ib)!, impact: "unrelocatable" });
    const sa = a.table.sizeOrType(ia);
    const sb = b.table.sizeOrType(ib);
    if (sa !== sb) changes.push({ change: "size", old: sa, new: sb, impact: "relocatable" });
    compareMembers(a, ia, b, ib, changes);
  }
  compareTags(a, ia, b, ib, changes);
  return changes;
}

/** A definition that became a declaration has no members left to relocate to; the reverse adds them. */
function compareDeclarations(a: DiffSide, ia: number, b: DiffSide, ib: number, out: Change[]): void {
  const fwdA = a.table.kind(ia) === BtfKind.FWD;
  const fwdB = b.table.kind(ib) === BtfKind.FWD;
  const old = a.entityKind(ia)!;
  const now = b.entityKind(ib)!;
  if (fwdA && fwdB) {
    if (a.table.kindFlag(ia) !== b.table.kindFlag(ib)) out.push({ change: "kind", old, new: now, impact: "unrelocatable" });
    return;
  }
  out.push({ change: "kind", old, new: now, impact: fwdB ? "unrelocatable" : "compatible" });
}

interface Ordered {
  at: number;
  change: Change;
}

function compareMembers(a: DiffSide, ia: number, b: DiffSide, ib: number, out: Change[]): void {
  const la = a.leaves(ia);
  const lb = b.leaves(ib);
  const byKey = new Map<string, Leaf>();
  for (const l of lb) byKey.set(l.key, l);
  const matched = new Set<string>();
  const ordered: Ordered[] = [];
  const removed: Leaf[] = [];
  for (const old of la) {
    const now = byKey.get(old.key);
    if (!now) {
      removed.push(old);
      continue;
    }
    matched.add(old.key);
    const change = memberChange(a, old, b, now);
    if (change) ordered.push({ at: now.bitOffset, change });
  }
  const added = lb.filter((l) => !matched.has(l.key));
  for (const old of removed) {
    // CO-RE finds members by name: a rename is as fatal to it as a removal, so say which it was.
    const at = added.findIndex((l) => l.bitOffset === old.bitOffset && l.bitfieldSize === old.bitfieldSize && b.spell(l.type) === a.spell(old.type));
    if (at >= 0) {
      const now = added.splice(at, 1)[0]!;
      ordered.push({
        at: now.bitOffset,
        change: { change: "member-renamed", member: old.key, newName: now.key, old: memberInfo(a, old), new: memberInfo(b, now), impact: "unrelocatable" },
      });
    } else {
      ordered.push({ at: old.bitOffset, change: { change: "member-removed", member: old.key, old: memberInfo(a, old), impact: "unrelocatable" } });
    }
  }
  for (const now of added) ordered.push({ at: now.bitOffset, change: { change: "member-added", member: now.key, new: memberInfo(b, now), impact: "compatible" } });
  // By offset; at one offset what went comes before what came or moved there.
  ordered.sort((x, y) => x.at - y.at || rank(x.change) - rank(y.change));
  for (const o of ordered) out.push(o.change);
}

function rank(c: Change): number {
  return c.change === "member-removed" ? 0 : 1;
}

function memberChange(a: DiffSide, old: Leaf, b: DiffSide, now: Leaf): Change | undefined {
  // Most members of a changed struct are unchanged: tell so before making their descriptions.
  if (
    old.bitOffset === now.bitOffset &&
    old.bitfieldSize === now.bitfieldSize &&
    old.via === now.via &&
    a.spell(old.type) === b.spell(now.type) &&
    a.byteSize(old.type) === b.byteSize(now.type)
  ) {
    return undefined;
  }
  const before = memberInfo(a, old);
  const after = memberInfo(b, now);
  const moved = before.bitOffset !== after.bitOffset;
  const retyped = before.type !== after.type;
  const resized = before.bits !== after.bits || before.bitfieldSize !== after.bitfieldSize;
  let impact: Impact = moved || resized ? "relocatable" : "compatible";
  if (retyped && retypeImpact(a, old.type, b, now.type) === "unrelocatable") impact = "unrelocatable";
  return { change: "member-changed", member: old.key, old: before, new: after, moved, retyped, resized, impact };
}

function memberInfo(side: DiffSide, l: Leaf): MemberInfo {
  const size = side.byteSize(l.type);
  return {
    type: side.spell(l.type),
    bitOffset: l.bitOffset,
    bitfieldSize: l.bitfieldSize,
    bits: l.bitfieldSize !== 0 ? l.bitfieldSize : size < 0 ? -1 : size * 8,
    via: l.via,
  };
}
