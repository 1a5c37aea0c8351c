// A kind a plugin registers is kept as it is (never merged: nothing says when two are equal),
// and its type references, found through its descriptor, are remapped like any other.
import { BtfKind, BtfTable, registerKind, unregisterKind, type KindDescriptor } from "@btforge/btf";
import { afterAll, beforeAll, expect, test } from "vitest";
import { dedupBtf } from "../src/index.js";

const PLUGIN_KIND = 27;
// A made-up kind: size/type is a type id, and of its two trailing words the second is one too.
const pairKind: KindDescriptor = {
  kind: PLUGIN_KIND,
  name: "TEST_PAIR",
  since: "plugin",
  trailingWords: () => 2,
  sizeIsType: true,
  trailingTypeRefs: (_t, _id, visit) => visit(1),
  dumpRaw: (t, id) => ` type_id=${t.sizeOrType(id)} tag=${t.word(id, 0)} other=${t.word(id, 1)}`,
  toView: (t, id) => ({ type: t.sizeOrType(id), tag: t.word(id, 0), other: t.word(id, 1) }),
};

beforeAll(() => registerKind(pairKind));
afterAll(() => unregisterKind(PLUGIN_KIND));

test("plugin-kind records are kept, their references remapped, and the input's strings kept whole", () => {
  const t = new BtfTable();
  const i1 = t.addInt("int", 4, 1, 0, 32);
  const i2 = t.addInt("int", 4, 1, 0, 32);
  const l1 = t.addInt("long", 8, 1, 0, 64);
  const l2 = t.addInt("long", 8, 1, 0, 64);
  const p1 = t.add(PLUGIN_KIND, t.nameRef("pair"), 0, false, i2, [t.nameRef("opaque"), l2]);
  const p2 = t.add(PLUGIN_KIND, t.nameRef("pair"), 0, false, i2, [t.nameRef("opaque"), l2]);
  const { table, remap } = dedupBtf(t);
  expect(remap[i2]).toBe(remap[i1]);
  expect(remap[l2]).toBe(remap[l1]);
  expect(remap[p1]).not.toBe(remap[p2]);
  expect(table.count).toBe(4);
  for (const p of [p1, p2]) {
    const id = remap[p]!;
    expect(table.kind(id)).toBe(PLUGIN_KIND);
    expect(table.sizeOrType(id)).toBe(remap[i1]);
    expect(table.word(id, 1)).toBe(remap[l1]);
    // word 0 is opaque to dedup: the string it names must still be there
    expect(table.strings.get(table.word(id, 0))).toBe("opaque");
    expect(table.name(id)).toBe("pair");
  }
  expect(table.kind(remap[i1]!)).toBe(BtfKind.INT);
});
