/**
 * The named definitions of a BTF blob as comparable strings, independent of type ids and order:
 * every named struct/union (size, members with offsets, bitfield sizes and member types spelled
 * out by name), enum (size, signedness, values), typedef (what it names) and FUNC (prototype
 * with parameter names), and each DECL_TAG with what it tags. Two encoders agree on a file when
 * these sets are equal.
 */
import { BtfKind, type BtfTable } from "@btforge/btf";

const KIND_WORD: Partial<Record<number, string>> = {
  [BtfKind.STRUCT]: "struct",
  [BtfKind.UNION]: "union",
  [BtfKind.ENUM]: "enum",
  [BtfKind.ENUM64]: "enum",
};

/** A type spelled by names; anonymous aggregates are expanded (to `depth`), named ones stop. */
export function spell(t: BtfTable, id: number, depth = 3): string {
  if (id === 0) return "void";
  const kind = t.kind(id);
  const name = t.name(id);
  const next = () => t.sizeOrType(id);
  switch (kind) {
    case BtfKind.INT:
    case BtfKind.FLOAT:
      return name;
    case BtfKind.PTR:
      return `${spell(t, next(), depth)}*`;
    case BtfKind.CONST:
      return `const ${spell(t, next(), depth)}`;
    case BtfKind.VOLATILE:
      return `volatile ${spell(t, next(), depth)}`;
    case BtfKind.RESTRICT:
      return `restrict ${spell(t, next(), depth)}`;
    case BtfKind.TYPE_TAG:
      return `tag(${name}${t.kindFlag(id) ? ", attribute" : ""}) ${spell(t, next(), depth)}`;
    case BtfKind.TYPEDEF:
      return name;
    case BtfKind.ARRAY:
      return `${spell(t, t.word(id, 0), depth)}[${t.word(id, 2)}]`;
    case BtfKind.FWD:
      return `${t.kindFlag(id) ? "union" : "struct"} ${name}`;
    case BtfKind.FUNC_PROTO: {
      const params: string[] = [];
      for (let i = 0; i < t.vlen(id); i++) params.push(spell(t, t.word(id, 2 * i + 1), depth));
      return `${spell(t, next(), depth)}(${params.join(",")})`;
    }
    case BtfKind.STRUCT:
    case BtfKind.UNION:
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
      if (name) return `${KIND_WORD[kind]} ${name}`;
      return depth > 0 ? body(t, id, depth - 1) : `${KIND_WORD[kind]} {…}`;
    default:
      return `kind${kind}`;
  }
}

/** The full definition of an aggregate or enum. */
function body(t: BtfTable, id: number, depth: number): string {
  const kind = t.kind(id);
  const parts: string[] = [];
  if (kind === BtfKind.ENUM || kind === BtfKind.ENUM64) {
    for (let i = 0; i < t.vlen(id); i++) {
      const stride = kind === BtfKind.ENUM ? 2 : 3;
      const lo = t.word(id, stride * i + 1);
      const value = kind === BtfKind.ENUM ? (t.kindFlag(id) ? lo | 0 : lo) : lo + t.word(id, stride * i + 2) * 2 ** 32;
      parts.push(`${t.strings.get(t.word(id, stride * i))}=${value}`);
    }
    return `enum${t.kindFlag(id) ? " signed" : ""} size=${t.sizeOrType(id)} {${parts.join(",")}}`;
  }
  const kflag = t.kindFlag(id);
  for (let i = 0; i < t.vlen(id); i++) {
    const offsetWord = t.word(id, 3 * i + 2);
    const offset = kflag ? offsetWord & 0xffffff : offsetWord;
    const bits = kflag ? offsetWord >>> 24 : 0;
    const member = t.strings.get(t.word(id, 3 * i)) || "(anon)";
    parts.push(`${member}:${spell(t, t.word(id, 3 * i + 1), depth)}@${offset}${bits ? `:${bits}` : ""}`);
  }
  return `${KIND_WORD[kind]} size=${t.sizeOrType(id)} {${parts.join(";")}}`;
}

/** Every named definition, as a set of strings. */
export function namedDefinitions(t: BtfTable): Set<string> {
  const out = new Set<string>();
  for (let id = t.firstId; id <= t.lastId; id++) {
    const kind = t.kind(id);
    const name = t.name(id);
    if (!name) continue;
    if (kind === BtfKind.DECL_TAG && !t.name(t.sizeOrType(id))) continue;
    switch (kind) {
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        out.add(`${KIND_WORD[kind]} ${name}: ${body(t, id, 3)}`);
        break;
      case BtfKind.TYPEDEF:
        out.add(`typedef ${name} = ${spell(t, t.sizeOrType(id))}`);
        break;
      case BtfKind.FUNC: {
        const proto = t.sizeOrType(id);
        const params: string[] = [];
        for (let i = 0; i < t.vlen(proto); i++) params.push(`${spell(t, t.word(proto, 2 * i + 1))} ${t.strings.get(t.word(proto, 2 * i))}`);
        out.add(`func ${name}(${params.join(", ")}) -> ${spell(t, t.sizeOrType(proto))}`);
        break;
      }
      case BtfKind.DECL_TAG: {
        const target = t.sizeOrType(id);
        const component = t.word(id, 0) | 0;
        out.add(`decl_tag${t.kindFlag(id) ? " attribute" : ""} ${name} on ${KIND_WORD[t.kind(target)] ?? (t.kind(target) === BtfKind.FUNC ? "func" : "typedef")} ${t.name(target)}[${component}]`);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/** What is only in `a`, and only in `b`. */
export function setDifference(a: Set<string>, b: Set<string>): { onlyA: string[]; onlyB: string[] } {
  return { onlyA: [...a].filter((x) => !b.has(x)).sort(), onlyB: [...b].filter((x) => !a.has(x)).sort() };
}
