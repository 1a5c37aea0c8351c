// Phase 5: compaction. The canonical own types are written in their input order to a new table
// (split on the base when there is one), every type reference rewritten to its representative's
// new id, and the string table rebuilt from the strings the kept types use, in the order they are
// first used. Rebuilding needs to know every string word; when a plugin kind with trailing words
// is present, its words are opaque, so the input's string section is kept whole instead.

import { BtfKind, BtfStrings, BtfTable, kindDescriptor, type BtfTypeStore } from "@btforge/btf";
import type { DedupState } from "./state.js";

export interface Emitted {
  table: BtfTable;
  /** Input type id → output type id (a base id when the type merged into the base). */
  remap: Uint32Array;
}

export function emit(d: DedupState, input: BtfTypeStore, base: BtfTypeStore | undefined): Emitted {
  const g = d.g;
  const newId = new Uint32Array(g.size);
  for (let id = 1; id < g.firstOwn; id++) newId[id] = id;
  let next = g.firstOwn;
  let words = 0;
  for (let id = g.firstOwn; id < g.size; id++) {
    if (d.map[id] !== id) continue;
    newId[id] = next++;
    words += g.wordCount(id);
  }
  const final = (ref: number) => (ref === 0 ? 0 : newId[d.resolve(ref)]!);

  const outBase = (base ?? input.base) as BtfTable | undefined;
  let strings: BtfStrings | undefined;
  let stringOf: (sid: number, inputOff: number) => number;
  if (g.stringsKnown) {
    const outOff = new Int32Array(g.strings.length).fill(-1);
    stringOf = (sid) => {
      let off = outOff[sid]!;
      if (off < 0) outOff[sid] = off = strings!.add(g.strings[sid]!);
      return off;
    };
  } else {
    // The input's own string section, placed after the base's: its offsets move by `delta`.
    strings = BtfStrings.fromBytes(input.strings.bytes(), outBase?.strings);
    const delta = strings.startOffset - input.strings.startOffset;
    stringOf = (_sid, inputOff) => inputOff + delta;
  }
  const table = new BtfTable({ base: outBase, strings, expectedTypes: next - g.firstOwn, expectedWords: words });
  strings = table.strings;

  let scratch = new Uint32Array(64);
  for (let id = g.firstOwn; id < g.size; id++) {
    if (d.map[id] !== id) continue;
    const src = id - g.shift;
    const kind = g.kind(id);
    const layout = g.layouts[kind]!;
    const s = g.wordStart[id]!;
    const n = g.wordStart[id + 1]! - s;
    if (scratch.length < n) scratch = new Uint32Array(n * 2);
    scratch.set(g.words.subarray(s, s + n));
    if (layout.builtin) {
      if (layout.stride > 0) {
        if (layout.refAt >= 0) for (let at = layout.refAt; at < n; at += layout.stride) scratch[at] = final(scratch[at]!);
        if (layout.nameAt >= 0) {
          const raw = g.stringsKnown ? undefined : input.words(src);
          for (let at = layout.nameAt; at < n; at += layout.stride) scratch[at] = stringOf(scratch[at]!, raw ? raw[at]! : 0);
        }
      } else if (n === 3 && kind === BtfKind.ARRAY) {
        scratch[0] = final(scratch[0]!);
        scratch[1] = final(scratch[1]!);
      }
    } else {
      kindDescriptor(kind)!.trailingTypeRefs?.(input, src, (at) => {
        scratch[at] = final(scratch[at]!);
      });
    }
    const size = layout.sizeIsType ? final(g.sizeOrType[id]!) : g.sizeOrType[id]!;
    const name = stringOf(g.name[id]!, g.stringsKnown ? 0 : input.nameOff(src));
    table.addRecord(g.info[id]!, name, size, scratch, 0, n);
  }

  const remap = new Uint32Array(input.lastId + 1);
  for (let id = 1; id < input.firstId; id++) remap[id] = id;
  for (let id = input.firstId; id <= input.lastId; id++) remap[id] = final(id + g.shift);
  return { table, remap };
}
