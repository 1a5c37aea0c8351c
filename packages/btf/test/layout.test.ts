// The 2026 BTF format on hand-built bytes: the 32-byte header and the kind layout section (read,
// kept, written back byte for byte in either byte order and any section order), kinds known only
// from the layout (kept opaque), and the wide info field (kind in 7 bits, vlen in 24).

import { afterEach, describe, expect, test } from "vitest";
import { BtfKind } from "../src/constants.js";
import { dumpRaw } from "../src/dump.js";
import { BtfError } from "../src/errors.js";
import { mergeSplitBtf } from "../src/merge.js";
import { standardKindLayouts } from "../src/kind-layout.js";
import type { KindDescriptor } from "../src/kinds/descriptor.js";
import { registerKind, unregisterKind } from "../src/kinds/registry.js";
import { parseBtf } from "../src/parse.js";
import { forEachTypeRef } from "../src/refs.js";
import { BtfTable } from "../src/table.js";
import { writeBtf } from "../src/write.js";
import { info, LIBBPF_LAYOUTS, rawBlob, strOff } from "./layout-blobs.js";

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

function thrown(fn: () => unknown): BtfError {
  try {
    fn();
  } catch (err) {
    if (err instanceof BtfError) return err;
    throw err;
  }
  throw new Error("expected a BtfError");
}

/** 16 bytes, so every section order keeps the layout and type sections 4-byte aligned. */
const STRINGS = "\0int\0x\0s\0loc\0ab\0";
/** INT int; STRUCT s { int x; }. */
const plainTypes = () => [
  [strOff(STRINGS, "int"), info(BtfKind.INT, 0), 4, 0x01000020],
  [strOff(STRINGS, "s"), info(BtfKind.STRUCT, 1), 4, strOff(STRINGS, "x"), 1, 0],
];
/** libbpf's table, with a flag set on one entry to see that flags survive (u16, byte order). */
const layoutsWithFlag = () => LIBBPF_LAYOUTS.map(([i, e], k) => [i, e, k === 3 ? 0x1234 : 0]);

describe("header and layout section", () => {
  test("read as written, and written back byte for byte in both byte orders", () => {
    for (const big of [false, true]) {
      const { bytes } = rawBlob({ types: plainTypes(), strings: STRINGS, layouts: layoutsWithFlag(), big });
      const t = parseBtf(bytes);
      expect(t.header).toMatchObject({ byteOrder: big ? "big" : "little", hdrLen: 32, typeOff: 0, typeLen: 40, layoutOff: 40, layoutLen: 80, strOff: 120 });
      expect(t.kindLayouts).toHaveLength(20);
      expect(t.kindLayouts![3]).toEqual({ infoSize: 12, elemSize: 0, flags: 0x1234 });
      expect(t.kindLayouts![4]).toEqual({ infoSize: 0, elemSize: 12, flags: 0 });
      expect(same(writeBtf(t), bytes)).toBe(true);
      const other = rawBlob({ types: plainTypes(), strings: STRINGS, layouts: layoutsWithFlag(), big: !big }).bytes;
      expect(same(writeBtf(t, { endianness: big ? "little" : "big" }), other)).toBe(true);
    }
  });

  test("any section order, and a 32-byte header without a layout section, survive unchanged", () => {
    const orders = [["strings", "types", "layout"], ["layout", "types", "strings"]] as const;
    for (const order of orders) {
      const { bytes } = rawBlob({ types: plainTypes(), strings: STRINGS, layouts: LIBBPF_LAYOUTS, order: [...order] });
      expect(same(writeBtf(parseBtf(bytes)), bytes)).toBe(true);
    }
    const noLayout = rawBlob({ types: plainTypes(), strings: STRINGS, hdrLen: 32 }).bytes;
    const t = parseBtf(noLayout);
    expect(t.kindLayouts).toBeUndefined();
    expect(same(writeBtf(t), noLayout)).toBe(true);
  });

  test("a changed table keeps its layout section and is laid out again as libbpf reads it", () => {
    const { bytes } = rawBlob({ types: plainTypes(), strings: STRINGS, layouts: layoutsWithFlag(), order: ["strings", "layout", "types"] });
    const t = parseBtf(bytes);
    const ptr = t.addPtr(2);
    const out = parseBtf(writeBtf(t));
    expect(out.header).toMatchObject({ hdrLen: 32, typeOff: 0, typeLen: 52, layoutOff: 52, layoutLen: 80, strOff: 132, strLen: 16 });
    expect(out.kindLayouts).toEqual(t.kindLayouts);
    expect(out.typeView(ptr)).toMatchObject({ kind: "PTR", type: 2 });
  });

  test("a built table with the standard layout is what libbpf writes: 32-byte header, types, layout, strings", () => {
    const t = new BtfTable();
    const int = t.addInt("int", 4, 1, 0, 32);
    t.addStruct("s", 4, [{ name: "x", type: int, bitOffset: 0 }]);
    t.strings.add("loc");
    t.strings.add("ab");
    t.kindLayouts = standardKindLayouts();
    const expected = rawBlob({ types: plainTypes(), strings: STRINGS, layouts: LIBBPF_LAYOUTS }).bytes;
    expect(same(writeBtf(t, { endianness: "little" }), expected)).toBe(true);
  });

  test("layout sections a reader cannot trust are refused with the file and the header field", () => {
    const good = rawBlob({ types: plainTypes(), strings: STRINGS, layouts: LIBBPF_LAYOUTS }).bytes;
    const edit = (off: number, value: number) => {
      const b = good.slice();
      new DataView(b.buffer).setUint32(off, value, true);
      return thrown(() => parseBtf(b, { name: "l.btf" }));
    };
    expect(edit(28, 78)).toMatchObject({ code: "BTF_BAD_LAYOUT", location: { file: "l.btf", offset: 28 } });
    expect(edit(28, 78).message).toContain("not a multiple of the 4-byte struct btf_layout");
    expect(edit(24, 42)).toMatchObject({ code: "BTF_BAD_LAYOUT", location: { offset: 24 } });
    expect(edit(24, 36)).toMatchObject({ code: "BTF_BAD_HEADER" });
    expect(edit(24, 36).message).toContain("the type and layout sections overlap");
    expect(edit(24, 4000)).toMatchObject({ code: "BTF_TRUNCATED" });
  });
});

describe("kinds known only from the layout section", () => {
  const KIND = 25;
  /** INT int; kind 25 'loc' (vlen 2, one fixed word and two words per element); PTR -> int. */
  const opaqueTypes = () => [
    [strOff(STRINGS, "int"), info(BtfKind.INT, 0), 4, 0x01000020],
    [strOff(STRINGS, "loc"), info(KIND, 2, true), 1, 7, 10, 11, 20, 21],
    [0, info(BtfKind.PTR, 0), 1],
  ];
  const layouts = (entry: [number, number]) => [...LIBBPF_LAYOUTS, [0, 0], [0, 0], [0, 0], [0, 0], [0, 0], entry];

  test("are kept opaque: dumped as bpftool dumps them, written back as they were", () => {
    const { bytes } = rawBlob({ types: opaqueTypes(), strings: STRINGS, layouts: layouts([4, 8]) });
    const t = parseBtf(bytes);
    expect(t.count).toBe(3);
    expect(t.isOpaque(2)).toBe(true);
    expect(t.isOpaque(3)).toBe(false);
    expect(dumpRaw(t).split("\n")).toEqual(["[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED", "[2] UNKNOWN 'loc'", "[3] PTR '(anon)' type_id=1", ""]);
    expect(t.typeView(2)).toEqual({ id: 2, kind: "UNKNOWN", name: "loc", opaque: true, kindNumber: KIND, vlen: 2, kindFlag: true, sizeOrType: 1, words: [7, 10, 11, 20, 21] });
    expect(same(writeBtf(t), bytes)).toBe(true);
    expect(thrown(() => forEachTypeRef(t, 2, () => {}))).toMatchObject({ code: "BTF_OPAQUE_KIND", location: { typeId: 2 } });
  });

  test("without a layout entry, or with one that is not whole words, the reader says why", () => {
    const noLayout = rawBlob({ types: opaqueTypes(), strings: STRINGS }).bytes;
    const e = thrown(() => parseBtf(noLayout, { name: "n.btf" }));
    expect(e).toMatchObject({ code: "BTF_UNKNOWN_KIND", location: { file: "n.btf", typeId: 2, offset: 24 + 16 } });
    expect(e.message).toContain("the BTF has no layout section");
    const short = rawBlob({ types: opaqueTypes(), strings: STRINGS, layouts: LIBBPF_LAYOUTS }).bytes;
    expect(thrown(() => parseBtf(short)).message).toContain("the layout section does not describe it");
    const odd = rawBlob({ types: opaqueTypes(), strings: STRINGS, layouts: layouts([3, 8]) }).bytes;
    expect(thrown(() => parseBtf(odd))).toMatchObject({ code: "BTF_BAD_LAYOUT", location: { typeId: 2 } });
  });

  test("merged with its split BTF (for the kernel check), a base keeps its layout section", () => {
    const base = rawBlob({ types: opaqueTypes(), strings: STRINGS, layouts: layouts([4, 8]) }).bytes;
    const split = rawBlob({ types: [[0, info(BtfKind.PTR, 0), 2]], strings: "" }).bytes;
    const merged = parseBtf(mergeSplitBtf(base, split));
    expect(merged.header).toMatchObject({ hdrLen: 32, typeOff: 0, typeLen: 72, layoutOff: 72, layoutLen: 104, strOff: 176 });
    expect(merged.kindLayouts).toEqual(parseBtf(base).kindLayouts);
    expect(dumpRaw(merged).split("\n").slice(1, 4)).toEqual(["[2] UNKNOWN 'loc'", "[3] PTR '(anon)' type_id=1", "[4] PTR '(anon)' type_id=2"]);
  });

  test("split BTF without its own layout section reads them through its base's, as libbpf does", () => {
    const base = parseBtf(rawBlob({ types: opaqueTypes(), strings: STRINGS, layouts: layouts([4, 8]) }).bytes);
    const splitStrings = "sub\0";
    const split = rawBlob({ types: [[STRINGS.length, info(KIND, 1), 3, 0, 5, 6]], strings: splitStrings }).bytes;
    const t = parseBtf(split, { base });
    expect(t.isOpaque(4)).toBe(true);
    expect(dumpRaw(t)).toBe("[4] UNKNOWN 'sub'\n");
    expect(same(writeBtf(t), split)).toBe(true);
  });
});

describe("wide info fields", () => {
  const WIDE = 100;
  const wideKind: KindDescriptor = {
    kind: WIDE,
    name: "WIDE",
    since: "plugin",
    trailingWords: (vlen) => vlen,
    sizeIsType: false,
    dumpRaw: (table, id) => ` size=${table.sizeOrType(id)} vlen=${table.vlen(id)}`,
    toView: (table, id) => ({ size: table.sizeOrType(id) }),
  };
  afterEach(() => unregisterKind(WIDE));

  test("vlen above 0xffff: written in 24 bits, read back whole", () => {
    const t = new BtfTable();
    const int = t.addInt("int", 4, 1, 0, 32);
    const n = 70_000;
    const members = Array.from({ length: n }, (_, i) => ({ name: `m${i}`, type: int, bitOffset: i * 32 }));
    const s = t.addStruct("big", n * 4, members);
    expect(t.info(s)).toBe(info(BtfKind.STRUCT, n));
    const back = parseBtf(writeBtf(t));
    expect(back.vlen(s)).toBe(n);
    expect(back.word(s, (n - 1) * 3 + 2)).toBe((n - 1) * 32);
    expect(dumpRaw(back, { ids: [s] }).split("\n")[0]).toBe(`[2] STRUCT 'big' size=${n * 4} vlen=${n}`);
    expect(() => t.add(BtfKind.STRUCT, 0, 0x1000000, false, 0)).toThrow(/vlen 16777216 is outside 0..16777215/);
  });

  test("a kind number above 31, registered by a plugin, round-trips; the standard layout then covers it", () => {
    registerKind(wideKind);
    const t = new BtfTable();
    const id = t.add(WIDE, t.strings.add("w"), 3, false, 8, [1, 2, 3]);
    expect(t.kind(id)).toBe(WIDE);
    const back = parseBtf(writeBtf(t));
    expect(back.kind(id)).toBe(WIDE);
    expect(dumpRaw(back)).toBe("[1] WIDE 'w' size=8 vlen=3\n");
    const layouts = standardKindLayouts();
    expect(layouts).toHaveLength(WIDE + 1);
    expect(layouts[WIDE]).toEqual({ infoSize: 0, elemSize: 4, flags: 0 });
    expect(layouts.slice(20, WIDE).every((l) => l.infoSize === 0 && l.elemSize === 0)).toBe(true);
    expect(() => t.add(128, 0, 0, false, 0)).toThrow(/does not fit the 7 kind bits/);
  });

  test("the standard layout of the built-in kinds is libbpf's, entry for entry", () => {
    expect(standardKindLayouts().map((l) => [l.infoSize, l.elemSize])).toEqual(LIBBPF_LAYOUTS);
  });
});
