// The things a comparison matches across two builds ("entities"), found per side.
//
// - Named types, keyed by family and name. A family is what may become another kind and still be
//   the same thing: a STRUCT, a UNION and a FWD of one name (`struct foo` that became a union, or
//   lost its definition, is changed, not removed and added), ENUM and ENUM64, INT and FLOAT.
// - Anonymous structs, unions and enums by their place: the named member, typedef or variable
//   that holds them (through pointers, arrays and qualifiers), under the entity that names that
//   member: `struct sock.sk_rx_dst_set (anon struct)`, `typedef atomic_t (anon struct)`. They are
//   children of their holder and are matched under a matched holder only. Anonymous members
//   themselves are no places: their members are the holder's own (see leaves.ts).
// - Anonymous types no member, typedef or variable holds (the kernel's constant-holding
//   `enum { … }`s, types only a prototype names) are roots keyed by their first member or
//   enumerator name, and matched by the names they share when that key moved.

import { BtfKind } from "../constants.js";
import { anonymousTarget } from "./anonymous.js";
import { FAMILIES, type Family, familyOf, kindWord } from "./kinds.js";
import { NameIndex } from "./name-index.js";
import type { DiffSide } from "./side.js";

export interface Entity {
  id: number;
  family: Family;
  /** Children: the holding member's name ("" for a typedef's or variable's type); "" for roots. */
  key: string;
  parent: Entity | undefined;
  anonymous: boolean;
}

/** A root's key in the NameIndex: its family, plus ANONYMOUS when the name is its first member's. */
export const ANONYMOUS = 0x80;

export function familyCode(code: number): Family {
  return FAMILIES[code & ~ANONYMOUS]!;
}

/**
 * The side's own types (a split BTF's, not its base's) that are compared on their own: named ones
 * by family and name, anonymous ones nothing holds by family and first member or enumerator name.
 */
export function indexRoots(side: DiffSide): NameIndex {
  const t = side.table;
  const index = new NameIndex(side.text, t.count);
  for (let id = t.firstId; id <= t.lastId; id++) {
    const family = familyOf(t.kind(id));
    if (!family) continue;
    const code = FAMILIES.indexOf(family);
    const nameOff = t.nameOff(id);
    if (nameOff !== 0) index.add(code, nameOff, id);
    else if ((family === "tag" || family === "enum") && !side.isHeld(id)) index.add(code | ANONYMOUS, firstNameOff(side, id), id);
    // Held anonymous types are their holder's children; an anonymous VAR or DATASEC is malformed.
  }
  return index;
}

export function rootEntity(family: Family, id: number, anonymous: boolean): Entity {
  return { id, family, key: "", parent: undefined, anonymous };
}

/** The name offset of a struct's first member (through anonymous ones) or an enum's first enumerator; 0 if none. */
function firstNameOff(side: DiffSide, id: number): number {
  const t = side.table;
  const kind = t.kind(id);
  if (kind === BtfKind.ENUM || kind === BtfKind.ENUM64) return t.vlen(id) > 0 ? t.word(id, 0) : 0;
  const members = side.walkMembers.fill(t, id);
  return members.count > 0 ? members.nameOff[0]! : 0;
}

const NO_CHILDREN: readonly Entity[] = [];

/** The anonymous types a matched entity holds by its named members, or as a typedef's or variable's type. */
export function childEntities(side: DiffSide, parent: Entity): readonly Entity[] {
  const t = side.table;
  const kind = t.kind(parent.id);
  if (!side.holdsAnonymous(parent.id)) return NO_CHILDREN;
  const children: Entity[] = [];
  const add = (type: number, nameOff: number) => {
    const id = anonymousTarget(t, type);
    if (id === 0 || !t.isOwn(id) || isAncestor(parent, id)) return;
    children.push({ id, family: familyOf(t.kind(id))!, key: side.nameAt(nameOff), parent, anonymous: true });
  };
  if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) {
    const members = side.walkMembers.fill(t, parent.id);
    for (let i = 0; i < members.count; i++) add(members.type[i]!, members.nameOff[i]!);
  } else if (kind === BtfKind.TYPEDEF || kind === BtfKind.VAR) {
    add(t.sizeOrType(parent.id), 0);
  }
  return children;
}

/** A struct's or union's member names (through anonymous members), an enum's enumerator names. */
export function memberNames(side: DiffSide, id: number): string[] {
  const t = side.table;
  const kind = t.kind(id);
  if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) return side.leaves(id).map((l) => l.key);
  if (kind !== BtfKind.ENUM && kind !== BtfKind.ENUM64) return [];
  const stride = kind === BtfKind.ENUM ? 2 : 3;
  const names: string[] = [];
  const words = t.words(id);
  for (let at = 0; at + stride <= words.length; at += stride) names.push(side.nameAt(words[at]!));
  return names;
}

/** The entity's place, without saying it is anonymous: `struct sock.sk_rx_dst_set`, `(anon enum: FOO)`. */
export function entityPath(side: DiffSide, e: Entity): string {
  if (e.parent) {
    const holder = entityPath(side, e.parent);
    return e.key === "" ? holder : `${holder}.${e.key}`;
  }
  const word = kindWord(side.table, e.id);
  if (!e.anonymous) return word === "" ? side.name(e.id) : `${word} ${side.name(e.id)}`;
  return `(anon ${word}${anonymousSummary(side, e.id)})`;
}

/** How many members an anonymous struct's label shows. */
const SHOWN_MEMBERS = 3;

/**
 * What tells an anonymous type nothing holds from its like: its first enumerator (unique in C), or
 * its first members as declared (`: struct bpf_raw_event_map event; btf_trace_console handler`).
 */
function anonymousSummary(side: DiffSide, id: number): string {
  const t = side.table;
  const kind = t.kind(id);
  if (kind === BtfKind.ENUM || kind === BtfKind.ENUM64) return t.vlen(id) > 0 ? `: ${side.nameAt(t.word(id, 0))}` : "";
  const leaves = side.leaves(id);
  if (leaves.length === 0) return "";
  const shown = leaves.slice(0, SHOWN_MEMBERS).map((l) => side.speller.declare(l.type, l.key));
  return `: ${shown.join("; ")}${leaves.length > SHOWN_MEMBERS ? "; …" : ""}`;
}

/** What people read: the path, and for an anonymous type held somewhere, what it is. */
export function entityLabel(side: DiffSide, e: Entity): string {
  const path = entityPath(side, e);
  return e.parent ? `${path} (anon ${kindWord(side.table, e.id)})` : path;
}

function isAncestor(e: Entity | undefined, id: number): boolean {
  for (; e; e = e.parent) if (e.id === id) return true;
  return false;
}
