// The validator's pointerSize option: BTF made for a 32-bit target has 4-byte pointers, so a struct
// of two pointers is 8 bytes there; this machine's kernel (and the default) measure 8-byte pointers.
import { expect, test } from "vitest";
import { BtfTable, validateBtf, writeBtf } from "../src/index.js";

function twoPointers(structSize: number): Uint8Array {
  const t = new BtfTable();
  const int = t.addInt("int", 4, 1, 0, 32);
  const ptr = t.addPtr(int);
  t.addStruct("pair", structSize, [
    { name: "a", type: ptr, bitOffset: 0 },
    { name: "b", type: ptr, bitOffset: structSize * 4 },
  ]);
  return writeBtf(t);
}

test("a struct of two 4-byte pointers is valid for a 32-bit kernel only", () => {
  expect(validateBtf(twoPointers(8), { pointerSize: 4 }).ok).toBe(true);
  const here = validateBtf(twoPointers(8));
  expect(here.ok).toBe(false);
  expect(here.problems[0]!.message).toMatch(/Member exceeds struct_size/);
  expect(validateBtf(twoPointers(16)).ok).toBe(true);
  expect(validateBtf(twoPointers(16), { pointerSize: 4 }).ok).toBe(true);
});
