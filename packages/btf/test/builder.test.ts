// Builders, accessors, object views, string interning (base and split), remapping.

import { describe, expect, test } from "vitest";
import { BtfKind, BtfStrings, BtfTable, forEachTypeRef, remapTypeRefs, SIZE_OR_TYPE_SLOT, BtfError } from "@btforge/btf";
import { everyKindTable, splitTable } from "./fixtures.js";

describe("BtfStrings", () => {
  test("interns, starts with the empty string, resolves offsets", () => {
    const s = new BtfStrings();
    expect(s.size).toBe(1);
    expect(s.add("")).toBe(0);
    const a = s.add("alpha");
    const b = s.add("beta");
    expect(a).toBe(1);
    expect(b).toBe(7);
    expect(s.add("alpha")).toBe(a);
    expect(s.get(b)).toBe("beta");
    expect(s.get(a + 2)).toBe("pha"); // an offset inside a string is a suffix
    expect(s.tryGet(100)).toBeUndefined();
    expect(() => s.get(100)).toThrow(BtfError);
    expect(Array.from(s.bytes())).toEqual([0, ...Buffer.from("alpha"), 0, ...Buffer.from("beta"), 0]);
  });

  test("a table parsed from bytes indexes them on first add", () => {
    const s = BtfStrings.fromBytes(new Uint8Array([0, 0x61, 0, 0x62, 0x63, 0]));
    expect(s.add("bc")).toBe(3);
    expect(s.add("a")).toBe(1);
    expect(s.add("new")).toBe(6);
  });

  test("split strings continue after the base and reuse base offsets", () => {
    const base = new BtfStrings();
    const x = base.add("x");
    const split = new BtfStrings(base);
    expect(split.startOffset).toBe(base.size);
    expect(split.size).toBe(0);
    expect(split.add("x")).toBe(x);
    const y = split.add("y");
    expect(y).toBe(base.size);
    expect(split.get(x)).toBe("x");
    expect(split.get(y)).toBe("y");
    expect(split.get(0)).toBe("");
    expect(Array.from(split.bytes())).toEqual([0x79, 0]);
  });

  test("rejects NUL inside a string", () => {
    expect(() => new BtfStrings().add("a\0b")).toThrow(/NUL/);
  });
});

describe("BtfTable", () => {
  test("builders produce the wire fields", () => {
    const t = everyKindTable();
    expect(t.firstId).toBe(1);
    expect(t.lastId).toBe(34);
    expect(t.kind(1)).toBe(BtfKind.INT);
    expect(t.name(1)).toBe("int");
    expect(t.sizeOrType(1)).toBe(4);
    expect(Array.from(t.words(1))).toEqual([(1 << 24) | 32]);
    expect(t.kind(8)).toBe(BtfKind.STRUCT);
    expect(t.kindFlag(8)).toBe(true); // bitfields
    expect(t.kindFlag(7)).toBe(false);
    expect(t.vlen(7)).toBe(3);
    expect(t.wordCount(7)).toBe(9);
    expect(t.word(8, 5)).toBe((29 << 24) | 3);
    expect(t.kindFlag(11)).toBe(true); // signed enum
    expect(t.word(11, 1)).toBe(0xffffffff);
    expect(Array.from(t.words(12))).toEqual([t.strings.find("W_MAX"), 0xffffffff, 0xffffffff, t.strings.find("W_ONE"), 1, 0]);
    expect(t.kindFlag(15)).toBe(true); // union FWD
    expect(t.vlen(21)).toBe(1); // FUNC linkage lives in vlen
    expect(t.word(30, 0)).toBe(1);
    expect(t.word(29, 0)).toBe(0xffffffff);
    expect(t.typeSectionSize).toBe(Array.from({ length: 34 }, (_, i) => 12 + 4 * t.wordCount(i + 1)).reduce((a, b) => a + b));
  });

  test("typeView gives a plain object per kind", () => {
    const t = everyKindTable();
    expect(t.typeView(8)).toEqual({
      id: 8,
      kind: "STRUCT",
      name: "flags",
      size: 4,
      members: [
        { name: "a", type: 1, bitOffset: 0, bitfieldSize: 3 },
        { name: "b", type: 1, bitOffset: 3, bitfieldSize: 29 },
      ],
    });
    expect(t.typeView(13)).toMatchObject({ kind: "ENUM64", signed: true, values: [{ name: "S_MIN", value: -(2n ** 63n) }, { name: "S_NEG", value: -5n }] });
    expect(t.typeView(20)).toMatchObject({ kind: "FUNC_PROTO", returnType: 1, varargs: true });
    expect(t.typeView(29)).toMatchObject({ kind: "DECL_TAG", type: 21, componentIdx: -1 });
    expect(t.typeView(24)).toMatchObject({ kind: "VAR", name: "counter", linkage: "global" });
    expect(t.typeView(1)).toMatchObject({ kind: "INT", signed: true, bits: 32 });
  });

  test("out-of-range ids and bad builder input throw BtfError", () => {
    const t = everyKindTable();
    expect(() => t.kind(0)).toThrow(BtfError);
    expect(() => t.kind(35)).toThrow(/outside/);
    expect(() => t.word(1, 1)).toThrow(/outside/);
    expect(() => t.add(BtfKind.STRUCT, 0, 2, false, 8, [0, 1, 0])).toThrow(/needs 6 trailing words/);
    expect(() => t.add(BtfKind.STRUCT, 0, 0x1000000, false, 8, [])).toThrow(/vlen/);
    expect(() => t.add(30, 0, 0, false, 0)).toThrow(/unknown kind 30/);
    expect(() => t.setInfo(1, (BtfKind.STRUCT << 24) | 1)).toThrow(/trailing words/);
  });

  test("split tables continue ids and delegate base ids", () => {
    const base = everyKindTable();
    const split = splitTable(base);
    expect(split.firstId).toBe(35);
    expect(split.lastId).toBe(40);
    expect(split.kind(1)).toBe(BtfKind.INT);
    expect(split.name(7)).toBe("point");
    expect(split.name(35)).toBe("module_state");
    expect(split.word(35, 0)).toBe(base.strings.find("x")); // reused base string
    expect(split.strings.find("refcount")).toBeGreaterThanOrEqual(base.strings.endOffset);
    expect(split.isOwn(1)).toBe(false);
    expect(() => split.setSizeOrType(1, 2)).toThrow(BtfError); // the base is not the split's to change
  });

  test("forEachTypeRef and remapTypeRefs follow the descriptors", () => {
    const t = everyKindTable();
    const refs = (id: number) => {
      const out: [number, number][] = [];
      forEachTypeRef(t, id, (ref, slot) => out.push([ref, slot]));
      return out;
    };
    expect(refs(1)).toEqual([]);
    expect(refs(5)).toEqual([[1, SIZE_OR_TYPE_SLOT]]);
    expect(refs(6)).toEqual([[2, 0], [1, 1]]);
    expect(refs(7)).toEqual([[1, 1], [1, 4], [6, 7]]);
    expect(refs(20)).toEqual([[1, SIZE_OR_TYPE_SLOT], [16, 1], [18, 3], [0, 5]]);
    expect(refs(27)).toEqual([[24, 0], [25, 3]]);
    expect(refs(24)).toEqual([[1, SIZE_OR_TYPE_SLOT]]);
    remapTypeRefs(t, 7, (r) => (r === 1 ? 4 : r));
    expect(refs(7)).toEqual([[4, 1], [4, 4], [6, 7]]);
    remapTypeRefs(t, 20, (r) => r + 100);
    expect(refs(20)).toEqual([[101, SIZE_OR_TYPE_SLOT], [116, 1], [118, 3], [100, 5]]);
  });
});
