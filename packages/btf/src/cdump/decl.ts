// C declarators: a BTF chain such as `typedef -> array -> ptr -> const -> ptr -> int` printed
// as `int * const *name[10]`, with function pointers, arrays of them, nested prototypes and
// qualifiers in the places C wants them.
//
// The chain is pushed on a stack from the outermost type down to the terminal type (int,
// struct, typedef, ...), then printed from the top: the terminal type first, then pointers and
// their qualifiers, with arrays and prototypes wrapping what remains in parentheses. Each
// declaration works on its own frame of one shared stack, so the nested declarations a
// prototype's parameters or an inline struct's members need sit above it and leave it intact.

import { BtfKind } from "../constants.js";
import { BtfError } from "../errors.js";
import { emitEnumDef, emitEnumFwd, emitFwdDef, emitStructDef, emitStructFwd } from "./defs.js";
import { type DumpState, MAX_CHAIN } from "./state.js";

/** A declaration's part of the shared stack: entries base .. base+cnt-1, top at the end. */
interface Frame {
  readonly base: number;
  cnt: number;
}

/** Print the declaration of `fname` (may be "") as type `id`, e.g. `const char *name`. */
export function emitTypeDecl(s: DumpState, id: number, fname: string, lvl: number): void {
  const t = s.table;
  const stack = s.declStack;
  const start = stack.length;
  for (let steps = 0; ; steps++) {
    if (steps > MAX_CHAIN) {
      throw new BtfError("BTF_BAD_TYPE_ID", `declarator chain longer than ${MAX_CHAIN} (a reference cycle?)`, { typeId: id });
    }
    stack.push(id);
    if (id === 0) break;
    const kind = t.kind(id);
    if (kind === BtfKind.ARRAY) {
      id = t.word(id, 0);
    } else if (isChainLink(kind)) {
      id = t.sizeOrType(id);
    } else {
      if (!isTerminal(kind)) s.warn(`unexpected type in decl chain, kind:${kind}, id:[${id}]`);
      break;
    }
  }
  emitTypeChain(s, { base: start, cnt: stack.length - start }, fname, lvl);
  stack.length = start;
}

function isChainLink(kind: number): boolean {
  return (
    kind === BtfKind.PTR ||
    kind === BtfKind.VOLATILE ||
    kind === BtfKind.CONST ||
    kind === BtfKind.RESTRICT ||
    kind === BtfKind.FUNC_PROTO ||
    kind === BtfKind.TYPE_TAG
  );
}

function isTerminal(kind: number): boolean {
  return (
    kind === BtfKind.INT ||
    kind === BtfKind.ENUM ||
    kind === BtfKind.ENUM64 ||
    kind === BtfKind.FWD ||
    kind === BtfKind.STRUCT ||
    kind === BtfKind.UNION ||
    kind === BtfKind.TYPEDEF ||
    kind === BtfKind.FLOAT
  );
}

function isModifier(kind: number): boolean {
  return kind === BtfKind.VOLATILE || kind === BtfKind.CONST || kind === BtfKind.RESTRICT || kind === BtfKind.TYPE_TAG;
}

function top(s: DumpState, f: Frame): number {
  return s.declStack[f.base + f.cnt - 1]!;
}

/** Qualifiers right above a terminal type go before it: `const int`, not `int const`. */
function emitLeadingMods(s: DumpState, f: Frame): void {
  while (f.cnt > 0) {
    const id = top(s, f);
    if (id === 0) return;
    const kind = s.table.kind(id);
    if (kind === BtfKind.VOLATILE) s.print("volatile ");
    else if (kind === BtfKind.CONST) s.print("const ");
    else if (kind === BtfKind.RESTRICT) s.print("restrict ");
    else return;
    f.cnt--;
  }
}

/**
 * Qualifiers on arrays and prototypes mean nothing in C (GCC emits them for arrays of const
 * elements and for noreturn function pointers): drop them.
 */
function dropMods(s: DumpState, f: Frame): void {
  while (f.cnt > 0) {
    const id = top(s, f);
    if (id === 0 || !isModifier(s.table.kind(id))) return;
    f.cnt--;
  }
}

function emitName(s: DumpState, fname: string, lastWasPtr: boolean): void {
  if (fname !== "" && !lastWasPtr) s.print(" ");
  s.print(fname);
}

function emitTypeChain(s: DumpState, f: Frame, fname: string, lvl: number): void {
  const t = s.table;
  // Starts true so a lone pointer inside a prototype's parentheses prints as `(*name)`.
  let lastWasPtr = true;
  while (f.cnt > 0) {
    const id = s.declStack[f.base + --f.cnt]!;
    if (id === 0) {
      emitLeadingMods(s, f);
      s.print("void");
      lastWasPtr = false;
      continue;
    }
    const kind = t.kind(id);
    switch (kind) {
      case BtfKind.INT:
      case BtfKind.FLOAT:
        emitLeadingMods(s, f);
        s.print(t.strings.get(t.nameOff(id)));
        break;
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        emitLeadingMods(s, f);
        if (t.nameOff(id) === 0) emitStructDef(s, id, lvl);
        else emitStructFwd(s, id);
        break;
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        emitLeadingMods(s, f);
        if (t.nameOff(id) === 0) emitEnumDef(s, id, lvl);
        else emitEnumFwd(s, id);
        break;
      case BtfKind.FWD:
        emitLeadingMods(s, f);
        emitFwdDef(s, id);
        break;
      case BtfKind.TYPEDEF:
        emitLeadingMods(s, f);
        s.print(s.names.identName(id));
        break;
      case BtfKind.PTR:
        s.print(lastWasPtr ? "*" : " *");
        break;
      case BtfKind.VOLATILE:
        s.print(" volatile");
        break;
      case BtfKind.CONST:
        s.print(" const");
        break;
      case BtfKind.RESTRICT:
        s.print(" restrict");
        break;
      case BtfKind.TYPE_TAG: {
        emitLeadingMods(s, f);
        const tag = t.strings.get(t.nameOff(id));
        s.print(t.kindFlag(id) ? ` __attribute__((${tag}))` : ` __attribute__((btf_type_tag("${tag}")))`);
        break;
      }
      case BtfKind.ARRAY:
        emitArray(s, f, id, fname, lvl, lastWasPtr);
        return;
      case BtfKind.FUNC_PROTO:
        emitProto(s, f, id, fname, lvl, lastWasPtr);
        return;
      default:
        s.warn(`unexpected type in decl chain, kind:${kind}, id:[${id}]`);
        return;
    }
    lastWasPtr = kind === BtfKind.PTR;
  }
  emitName(s, fname, lastWasPtr);
}

function emitArray(s: DumpState, f: Frame, id: number, fname: string, lvl: number, lastWasPtr: boolean): void {
  const nelems = s.table.word(id, 2);
  dropMods(s, f);
  if (f.cnt === 0) {
    emitName(s, fname, lastWasPtr);
    s.print(`[${nelems}]`);
    return;
  }
  const next = top(s, f);
  // `int a[2][3]` needs no parentheses; `int (*a)[3]` does.
  const multidim = next !== 0 && s.table.kind(next) === BtfKind.ARRAY;
  if (fname !== "" && !lastWasPtr) s.print(" ");
  if (!multidim) s.print("(");
  emitTypeChain(s, f, fname, lvl);
  if (!multidim) s.print(")");
  s.print(`[${nelems}]`);
}

function emitProto(s: DumpState, f: Frame, id: number, fname: string, lvl: number, lastWasPtr: boolean): void {
  const t = s.table;
  dropMods(s, f);
  if (f.cnt > 0) {
    s.print(" (");
    emitTypeChain(s, f, fname, lvl);
    s.print(")");
  } else {
    emitName(s, fname, lastWasPtr);
  }
  s.print("(");
  const w = t.words(id);
  const vlen = w.length / 2;
  // No parameters, or clang's single void parameter: `(void)`.
  if (vlen === 0 || (vlen === 1 && w[1] === 0)) {
    s.print("void)");
    return;
  }
  for (let i = 0; i < vlen; i++) {
    if (i > 0) s.print(", ");
    const type = w[2 * i + 1]!;
    // A last parameter of type void means varargs.
    if (i === vlen - 1 && type === 0) {
      s.print("...");
      break;
    }
    emitTypeDecl(s, type, t.strings.get(w[2 * i]!), lvl);
  }
  s.print(")");
}
