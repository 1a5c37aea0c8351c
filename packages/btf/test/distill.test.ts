// distillBase and relocateSplitBtf on hand-built tables: which base types the distilled base keeps
// and how (memberless, sized), which move into the split, the order of both, and relocation back
// onto the full base and onto changed bases, including every way a match can fail. The real-kernel
// suite (test/real/distilled-base.real.test.ts) compares both with libbpf's output through pahole.
import { describe, expect, test } from "vitest";
import {
  BtfError,
  BtfKind,
  BtfTable,
  distillBase,
  dumpRaw,
  type KindDescriptor,
  parseBtf,
  registerKind,
  relocateSplitBtf,
  unregisterKind,
  validateBtf,
  writeBtf,
} from "@btforge/btf";
import { typeDifference } from "./equivalence.js";

/** A base like a vmlinux in miniature, and a module's split BTF on it. */
function moduleOnBase(options: { sockSize?: number; kflagStruct?: boolean } = {}) {
  const b = new BtfTable();
  const int = b.addInt("int", 4, 1, 0, 32); // 1
  b.addInt("long unsigned int", 8, 0, 0, 64); // 2, never referenced
  const sock = b.addStruct("sock", options.sockSize ?? 16, [{ name: "a", type: int, bitOffset: 0 }]); // 3
  const psock = b.addPtr(sock); // 4
  const sockT = b.addTypedef("sock_t", sock); // 5
  const anon = b.addStruct(0, 16, [{ name: "x", type: int, bitOffset: 0 }, { name: "p", type: psock, bitOffset: 64 }]); // 6
  const big = b.addEnum64("big", 8, false, [{ name: "HUGE", value: 1n << 40n }]); // 7
  const opaque = b.addFwd("opaque", false); // 8
  const proto = b.addFuncProto(int, [{ name: "s", type: psock }]); // 9
  b.addFunc("f", proto); // 10
  const dbl = b.addFloat("double", 8); // 11
  b.addStruct("unused", 4, [{ name: "u", type: int, bitOffset: 0 }]); // 12
  const arr = b.addArray(int, int, 4); // 13
  const constAnon = b.addConst(anon); // 14
  b.addEnum("color", 4, false, [{ name: "RED", value: 0 }]); // 15, never referenced
  const s = new BtfTable({ base: b });
  const popaque = s.addPtr(opaque); // 16 → placed first: the split's own order is kept
  const pproto = s.addPtr(proto); // 17
  s.addStruct("mod", 88, [
    { name: "s", type: sock, bitOffset: 0 }, // sock by value: embedded
    { name: "t", type: sockT, bitOffset: 128 },
    { name: "a", type: constAnon, bitOffset: 256 },
    { name: "e", type: big, bitOffset: 384 },
    { name: "o", type: popaque, bitOffset: 448 },
    { name: "arr", type: arr, bitOffset: 512 },
    { name: "fp", type: pproto, bitOffset: 640 },
  ]); // 18
  s.addVar("mod_var", dbl); // 19
  return { base: b, split: s };
}

const DISTILLED_BASE = `[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED
[2] STRUCT 'sock' size=16 vlen=0
[3] ENUM 'big' encoding=UNSIGNED size=8 vlen=0
[4] FWD 'opaque' fwd_kind=struct
[5] FLOAT 'double' size=8
`;

const DISTILLED_SPLIT = `[6] PTR '(anon)' type_id=4
[7] PTR '(anon)' type_id=13
[8] STRUCT 'mod' size=88 vlen=7
	's' type_id=2 bits_offset=0
	't' type_id=11 bits_offset=128
	'a' type_id=15 bits_offset=256
	'e' type_id=3 bits_offset=384
	'o' type_id=6 bits_offset=448
	'arr' type_id=14 bits_offset=512
	'fp' type_id=7 bits_offset=640
[9] VAR 'mod_var' type_id=5, linkage=static
[10] PTR '(anon)' type_id=2
[11] TYPEDEF 'sock_t' type_id=2
[12] STRUCT '(anon)' size=16 vlen=2
	'x' type_id=1 bits_offset=0
	'p' type_id=10 bits_offset=64
[13] FUNC_PROTO '(anon)' ret_type_id=1 vlen=1
	's' type_id=10
[14] ARRAY '(anon)' type_id=1 index_type_id=1 nr_elems=4
[15] CONST '(anon)' type_id=12
`;

describe("distillBase", () => {
  test("named INT/FLOAT/FWD kept, named STRUCT/ENUM memberless and sized, the rest moved into the split in base order", () => {
    const { split } = moduleOnBase();
    const d = distillBase(split);
    expect(dumpRaw(d.base)).toBe(DISTILLED_BASE);
    expect(dumpRaw(d.split)).toBe(DISTILLED_SPLIT);
    // Both serialize, parse back and validate: the base alone, the split on it.
    const baseBytes = writeBtf(d.base);
    expect(validateBtf(baseBytes).ok).toBe(true);
    const reparsed = parseBtf(baseBytes);
    expect(validateBtf(writeBtf(d.split), { base: reparsed }).ok).toBe(true);
    expect(dumpRaw(parseBtf(writeBtf(d.split), { base: reparsed }))).toBe(DISTILLED_SPLIT);
    // The input is not changed.
    expect(split.base!.count).toBe(15);
    expect(split.count).toBe(4);
  });

  test("deterministic: the same input gives the same bytes", () => {
    const a = distillBase(moduleOnBase().split);
    const b = distillBase(moduleOnBase().split);
    expect(writeBtf(a.base)).toEqual(writeBtf(b.base));
    expect(writeBtf(a.split)).toEqual(writeBtf(b.split));
  });

  test("a split BTF that refers to a base FUNC (or VAR, DATASEC, DECL_TAG) cannot be distilled", () => {
    const { base, split } = moduleOnBase();
    split.addDeclTag("bpf_kfunc", 10, -1);
    expect(() => distillBase(split, { name: "mod.ko" })).toThrow(BtfError);
    expect(() => distillBase(split, { name: "mod.ko" })).toThrow(/^mod\.ko: type 20: type 20 refers to base type 10, a FUNC, which a distilled base cannot describe$/);
    expect(() => distillBase(base)).toThrow(/has no base/);
  });
});

describe("relocateSplitBtf", () => {
  test("back onto the full base: the module's own types say exactly what they said before", () => {
    const { base, split } = moduleOnBase();
    const d = distillBase(split);
    const r = relocateSplitBtf(d.split, base);
    expect(Array.from(r.idMap.subarray(1, 6))).toEqual([1, 3, 7, 8, 11]);
    expect(r.split.firstId).toBe(16);
    expect(r.split.count).toBe(d.split.count);
    for (let i = 0; i < split.count; i++) expect(typeDifference(split, split.firstId + i, r.split, r.split.firstId + i)).toBeUndefined();
    expect(validateBtf(writeBtf(r.split), { base }).ok).toBe(true);
  });

  test("onto a changed base: new ids, other types in between, sock grown where only pointers need it", () => {
    const { split } = moduleOnBase();
    const d = distillBase(split);
    // A newer "kernel": other types first, every type the module needs still there.
    const nb = new BtfTable();
    nb.addInt("char", 1, 2, 0, 8);
    const int = nb.addInt("int", 4, 1, 0, 32);
    nb.addFloat("double", 8);
    nb.addEnum("big", 8, false, [{ name: "SMALL", value: 1 }]); // an ENUM now: matches the distilled ENUM by name and size
    nb.addStruct("opaque", 8, [{ name: "now_defined", type: int, bitOffset: 0 }]); // a FWD matches a definition
    nb.addStruct("sock", 16, [{ name: "b", type: int, bitOffset: 0 }]);
    const r = relocateSplitBtf(d.split, nb, { name: "mod.ko" });
    expect(Array.from(r.idMap.subarray(1, 6))).toEqual([2, 6, 4, 5, 3]);
    expect(r.split.firstId).toBe(7);
    expect(validateBtf(writeBtf(r.split), { base: nb }).ok).toBe(true);
    expect(r.split.typeView(r.split.firstId + 2)).toMatchObject({ kind: "STRUCT", name: "mod", members: [{ name: "s", type: 6 }, { name: "t" }, { name: "a" }, { name: "e", type: 4 }, { name: "o" }, { name: "arr" }, { name: "fp" }] });
  });

  test("an embedded struct must keep its size; one used through pointers only need not", () => {
    const { split } = moduleOnBase();
    const d = distillBase(split);
    const grown = moduleOnBase({ sockSize: 24 }).base;
    expect(() => relocateSplitBtf(d.split, grown, { name: "mod.ko" })).toThrow(
      /^mod\.ko: type 2: distilled base type 'sock' \[2\] \(STRUCT, size 16\) has no match in the base: \[3\] STRUCT 'sock' is size 24, not 16 \(a split struct or union holds it by value\)$/,
    );
    // Without the by-value member, a size change is fine.
    const p = new BtfTable({ base: moduleOnBase().base });
    p.addStruct("holder", 8, [{ name: "sp", type: 4, bitOffset: 0 }]);
    expect(relocateSplitBtf(distillBase(p).split, grown).idMap[distillBase(p).base.lastId]).toBeGreaterThan(0);
  });

  test("names the base has twice are matched by size; two candidates of one size are ambiguous", () => {
    const { split } = moduleOnBase();
    const d = distillBase(split);
    const twice = (sizes: [number, number]) => {
      const b = moduleOnBase().base;
      const s = b.addStruct("sock", sizes[0], []);
      const t = b.addStruct("sock", sizes[1], []);
      return { b, s, t };
    };
    // The original sock (16) plus 32 and 48: three composites named sock, one of size 16.
    const { b: ok } = twice([32, 48]);
    expect(relocateSplitBtf(d.split, ok).idMap[2]).toBe(3);
    const { b: clash, s } = twice([16, 64]);
    expect(() => relocateSplitBtf(d.split, clash)).toThrow(new RegExp(`distilled base type 'sock' \\[2\\] \\(STRUCT, size 16\\) matches two base types, \\[3\\] and \\[${s}\\]`));
  });

  test("INT needs its encoding, ENUM its size; a missing type is named", () => {
    const { split } = moduleOnBase();
    const d = distillBase(split);
    const build = (edit: (b: BtfTable) => void) => {
      const b = new BtfTable();
      edit(b);
      return b;
    };
    const rest = (b: BtfTable, skip: string) => {
      if (skip !== "int") b.addInt("int", 4, 1, 0, 32);
      if (skip !== "sock") b.addStruct("sock", 16, []);
      if (skip !== "big") b.addEnum64("big", 8, true, [{ name: "X", value: -1n }]);
      if (skip !== "opaque") b.addFwd("opaque", false);
      if (skip !== "double") b.addFloat("double", 8);
    };
    expect(() => relocateSplitBtf(d.split, build((b) => (b.addInt("int", 4, 0, 0, 32), rest(b, "int"))))).toThrow(
      /'int' \[1\] \(INT, size 4\) has no match in the base: \[1\] INT 'int' is encoding none, not SIGNED$/,
    );
    expect(() => relocateSplitBtf(d.split, build((b) => (b.addEnum("big", 4, false, []), rest(b, "big"))))).toThrow(/'big' \[3\] \(ENUM, size 8\) has no match in the base: \[1\] ENUM 'big' is size 4, not 8$/);
    expect(() => relocateSplitBtf(d.split, build((b) => rest(b, "double")))).toThrow(/'double' \[5\] \(FLOAT, size 8\) has no match in the base: the base has no type of that name$/);
    expect(() => relocateSplitBtf(d.split, build((b) => (b.addFwd("opaque", true), rest(b, "opaque"))))).toThrow(/'opaque' \[4\] \(FWD\) has no match in the base: \[1\] FWD 'opaque' is a union forward declaration$/);
    expect(relocateSplitBtf(d.split, build((b) => rest(b, ""))).split.count).toBe(d.split.count);
  });

  test("as the kernel: a FWD is matched against a struct's kind_flag (its bitfield flag)", () => {
    const { split } = moduleOnBase();
    const d = distillBase(split);
    const withOpaque = (bitfields: boolean) => {
      const b = new BtfTable();
      const int = b.addInt("int", 4, 1, 0, 32);
      b.addStruct("sock", 16, []);
      b.addEnum("big", 8, false, []);
      b.addFloat("double", 8);
      b.addStruct("opaque", 4, [{ name: "bits", type: int, bitOffset: 0, bitfieldSize: bitfields ? 3 : 0 }]);
      return b;
    };
    expect(relocateSplitBtf(d.split, withOpaque(false)).idMap[4]).toBe(5);
    expect(() => relocateSplitBtf(d.split, withOpaque(true))).toThrow(/'opaque' \[4\] \(FWD\) has no match in the base: \[5\] STRUCT 'opaque' is a struct with bitfields \(kind_flag\), which the kernel does not match with a FWD$/);
  });

  test("refuses what is not a split BTF on a distilled base", () => {
    const { base, split } = moduleOnBase();
    expect(() => relocateSplitBtf(base, base)).toThrow(/has no base/);
    expect(() => relocateSplitBtf(split, base)).toThrow(/already on this base/);
    // The module's split BTF on its full base is not on a distilled base: the base has a PTR.
    const other = moduleOnBase().base;
    expect(() => relocateSplitBtf(split, other, { name: "m" })).toThrow(/^m: type 4: the distilled base has a PTR, which a distilled base never holds$/);
    const anon = new BtfTable();
    anon.addStruct(0, 4, []);
    expect(() => relocateSplitBtf(new BtfTable({ base: anon }), other)).toThrow(/anonymous STRUCT/);
    expect(BtfKind.STRUCT).toBe(4);
  });
});

describe("a plugin kind with named records", () => {
  // TAGS: vlen records of (name, type id); its descriptor lists both kinds of words.
  const TAGS = 27;
  const tagsKind: KindDescriptor = {
    kind: TAGS,
    name: "TAGS",
    since: "plugin",
    trailingWords: (vlen) => vlen * 2,
    sizeIsType: false,
    trailingTypeRefs: (t, id, visit) => {
      for (let at = 1; at < t.wordCount(id); at += 2) visit(at);
    },
    trailingStringRefs: (t, id, visit) => {
      for (let at = 0; at < t.wordCount(id); at += 2) visit(at);
    },
    dumpRaw: (t, id) => Array.from({ length: t.vlen(id) }, (_, i) => `\n\t'${t.strings.get(t.word(id, 2 * i))}' type_id=${t.word(id, 2 * i + 1)}`).join(""),
    toView: () => ({}),
  };

  test("its names and references move with it: distilled, then relocated back", () => {
    registerKind(tagsKind);
    try {
      const { base, split } = moduleOnBase();
      // "sock" and "int" are strings of the base: the copy must find them by text.
      split.add(TAGS, split.nameRef("tags"), 2, false, 0, [split.nameRef("sock"), 3, split.nameRef("only_here"), 1]);
      const d = distillBase(split);
      // The split's own types come first: TAGS is the fifth, id 10 on the 5-type distilled base.
      expect(dumpRaw(d.split, { ids: [10] })).toBe("[10] TAGS 'tags'\n\t'sock' type_id=2\n\t'only_here' type_id=1\n");
      const r = relocateSplitBtf(d.split, base);
      expect(typeDifference(split, split.lastId, r.split, r.split.firstId + split.count - 1)).toBeUndefined();
      expect(r.split.word(r.split.firstId + split.count - 1, 1)).toBe(3);
    } finally {
      unregisterKind(TAGS);
    }
  });
});
