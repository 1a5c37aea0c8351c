// A struct's or union's members as a program names them: through anonymous members. In C,
// `skb->next` reaches a member of an anonymous union inside an anonymous struct, and CO-RE finds
// it by name the same way (libbpf's bpf_core_match_member descends into unnamed members). So a
// member is compared by its name and its offset from the type that names it, wherever the
// anonymous members around it sit; a member that moves into a new anonymous union at the same
// offset is unchanged for every program.

import { BtfKind } from "../constants.js";
import { memberOffset } from "../kinds/builtin/aggregates.js";
import type { BtfTypeStore } from "../store.js";

export interface Leaf {
  /** The member's name; a repeated name (malformed BTF) is made unique as `name#2`. */
  key: string;
  type: number;
  /** From the start of the type the members were listed for. */
  bitOffset: number;
  bitfieldSize: number;
  /** The anonymous members it sits in, outermost first: `(anon union).(anon struct)`, or "". */
  via: string;
  /** Index among the direct members of the type that holds it (for DECL_TAG component_idx). */
  index: number;
  /** The type that holds it directly (the listed type, or an anonymous member's type). */
  holder: number;
}

/** C allows no deeper nesting in practice; deeper is a reference loop in malformed BTF. */
const MAX_NESTING = 32;

/** What forEachMember hands over for each named member. */
export type MemberVisitor = (nameOff: number, type: number, bitOffset: number, bitfieldSize: number, via: string, index: number, holder: number) => void;

/**
 * Visit the named members of a STRUCT or UNION, through its unnamed struct/union members, in
 * order. Allocates nothing but the `via` text of anonymous members: the signature of every
 * struct of a vmlinux is made this way.
 */
export function forEachMember(t: BtfTypeStore, id: number, visit: MemberVisitor): void {
  walk(t, id, 0, "", 0, visit);
}

/** The named members of a STRUCT or UNION, flattened through its unnamed struct/union members. */
export function compositeLeaves(t: BtfTypeStore, id: number): Leaf[] {
  const leaves: Leaf[] = [];
  const seen = new Map<string, number>();
  forEachMember(t, id, (nameOff, type, bitOffset, bitfieldSize, via, index, holder) => {
    const name = t.strings.tryGet(nameOff) ?? `<bad name ${nameOff}>`;
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    leaves.push({ key: count === 1 ? name : `${name}#${count}`, type, bitOffset, bitfieldSize, via, index, holder });
  });
  return leaves;
}

function walk(t: BtfTypeStore, id: number, base: number, via: string, depth: number, visit: MemberVisitor): void {
  if (depth > MAX_NESTING || !t.has(id)) return;
  const kflag = t.kindFlag(id);
  const n = t.wordCount(id);
  for (let i = 0, at = 0; at + 3 <= n; i++, at += 3) {
    const nameOff = t.word(id, at);
    const type = t.word(id, at + 1);
    const off = t.word(id, at + 2);
    const bitOffset = base + memberOffset.bitOffset(off, kflag);
    if (nameOff !== 0) {
      visit(nameOff, type, bitOffset, memberOffset.bitfieldSize(off, kflag), via, i, id);
      continue;
    }
    // An anonymous struct/union member: its members belong to this type's namespace.
    const inner = skipModifiers(t, type);
    const kind = inner === 0 || !t.has(inner) ? -1 : t.kind(inner);
    if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) {
      const label = `(anon ${kind === BtfKind.STRUCT ? "struct" : "union"})`;
      walk(t, inner, bitOffset, via === "" ? label : `${via}.${label}`, depth + 1, visit);
    }
    // An unnamed non-composite member is padding (`int :3`): no program names it.
  }
}

/** Through CONST, VOLATILE, RESTRICT and TYPE_TAG (an anonymous member may be `const struct {…}`). */
export function skipModifiers(t: BtfTypeStore, id: number): number {
  for (let depth = 0; depth < MAX_NESTING && id !== 0 && t.has(id); depth++) {
    const kind = t.kind(id);
    if (kind !== BtfKind.CONST && kind !== BtfKind.VOLATILE && kind !== BtfKind.RESTRICT && kind !== BtfKind.TYPE_TAG) return id;
    id = t.sizeOrType(id);
  }
  return id;
}
