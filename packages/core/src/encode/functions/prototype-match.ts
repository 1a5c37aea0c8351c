// Whether two definitions of one function describe the same prototype, compared on the BTF types
// before dedup (each unit has its own copies): named types match by kind and name, pointers,
// qualifiers and arrays by what they hold, and a const on one side only is looked through (a
// prototype may say `const int` where another says `int`). Parameter names do not count. This is
// upstream pahole's comparison (btf_encoder.c: types__match, funcs__match).
import { BtfKind, type BtfTable } from "@btforge/btf";

const MAX_DEPTH = 64;

/** Same name (offsets are equal for interned strings; a base table's strings may differ in offset). */
const sameName = (t: BtfTable, a: number, b: number) => t.nameOff(a) === t.nameOff(b) || t.name(a) === t.name(b);

/** A FWD counts as the struct or union it announces. */
function kindOf(t: BtfTable, id: number): number {
  const k = t.kind(id);
  return k === BtfKind.FWD ? (t.kindFlag(id) ? BtfKind.UNION : BtfKind.STRUCT) : k;
}

/** Whether BTF types `a` and `b` of table `t` are the same type for a prototype's purposes. */
export function typesMatch(t: BtfTable, a: number, b: number, depth = 0): boolean {
  for (let hops = 0; hops < MAX_DEPTH && depth < MAX_DEPTH; hops++) {
    if (a === b) return true;
    if (a === 0 || b === 0) return false;
    const ka = kindOf(t, a);
    const kb = kindOf(t, b);
    if (ka !== kb) {
      if (ka === BtfKind.CONST) {
        a = t.sizeOrType(a);
        continue;
      }
      if (kb === BtfKind.CONST) {
        b = t.sizeOrType(b);
        continue;
      }
      return false;
    }
    switch (ka) {
      case BtfKind.INT:
        return t.sizeOrType(a) === t.sizeOrType(b) && t.word(a, 0) === t.word(b, 0) && sameName(t, a, b);
      case BtfKind.FLOAT:
        return t.sizeOrType(a) === t.sizeOrType(b) && sameName(t, a, b);
      case BtfKind.TYPEDEF:
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        return sameName(t, a, b);
      case BtfKind.PTR:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG:
        a = t.sizeOrType(a);
        b = t.sizeOrType(b);
        break;
      case BtfKind.ARRAY:
        if (t.word(a, 2) !== t.word(b, 2)) return false;
        a = t.word(a, 0);
        b = t.word(b, 0);
        break;
      case BtfKind.FUNC_PROTO: {
        const n = t.vlen(a);
        if (n !== t.vlen(b)) return false;
        if (!typesMatch(t, t.sizeOrType(a), t.sizeOrType(b), depth + 1)) return false;
        for (let i = 0; i < n; i++) if (!typesMatch(t, t.word(a, 2 * i + 1), t.word(b, 2 * i + 1), depth + 1)) return false;
        return true;
      }
      default:
        return false;
    }
  }
  return false;
}

/** What two prototypes are compared on: return type and parameter types (varargs as a void parameter). */
export interface PrototypeTypes {
  readonly returnType: number;
  readonly params: readonly { readonly type: number }[];
}

/** Why two prototypes differ, or undefined when they match. */
export function prototypeMismatch(t: BtfTable, a: PrototypeTypes, b: PrototypeTypes): string | undefined {
  if (a.params.length !== b.params.length) return `param count mismatch; ${a.params.length} params != ${b.params.length} params`;
  if (!typesMatch(t, a.returnType, b.returnType)) return "return type mismatch";
  for (let i = 0; i < a.params.length; i++) {
    if (!typesMatch(t, a.params[i]!.type, b.params[i]!.type)) return `param type mismatch for param#${i + 1}`;
  }
  return undefined;
}
