// Real BTF made artificially duplicated: the types of one table appended `copies` times into one
// standalone table, each copy's references moved to stay inside the copy. The strings are shared
// (offsets stay valid). Variables and sections are never merged by dedup (each compilation unit
// owns its own), so the extra copies leave them out, with the DECL_TAGs on them: a correct dedup
// then gives back exactly one copy.
import { BtfKind, BtfStrings, BtfTable, remapTypeRefs, type BtfTypeStore } from "@btforge/btf";

export interface Replicated {
  table: BtfTable;
  /** ids[k][source id] = the id of copy k's record (0 when the copy left the type out). */
  ids: Uint32Array[];
}

export function replicate(source: BtfTypeStore, copies: number): Replicated {
  const cols = source.rawColumns();
  const n = source.count;
  const table = new BtfTable({
    strings: BtfStrings.fromBytes(source.strings.bytes()),
    expectedTypes: n * copies,
    expectedWords: cols.words.length * copies,
  });
  const leftOut = new Uint8Array(n + 1);
  for (let id = 1; id <= n; id++) {
    const kind = source.kind(id);
    const onData = kind === BtfKind.DECL_TAG && leftOut[source.sizeOrType(id)] === 1;
    if (kind === BtfKind.VAR || kind === BtfKind.DATASEC || onData) leftOut[id] = 1;
  }
  const ids: Uint32Array[] = [];
  for (let k = 0; k < copies; k++) {
    const newId = new Uint32Array(n + 1);
    let next = table.lastId + 1;
    for (let id = 1; id <= n; id++) if (k === 0 || !leftOut[id]) newId[id] = next++;
    for (let i = 0; i < n; i++) {
      if (k > 0 && leftOut[i + 1]) continue;
      const id = table.addRecord(cols.info[i]!, cols.nameOff[i]!, cols.sizeOrType[i]!, cols.words, cols.wordStart[i]!, cols.wordStart[i + 1]! - cols.wordStart[i]!);
      if (k > 0) remapTypeRefs(table, id, (ref) => newId[ref]!);
    }
    ids.push(newId);
  }
  return { table, ids };
}
