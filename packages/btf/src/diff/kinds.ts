// What the comparison calls each BTF kind it compares on its own, in one table: the kind's name in
// the report, its family (what it may turn into and still be the same type, see entities.ts) and
// the C keyword its label starts with.

import { BtfKind } from "../constants.js";
import type { BtfTypeStore } from "../store.js";
import type { EntityKind } from "./model.js";

export type Family = "tag" | "enum" | "typedef" | "scalar" | "func" | "var" | "datasec";
export const FAMILIES: readonly Family[] = ["tag", "enum", "typedef", "scalar", "func", "var", "datasec"];

interface KindInfo {
  kind: EntityKind;
  family: Family;
  /** "" for INT and FLOAT, whose names say what they are. */
  word: string;
}

const KINDS: ReadonlyMap<number, KindInfo> = new Map([
  [BtfKind.STRUCT, { kind: "struct", family: "tag", word: "struct" }],
  [BtfKind.UNION, { kind: "union", family: "tag", word: "union" }],
  [BtfKind.FWD, { kind: "fwd", family: "tag", word: "struct" }],
  [BtfKind.ENUM, { kind: "enum", family: "enum", word: "enum" }],
  [BtfKind.ENUM64, { kind: "enum64", family: "enum", word: "enum" }],
  [BtfKind.TYPEDEF, { kind: "typedef", family: "typedef", word: "typedef" }],
  [BtfKind.INT, { kind: "int", family: "scalar", word: "" }],
  [BtfKind.FLOAT, { kind: "float", family: "scalar", word: "" }],
  [BtfKind.FUNC, { kind: "func", family: "func", word: "func" }],
  [BtfKind.VAR, { kind: "var", family: "var", word: "var" }],
  [BtfKind.DATASEC, { kind: "datasec", family: "datasec", word: "datasec" }],
]);

/** The report's name for a BTF kind; undefined for kinds not compared on their own (PTR, ARRAY, …). */
export function entityKindOf(t: BtfTypeStore, id: number): EntityKind | undefined {
  return KINDS.get(t.kind(id))?.kind;
}

export function familyOf(kind: number): Family | undefined {
  return KINDS.get(kind)?.family;
}

/** The C keyword a type's label starts with; a FWD's says struct or union. */
export function kindWord(t: BtfTypeStore, id: number): string {
  const kind = t.kind(id);
  if (kind === BtfKind.FWD) return t.kindFlag(id) ? "union" : "struct";
  return KINDS.get(kind)?.word ?? "";
}
