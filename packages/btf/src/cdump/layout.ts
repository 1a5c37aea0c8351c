// Sizes and alignments of BTF types as a C compiler would lay them out, computed the way
// libbpf does (btf__resolve_size, btf__align_of, packed-struct detection) so that the
// padding and `__attribute__((packed))` decisions of the printer match bpftool's.

import { BtfKind } from "../constants.js";
import { BtfError } from "../errors.js";
import { memberOffset } from "../kinds/builtin/aggregates.js";
import type { BtfTypeStore } from "../store.js";
import { resolveTypeSize } from "../type-size.js";

/** Spellings of `long` an INT may carry; its size tells the target's pointer size. */
const LONG_NAMES = new Set([
  "long",
  "long int",
  "int long",
  "unsigned long",
  "long unsigned",
  "unsigned long int",
  "unsigned int long",
  "long unsigned int",
  "long int unsigned",
  "int unsigned long",
  "int long unsigned",
]);

/** Nesting bound for alignment recursion; deeper means a cycle of embedded types. */
const MAX_ALIGN_DEPTH = 1024;

/** The pointer size the BTF was made for: the size of its `long`, else 8 (the host's). */
export function pointerSize(table: BtfTypeStore): number {
  for (let id = 1; id <= table.lastId; id++) {
    if (table.kind(id) !== BtfKind.INT) continue;
    const size = table.sizeOrType(id);
    if (size !== 4 && size !== 8) continue;
    const name = table.strings.tryGet(table.nameOff(id));
    if (name !== undefined && LONG_NAMES.has(name)) return size;
  }
  return 8;
}

export class TypeLayout {
  /** Memoized alignments: 0 = not computed yet, else alignment + 1 (alignment may be 0). */
  private readonly alignMemo: Int32Array;

  constructor(
    readonly table: BtfTypeStore,
    readonly ptrSize: number,
  ) {
    this.alignMemo = new Int32Array(table.lastId + 1);
  }

  /** Byte size of a type, or -1 when it has none (void, FWD, function, too deep, too big). */
  resolveSize(id: number): number {
    return resolveTypeSize(this.table, id, this.ptrSize);
  }

  /**
   * Alignment of a type in bytes; 0 when it has none (void, FWD, function prototypes). A
   * struct whose members or size contradict natural alignment was packed: its alignment is 1.
   */
  alignOf(id: number, depth = 0): number {
    if (id === 0 || !this.table.has(id)) return 0;
    const memo = this.alignMemo[id]!;
    if (memo !== 0) return memo - 1;
    if (depth > MAX_ALIGN_DEPTH) {
      throw new BtfError("BTF_BAD_TYPE_ID", `type nesting deeper than ${MAX_ALIGN_DEPTH} (a cycle of embedded types?)`, { typeId: id });
    }
    const align = this.computeAlign(id, depth);
    this.alignMemo[id] = align + 1;
    return align;
  }

  /** Whether a struct's layout can only come from `__attribute__((packed))`. */
  isPacked(id: number): boolean {
    const t = this.table;
    const kflag = t.kindFlag(id);
    const w = t.words(id);
    let maxAlign = 1;
    for (let at = 0; at + 3 <= w.length; at += 3) {
      const align = this.alignOf(w[at + 1]!);
      const off = w[at + 2]!;
      if (align !== 0 && memberOffset.bitfieldSize(off, kflag) === 0 && memberOffset.bitOffset(off, kflag) % (8 * align) !== 0) return true;
      if (align > maxAlign) maxAlign = align;
    }
    return t.sizeOrType(id) % maxAlign !== 0;
  }

  private computeAlign(id: number, depth: number): number {
    const t = this.table;
    switch (t.kind(id)) {
      case BtfKind.INT:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
      case BtfKind.FLOAT:
        return Math.min(this.ptrSize, t.sizeOrType(id));
      case BtfKind.PTR:
        return this.ptrSize;
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG:
        return this.alignOf(t.sizeOrType(id), depth + 1);
      case BtfKind.ARRAY:
        return this.alignOf(t.word(id, 0), depth + 1);
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        return this.compositeAlign(id, depth);
      default:
        return 0;
    }
  }

  private compositeAlign(id: number, depth: number): number {
    const t = this.table;
    const kflag = t.kindFlag(id);
    const w = t.words(id);
    let maxAlign = 1;
    for (let at = 0; at + 3 <= w.length; at += 3) {
      const align = this.alignOf(w[at + 1]!, depth + 1);
      if (align <= 0) return align;
      if (align > maxAlign) maxAlign = align;
      const off = w[at + 2]!;
      if (memberOffset.bitfieldSize(off, kflag) === 0 && memberOffset.bitOffset(off, kflag) % (8 * align) !== 0) return 1;
    }
    return t.sizeOrType(id) % maxAlign !== 0 ? 1 : maxAlign;
  }
}
