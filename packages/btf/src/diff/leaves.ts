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
}

/** C allows no deeper nesting in practice; deeper is a reference loop in malformed BTF. */
const MAX_NESTING = 32;

/**
 * The flattened members of one struct or union in typed-array columns, refilled for each type:
 * comparing the members of every struct of two vmlinuxes this way makes no object per member.
 */
export class MemberList {
  count = 0;
  nameOff = new Uint32Array(64);
  type = new Uint32Array(64);
  bitOffset = new Uint32Array(64);
  bitfieldSize = new Uint8Array(64);
  /** "" for a direct member, else the anonymous members it sits in. */
  via: string[] = [];

  /** Fill with the named members of STRUCT or UNION `id`, through its unnamed struct/union members. */
  fill(t: BtfTypeStore, id: number): this {
    this.count = 0;
    this.collect(t, id, 0, "", 0);
    return this;
  }

  private collect(t: BtfTypeStore, id: number, base: number, via: string, depth: number): void {
    if (depth > MAX_NESTING || !t.has(id)) return;
    const kflag = t.kindFlag(id);
    const n = t.wordCount(id);
    for (let at = 0; at + 3 <= n; at += 3) {
      const nameOff = t.word(id, at);
      const type = t.word(id, at + 1);
      const off = t.word(id, at + 2);
      const bitOffset = base + memberOffset.bitOffset(off, kflag);
      if (nameOff !== 0) {
        this.push(nameOff, type, bitOffset, memberOffset.bitfieldSize(off, kflag), via);
        continue;
      }
      // An anonymous struct/union member: its members belong to this type's namespace.
      const inner = skipModifiers(t, type);
      const kind = inner === 0 || !t.has(inner) ? -1 : t.kind(inner);
      if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) {
        const label = `(anon ${kind === BtfKind.STRUCT ? "struct" : "union"})`;
        this.collect(t, inner, bitOffset, via === "" ? label : `${via}.${label}`, depth + 1);
      }
      // An unnamed non-composite member is padding (`int :3`): no program names it.
    }
  }

  private push(nameOff: number, type: number, bitOffset: number, bitfieldSize: number, via: string): void {
    const i = this.count++;
    if (i === this.nameOff.length) this.grow();
    this.nameOff[i] = nameOff;
    this.type[i] = type;
    this.bitOffset[i] = bitOffset;
    this.bitfieldSize[i] = bitfieldSize;
    this.via[i] = via;
  }

  private grow(): void {
    const size = this.nameOff.length * 2;
    const copy = <T extends Uint32Array | Uint8Array>(a: T, make: (n: number) => T) => {
      const next = make(size);
      next.set(a);
      return next;
    };
    this.nameOff = copy(this.nameOff, (n) => new Uint32Array(n));
    this.type = copy(this.type, (n) => new Uint32Array(n));
    this.bitOffset = copy(this.bitOffset, (n) => new Uint32Array(n));
    this.bitfieldSize = copy(this.bitfieldSize, (n) => new Uint8Array(n));
  }
}

/** The named members of a STRUCT or UNION as objects (for the detailed comparison of a changed type). */
export function compositeLeaves(
  t: BtfTypeStore,
  id: number,
  scratch = new MemberList(),
  decode: (off: number) => string = (off) => t.strings.tryGet(off) ?? `<bad name ${off}>`,
): Leaf[] {
  const list = scratch.fill(t, id);
  const leaves: Leaf[] = [];
  const seen = new Map<string, number>();
  for (let i = 0; i < list.count; i++) {
    const nameOff = list.nameOff[i]!;
    const name = decode(nameOff);
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    leaves.push({
      key: count === 1 ? name : `${name}#${count}`,
      type: list.type[i]!,
      bitOffset: list.bitOffset[i]!,
      bitfieldSize: list.bitfieldSize[i]!,
      via: list.via[i]!,
    });
  }
  return leaves;
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
