// One side of a comparison: its BTF table and what is computed once per side and shared by every
// comparison on it (spellings, flattened members, DECL_TAGs by target, the pointer size).

import { BtfKind } from "../constants.js";
import type { BtfTypeStore } from "../store.js";
import { resolveTypeSize } from "../type-size.js";
import { type Anonymity, findAnonymity } from "./anonymous.js";
import { entityKindOf } from "./kinds.js";
import { compositeLeaves, type Leaf, MemberList } from "./leaves.js";
import { NameText, sameName } from "./name-index.js";
import type { EntityKind } from "./model.js";
import { nameOf, TypeSpeller } from "./spell.js";

export class DiffSide {
  readonly speller: TypeSpeller;
  readonly pointerSize: number;
  /** The string table's bytes, for comparing names with the other side's without decoding them. */
  readonly text: NameText;
  /** Reused by every comparison of members on this side (see sameComposite)... */
  readonly members = new MemberList();
  /** ...and the other operand's when both are on this side (same-named copies)... */
  readonly moreMembers = new MemberList();
  /** ...and one for walks that hand out what they found (a holder's children, a detailed comparison). */
  readonly walkMembers = new MemberList();
  /** resolveTypeSize by id, +2 so that 0 means "not known yet" (sizes are -1 or more). */
  private readonly sizeMemo: Float64Array;
  private tagsByTarget: Map<number, string[]> | undefined;
  private anonymity: Anonymity | undefined;

  constructor(readonly table: BtfTypeStore) {
    this.text = new NameText(table.strings);
    this.speller = new TypeSpeller(table, (off) => this.text.decode(off));
    this.pointerSize = guessPointerSize(table);
    this.sizeMemo = new Float64Array(table.lastId + 1);
  }

  name(id: number): string {
    return this.text.decode(this.table.nameOff(id));
  }

  /** The string at a name offset ("" for 0); one outside the strings is shown, never thrown. */
  nameAt(off: number): string {
    return this.text.decode(off);
  }

  /** Whether name offset `off` here names what `otherOff` names on the other side. */
  sameNameAs(off: number, other: DiffSide, otherOff: number): boolean {
    return sameName(this.text, off, other.text, otherOff);
  }

  spell(id: number): string {
    return this.speller.spell(id);
  }

  /** Byte size of a type as libbpf resolves it, -1 when it has none. */
  byteSize(id: number): number {
    if (id < 0 || id >= this.sizeMemo.length) return resolveTypeSize(this.table, id, this.pointerSize);
    const known = this.sizeMemo[id]!;
    if (known !== 0) return known - 2;
    const size = resolveTypeSize(this.table, id, this.pointerSize);
    this.sizeMemo[id] = size + 2;
    return size;
  }

  /** The named members of a struct or union, through its anonymous members. */
  leaves(id: number): Leaf[] {
    return compositeLeaves(this.table, id, this.walkMembers, (off) => this.text.decode(off));
  }

  /**
   * The DECL_TAGs of type `id`, sorted: `name` on the type itself, `name@member` on a member,
   * `name@param` on a parameter (of a FUNC's prototype).
   */
  tags(id: number): readonly string[] {
    this.tagsByTarget ??= this.indexTags();
    return this.tagsByTarget.get(id) ?? NO_TAGS;
  }

  /** Whether an own anonymous type is held by a member, typedef or variable. */
  isHeld(id: number): boolean {
    this.anonymity ??= findAnonymity(this.table);
    return this.anonymity.held[id - this.table.firstId] === 1;
  }

  /** Whether an own struct, union, typedef or variable holds an anonymous type (directly or in an anonymous member). */
  holdsAnonymous(id: number): boolean {
    this.anonymity ??= findAnonymity(this.table);
    return this.table.isOwn(id) && this.anonymity.holds[id - this.table.firstId] === 1;
  }

  /** What people call the type's kind; undefined for kinds that are not compared on their own. */
  entityKind(id: number): EntityKind | undefined {
    return entityKindOf(this.table, id);
  }

  private indexTags(): Map<number, string[]> {
    const t = this.table;
    const byTarget = new Map<number, string[]>();
    for (let id = t.firstId; id <= t.lastId; id++) {
      if (t.kind(id) !== BtfKind.DECL_TAG) continue;
      const target = t.sizeOrType(id);
      if (!t.has(target)) continue;
      const component = t.word(id, 0) | 0;
      const where = component < 0 ? "" : `@${this.componentName(target, component)}`;
      const list = byTarget.get(target) ?? [];
      list.push(`${this.name(id)}${where}`);
      byTarget.set(target, list);
    }
    for (const list of byTarget.values()) list.sort();
    return byTarget;
  }

  /** A DECL_TAG's component: a member of a struct/union, a parameter of a FUNC's prototype. */
  private componentName(target: number, index: number): string {
    const t = this.table;
    const kind = t.kind(target);
    let owner = target;
    if (kind === BtfKind.FUNC) owner = t.sizeOrType(target);
    if (!t.has(owner) || index >= t.vlen(owner)) return `#${index}`;
    const stride = t.kind(owner) === BtfKind.FUNC_PROTO ? 2 : 3;
    const off = t.word(owner, index * stride);
    return off === 0 ? `#${index}` : (t.strings.tryGet(off) ?? `#${index}`);
  }
}

const NO_TAGS: readonly string[] = [];

/** C's `long` names: its size is the target's pointer size (libbpf's determine_ptr_size). */
const LONG_NAMES = new Set(["long", "long int", "int long", "unsigned long", "long unsigned", "unsigned long int", "unsigned int long", "long unsigned int", "long int unsigned", "int unsigned long", "int long unsigned"]);

function guessPointerSize(t: BtfTypeStore): number {
  for (let id = 1; id <= t.lastId; id++) {
    if (t.kind(id) !== BtfKind.INT) continue;
    const size = t.sizeOrType(id);
    if ((size === 4 || size === 8) && LONG_NAMES.has(nameOf(t, id))) return size;
  }
  return 8;
}
