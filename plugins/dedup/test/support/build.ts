// Small helpers for tests that build BTF by hand.
import { BtfTable, validateBtf, writeBtf } from "@btforge/btf";
import { expect } from "vitest";

export const kindCount = (t: BtfTable, kind: number) => {
  let n = 0;
  for (let id = t.firstId; id <= t.lastId; id++) if (t.kind(id) === kind) n++;
  return n;
};
export const valid = (t: BtfTable, base?: BtfTable) => {
  const r = validateBtf(writeBtf(t), { base });
  expect(r.problems).toEqual([]);
};

/** `struct list_head { struct list_head *next, *prev; }` as one compilation unit would emit it. */
export function listHead(t: BtfTable): number {
  const ptr = t.addPtr(t.lastId + 2);
  const s = t.addStruct("list_head", 16, [
    { name: "next", type: ptr, bitOffset: 0 },
    { name: "prev", type: ptr, bitOffset: 64 },
  ]);
  expect(s).toBe(ptr + 1);
  return s;
}

