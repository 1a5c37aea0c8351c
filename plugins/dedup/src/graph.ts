// The working form of dedup: every type of the base and of the input in one id space, as flat
// typed-array columns (no object per type). Names (the header's and the known string words of
// members, enum values and parameters) are replaced by string ids that are equal exactly when the
// strings are, so every equality test is an integer comparison.
//
// Id space: 0 is void, base types keep their ids 1..B, and the input's own types follow. An input
// that is itself split on the base keeps its ids; a standalone input given a base (a module merged
// with its vmlinux) is shifted by B, so its type references move by B as well.

import { BtfError, BtfKind, kindDescriptor, type BtfTypeStore } from "@btforge/btf";
import { layoutTable, type KindLayout } from "./layouts.js";

export class TypeGraph {
  /** Number of ids, void included: ids run 0 .. size-1. */
  readonly size: number;
  /** First id of the input's own types (B + 1, or 1 without a base). */
  readonly firstOwn: number;
  /** Added to an input id (and to each type reference inside the input) to get its graph id. */
  readonly shift: number;
  readonly info: Uint32Array;
  readonly name: Uint32Array;
  readonly sizeOrType: Uint32Array;
  /** wordStart[id] .. wordStart[id + 1] are the type's trailing words in `words`. */
  readonly wordStart: Uint32Array;
  readonly words: Uint32Array;
  /** String id → the string (for output). */
  readonly strings: string[] = [""];
  /** Whether every own type's string words are known (built-in kinds, or plugin kinds without trailing words). */
  readonly stringsKnown: boolean;
  /** Kind number → layout, for this run. */
  readonly layouts = layoutTable();
  private readonly stringIds = new Map<string, number>([["", 0]]);

  constructor(readonly input: BtfTypeStore, readonly base: BtfTypeStore | undefined) {
    if (input.base && base && input.base !== base) {
      throw new BtfError("BTF_BAD_ARGUMENT", "the input is split on another base than the one dedup was given");
    }
    const effectiveBase = base ?? input.base;
    const baseCount = effectiveBase ? effectiveBase.lastId : 0;
    this.shift = input.base ? 0 : baseCount;
    this.firstOwn = baseCount + 1;
    this.size = this.firstOwn + input.count;

    let wordTotal = 0;
    const stores = storeChain(effectiveBase);
    for (const s of stores) wordTotal += s.rawColumns().words.length;
    wordTotal += input.rawColumns().words.length;

    this.info = new Uint32Array(this.size);
    this.name = new Uint32Array(this.size);
    this.sizeOrType = new Uint32Array(this.size);
    this.wordStart = new Uint32Array(this.size + 1);
    this.words = new Uint32Array(wordTotal);

    let id = 1;
    let w = 0;
    for (const s of stores) [id, w] = this.copy(s, id, w, 0);
    [id, w] = this.copy(input, id, w, this.shift);
    this.wordStart[this.size] = w;

    this.checkRefs();
    let known = true;
    for (let t = this.firstOwn; t < this.size && known; t++) {
      if (!this.layouts[this.kind(t)]!.builtin && this.wordCount(t) > 0) known = false;
    }
    this.stringsKnown = known;
  }

  kind(id: number): number {
    return (this.info[id]! >>> 24) & 0x1f;
  }

  vlen(id: number): number {
    return this.info[id]! & 0xffff;
  }

  kindFlag(id: number): boolean {
    return this.info[id]! >>> 31 === 1;
  }

  wordCount(id: number): number {
    return this.wordStart[id + 1]! - this.wordStart[id]!;
  }

  /** Every type reference of the input's own types names a type (or void): the phases index by it. */
  private checkRefs(): void {
    const bad = (id: number, ref: number) => {
      throw new BtfError("BTF_BAD_TYPE_ID", `refers to type ${ref - this.shift}, past the last type ${this.size - 1 - this.shift}`, { typeId: id - this.shift });
    };
    const size = this.size;
    for (let id = this.firstOwn; id < size; id++) {
      const kind = this.kind(id);
      const layout = this.layouts[kind]!;
      if (layout.sizeIsType && this.sizeOrType[id]! >= size) bad(id, this.sizeOrType[id]!);
      const w = this.wordStart[id]!;
      const e = this.wordStart[id + 1]!;
      if (kind === BtfKind.ARRAY) {
        if (this.words[w]! >= size) bad(id, this.words[w]!);
        if (this.words[w + 1]! >= size) bad(id, this.words[w + 1]!);
      } else if (layout.refAt >= 0) {
        for (let at = w + layout.refAt; at < e; at += layout.stride) if (this.words[at]! >= size) bad(id, this.words[at]!);
      } else if (!layout.builtin) {
        kindDescriptor(kind)!.trailingTypeRefs?.(this.input, id - this.shift, (at) => {
          if (this.words[w + at]! >= size) bad(id, this.words[w + at]!);
        });
      }
    }
  }

  /** The string id for an input string; equal strings get equal ids. */
  stringId(text: string): number {
    let sid = this.stringIds.get(text);
    if (sid === undefined) {
      sid = this.strings.length;
      this.strings.push(text);
      this.stringIds.set(text, sid);
    }
    return sid;
  }

  /** Copies one store's own records to graph ids from `id`, with names as string ids and refs shifted. */
  private copy(store: BtfTypeStore, id: number, w: number, shift: number): [number, number] {
    const cols = store.rawColumns();
    // String offset → string id, filled as offsets are met (a typed array: names repeat a lot).
    const byOffset = new Int32Array(store.strings.endOffset).fill(-1);
    const sidOf = (off: number, typeId: number): number => {
      let sid = off < byOffset.length ? byOffset[off]! : -1;
      if (sid < 0) {
        const text = store.strings.tryGet(off);
        if (text === undefined) {
          throw new BtfError("BTF_BAD_STRING_OFFSET", `name offset ${off} is outside the string table`, { typeId: typeId - shift });
        }
        sid = this.stringId(text);
        byOffset[off] = sid;
      }
      return sid;
    };
    const n = cols.info.length;
    for (let i = 0; i < n; i++, id++) {
      const info = cols.info[i]!;
      const kind = (info >>> 24) & 0x1f;
      const layout: KindLayout | undefined = this.layouts[kind];
      if (!layout) throw new BtfError("BTF_UNKNOWN_KIND", `unknown kind ${kind}`, { typeId: id - shift });
      this.info[id] = info;
      this.name[id] = sidOf(cols.nameOff[i]!, id);
      const s = cols.wordStart[i]!;
      const e = cols.wordStart[i + 1]!;
      this.wordStart[id] = w;
      this.words.set(cols.words.subarray(s, e), w);
      const size = cols.sizeOrType[i]!;
      this.sizeOrType[id] = layout.sizeIsType && size !== 0 ? size + shift : size;
      if (layout.builtin) {
        const count = e - s;
        if (layout.stride > 0) {
          for (let at = layout.nameAt; layout.nameAt >= 0 && at < count; at += layout.stride) this.words[w + at] = sidOf(this.words[w + at]!, id);
          for (let at = layout.refAt; layout.refAt >= 0 && shift && at < count; at += layout.stride) {
            if (this.words[w + at] !== 0) this.words[w + at] += shift;
          }
        }
        if (kind === BtfKind.ARRAY && shift) {
          if (this.words[w] !== 0) this.words[w] += shift;
          if (this.words[w + 1] !== 0) this.words[w + 1] += shift;
        }
      } else if (shift) {
        this.shiftPluginRefs(store, id - shift, w, shift);
      }
      w += e - s;
    }
    return [id, w];
  }

  /** A plugin kind's trailing type references, found through its descriptor. */
  private shiftPluginRefs(store: BtfTypeStore, storeId: number, w: number, shift: number): void {
    const d = kindDescriptor(store.kind(storeId))!;
    d.trailingTypeRefs?.(store, storeId, (at) => {
      if (this.words[w + at] !== 0) this.words[w + at] += shift;
    });
  }
}

/** The stores a base is made of, outermost base first. */
function storeChain(base: BtfTypeStore | undefined): BtfTypeStore[] {
  const chain: BtfTypeStore[] = [];
  for (let s = base; s; s = s.base) chain.unshift(s);
  return chain;
}
