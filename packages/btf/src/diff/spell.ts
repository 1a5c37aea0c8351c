// Types spelled in C, by names: `const struct sock *`, `char [16]`, `void (*)(struct sk_buff *, int)`.
// Two builds give the same type different ids, so the comparison compares spellings: a member
// whose type is spelled alike on both sides has not been retyped. Named types stop the spelling
// (`struct sock`, whatever its members: its own entry reports those); anonymous structs, unions
// and enums spell as `struct {…}` (their content is compared where they are held).
//
// A declarator is built inside out: the pointer, array and prototype parts wrap the "inner"
// text (the name, or "" for an abstract type) the way C reads them, so `int *(*)[4]` comes out
// right. The spelling of each id with an empty inner is memoized: most members share few types.

import { BtfKind } from "../constants.js";
import { kindDescriptor } from "../kinds/registry.js";
import type { BtfTypeStore } from "../store.js";

/** Longer chains of modifiers and pointers than any C type has: a reference loop. */
const MAX_DEPTH = 64;

export class TypeSpeller {
  /** By id; ids outside the table are spelled each time (they are errors anyway). */
  private readonly memo: (string | undefined)[];

  /** `decode` turns a name offset into its string (a faster one than the table's may be handed in). */
  constructor(
    private readonly table: BtfTypeStore,
    private readonly decode: (off: number) => string = (off) => (off === 0 ? "" : (table.strings.tryGet(off) ?? `<bad name ${off}>`)),
  ) {
    this.memo = new Array<string | undefined>(table.lastId + 1);
  }

  /** The type as C spells it without a name (`struct sock *`). */
  spell(id: number): string {
    let s = this.memo[id];
    if (s === undefined) {
      s = this.declarator(id, "", 0);
      if (id >= 0 && id < this.memo.length) this.memo[id] = s;
    }
    return s;
  }

  /** A declaration of `name` with the type (`char comm[16]`, `void (*fn)(int)`). */
  declare(id: number, name: string): string {
    return name === "" ? this.spell(id) : this.declarator(id, name, 0);
  }

  /** A named or anonymous struct, union, enum, typedef, INT or FLOAT: what ends a declarator. */
  baseName(id: number): string {
    const t = this.table;
    const name = this.decode(t.nameOff(id));
    switch (t.kind(id)) {
      case BtfKind.STRUCT:
        return name === "" ? "struct {…}" : `struct ${name}`;
      case BtfKind.UNION:
        return name === "" ? "union {…}" : `union ${name}`;
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        return name === "" ? "enum {…}" : `enum ${name}`;
      case BtfKind.FWD:
        return `${t.kindFlag(id) ? "union" : "struct"} ${name}`;
      default:
        return name;
    }
  }

  private declarator(id: number, inner: string, depth: number): string {
    const t = this.table;
    if (depth > MAX_DEPTH) return `… ${inner}`.trimEnd();
    if (id === 0) return withInner("void", inner);
    if (!t.has(id)) return withInner(`<bad type id ${id}>`, inner);
    const kind = t.kind(id);
    switch (kind) {
      case BtfKind.INT:
      case BtfKind.FLOAT:
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
      case BtfKind.FWD:
      case BtfKind.TYPEDEF:
        return withInner(this.baseName(id), inner);
      case BtfKind.PTR:
        return this.declarator(t.sizeOrType(id), `*${inner}`, depth + 1);
      case BtfKind.CONST:
      case BtfKind.VOLATILE:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG: {
        const qualifier = qualifierText(t, id, kind);
        const target = t.sizeOrType(id);
        // On a pointer the qualifier follows the star (`int *const p`); elsewhere it leads (`const int`).
        if (target !== 0 && t.has(target) && t.kind(target) === BtfKind.PTR) {
          return this.declarator(target, `${qualifier} ${inner}`.trimEnd(), depth + 1);
        }
        return `${qualifier} ${this.declarator(target, inner, depth + 1)}`;
      }
      case BtfKind.ARRAY:
        return this.declarator(t.word(id, 0), `${grouped(inner)}[${t.word(id, 2)}]`, depth + 1);
      case BtfKind.FUNC_PROTO:
        return this.declarator(t.sizeOrType(id), `${grouped(inner)}(${this.params(id)})`, depth + 1);
      default: {
        // VAR, FUNC, DATASEC, DECL_TAG (never a member's type) and kinds a plugin registered.
        const kindName = kindDescriptor(kind)?.name ?? `kind ${kind}`;
        return withInner(`<${kindName} ${nameOf(t, id)}>`.replace(" >", ">"), inner);
      }
    }
  }

  /** A prototype's parameter list without names: `int, char *, ...`, `void` when empty. */
  private params(id: number): string {
    const t = this.table;
    const n = t.vlen(id);
    if (n === 0) return "void";
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      const type = t.word(id, 2 * i + 1);
      parts.push(type === 0 && i === n - 1 ? "..." : this.spell(type));
    }
    return parts.join(", ");
  }
}

/** A type's name, "" when anonymous; a name outside the strings (malformed BTF) is shown, never thrown. */
export function nameOf(t: BtfTypeStore, id: number): string {
  const off = t.nameOff(id);
  return off === 0 ? "" : (t.strings.tryGet(off) ?? `<bad name ${off}>`);
}

function qualifierText(t: BtfTypeStore, id: number, kind: number): string {
  switch (kind) {
    case BtfKind.CONST:
      return "const";
    case BtfKind.VOLATILE:
      return "volatile";
    case BtfKind.RESTRICT:
      return "restrict";
    default:
      return `__attribute__((btf_type_tag("${nameOf(t, id)}")))`;
  }
}

/** The base type, then the declarator: `int`, `int *p`, `char [16]`. */
function withInner(base: string, inner: string): string {
  return inner === "" ? base : `${base} ${inner}`;
}

/** Arrays and prototypes bind tighter than `*`: a pointer declarator needs parentheses (`(*p)[4]`). */
function grouped(inner: string): string {
  return inner.startsWith("*") ? `(${inner})` : inner;
}
