// The report of a BTF comparison, as plain data: the CLI prints it for people and serializes it as
// JSON for tools (its JSON Schema lives beside the command, packages/cli/src/report/diff-schema.ts:
// change both together). Types are named, never identified by id alone: ids differ between builds.

/**
 * What a change means for a BPF program built against the old BTF, most severe first:
 * - `unrelocatable`: CO-RE cannot relocate it (a removed type, member, enumerator or function, a
 *   renamed member, a type kind CO-RE does not match): the program fails to load unless it tests
 *   for existence (`bpf_core_field_exists()`, `___flavor` types);
 * - `relocatable`: the layout moved (an offset, a size, a bitfield, an enumerator's value): a
 *   program built without CO-RE reads the wrong bytes; CO-RE relocations adjust it;
 * - `compatible`: the old layout still reads right (an addition, a same-size compatible retype).
 */
export type Impact = "unrelocatable" | "relocatable" | "compatible";
export const IMPACTS: readonly Impact[] = ["unrelocatable", "relocatable", "compatible"];

/** The more severe of two impacts. */
export function worse(a: Impact, b: Impact): Impact {
  return IMPACTS.indexOf(a) <= IMPACTS.indexOf(b) ? a : b;
}

/** The kind of a compared type, as C and bpftool name it. */
export type EntityKind = "struct" | "union" | "fwd" | "enum" | "enum64" | "typedef" | "int" | "float" | "func" | "var" | "datasec";
/** The order kinds are listed in: layouts first, then names of things. */
export const ENTITY_KINDS: readonly EntityKind[] = ["struct", "union", "fwd", "enum", "enum64", "typedef", "int", "float", "func", "var", "datasec"];

/** One side of a type that exists on both sides, or on one. */
export interface EntitySide {
  /** The type id in that side's BTF. */
  id: number;
  kind: EntityKind;
}

/** A type present on one side only. */
export interface ListedEntity {
  /** What people read and what identifies the type across builds: `struct sk_buff`, `func tcp_v4_rcv`, `struct sock.sk_rx_dst (anon struct)`. */
  label: string;
  /** Its C name, or null for an anonymous type. */
  name: string | null;
  kind: EntityKind;
  id: number;
}

/** A struct member as one side has it, flattened through anonymous members. */
export interface MemberInfo {
  /** The member's type spelled in C (`const struct sock *`, `char [16]`, `union {…}`). */
  type: string;
  /** Bit offset from the start of the type that names it (through anonymous members). */
  bitOffset: number;
  /** Bits of a bitfield, 0 for an ordinary member. */
  bitfieldSize: number;
  /** The member's size in bits (the bitfield's, else its type's), -1 when it has none. */
  bits: number;
  /** The anonymous members it sits in, outermost first (`(anon union)`), "" when direct. */
  via: string;
}

export interface FuncParam {
  /** The parameter's name, "" when unnamed. */
  name: string;
  type: string;
}

/** An enumerator's value: a number when exact in a double, else its decimal string (ENUM64). */
export type EnumValue = number | string;

interface ChangeBase {
  impact: Impact;
}

export type Change =
  /** STRUCT↔UNION, a definition↔declaration (FWD), ENUM↔ENUM64, INT↔FLOAT. */
  | (ChangeBase & { change: "kind"; old: EntityKind; new: EntityKind })
  /** The type's byte size. */
  | (ChangeBase & { change: "size"; old: number; new: number })
  | (ChangeBase & { change: "member-removed"; member: string; old: MemberInfo })
  | (ChangeBase & { change: "member-added"; member: string; new: MemberInfo })
  /** A member gone and one come at the same place with the same type: CO-RE matches names, so this breaks it. */
  | (ChangeBase & { change: "member-renamed"; member: string; newName: string; old: MemberInfo; new: MemberInfo })
  | (ChangeBase & {
      change: "member-changed";
      member: string;
      old: MemberInfo;
      new: MemberInfo;
      /** Its offset moved. */
      moved: boolean;
      /** Its type is spelled differently. */
      retyped: boolean;
      /** Its size in bits (or bitfield size) changed. */
      resized: boolean;
    })
  | (ChangeBase & { change: "enumerator-removed"; name: string; old: EnumValue })
  | (ChangeBase & { change: "enumerator-added"; name: string; new: EnumValue })
  | (ChangeBase & { change: "enumerator-changed"; name: string; old: EnumValue; new: EnumValue })
  /** An enum's or an INT's signedness. */
  | (ChangeBase & { change: "signedness"; old: boolean; new: boolean })
  /** A typedef's target or a variable's type, spelled in C. */
  | (ChangeBase & { change: "type"; old: string; new: string })
  /** An INT's encoding, bit offset or bits (`signed 32 bits`). */
  | (ChangeBase & { change: "encoding"; old: string; new: string })
  /** A function's or a variable's linkage (static, global, extern). */
  | (ChangeBase & { change: "linkage"; old: string; new: string })
  | (ChangeBase & { change: "return"; old: string; new: string })
  /** Parameters are compared by position: a program reads its arguments by position. */
  | (ChangeBase & { change: "param-removed"; index: number; old: FuncParam })
  | (ChangeBase & { change: "param-added"; index: number; new: FuncParam })
  | (ChangeBase & { change: "param-changed"; index: number; old: FuncParam; new: FuncParam })
  | (ChangeBase & { change: "varargs"; old: boolean; new: boolean })
  /** A DATASEC's entries, by variable name. */
  | (ChangeBase & { change: "section-var-removed"; var: string; old: { offset: number; size: number } })
  | (ChangeBase & { change: "section-var-added"; var: string; new: { offset: number; size: number } })
  | (ChangeBase & { change: "section-var-moved"; var: string; old: { offset: number; size: number }; new: { offset: number; size: number } })
  /** A DECL_TAG on the type (`bpf_kfunc`), on one of its members (`tag@member`) or parameters. */
  | (ChangeBase & { change: "tag-removed"; tag: string })
  | (ChangeBase & { change: "tag-added"; tag: string });

export type ChangeName = Change["change"];

/** A type present on both sides whose description differs. */
export interface ChangedEntity {
  label: string;
  name: string | null;
  a: EntitySide;
  b: EntitySide;
  /** The most severe impact among its changes. */
  impact: Impact;
  changes: Change[];
}

export interface KindCounts {
  removed: number;
  added: number;
  changed: number;
}

export interface DiffSummary {
  /** Types of each side's own part (a split BTF's, without its base). */
  typesA: number;
  typesB: number;
  removed: number;
  added: number;
  changed: number;
  /** Changed types by their most severe impact. */
  unrelocatable: number;
  relocatable: number;
  compatible: number;
  /** Per kind (A's kind for removed and changed types, B's for added ones); kinds without any are left out. */
  byKind: Partial<Record<EntityKind, KindCounts>>;
}

export interface BtfDiff {
  summary: DiffSummary;
  /** In kind order, then by label. */
  removed: ListedEntity[];
  /** Most severe first, then in kind order, then by label. */
  changed: ChangedEntity[];
  added: ListedEntity[];
}

/** Whether the comparison found anything at all. */
export function hasDifferences(diff: BtfDiff): boolean {
  return diff.removed.length + diff.added.length + diff.changed.length > 0;
}
