// dumpC on small hand-built tables: declarators, name de-duplication, bitfields and padding,
// packed structs, enums, forward declarations and ordering, split BTF, bad input. Each table
// is also written to a file and dumped by `bpftool btf dump file X format c` when bpftool is
// installed: the two texts must be identical, except for the `mode(byte|word)` attributes on
// odd-sized enums that bpftool 7.1 (libbpf 1.1) leaves out and newer libbpf prints.

import { execFileSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BtfError, BtfIntEncoding, BtfTable, dumpC, parseBtf, writeBtf } from "@btforge/btf";
import { everyKindTable } from "./fixtures.js";
import { bpftool, tempDir } from "./helpers.js";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
if (!bpftool) console.warn("skipping the bpftool comparisons of cdump.test.ts: bpftool is not installed");

/** Drop the enum mode attributes libbpf 1.1 does not print (see the file comment). */
function withoutEnumModes(text: string): string {
  return text.replace(/ __attribute__\(\(mode\((byte|word)\)\)\)/g, "");
}

let files = 0;
/** bpftool's C dump of the table (split tables are written with their base). */
function bpftoolC(table: BtfTable, base?: BtfTable): string {
  const path = join(dir, `t${files++}.btf`);
  writeFileSync(path, writeBtf(table));
  const args = ["btf", "dump", "file", path, "format", "c"];
  if (base) {
    const basePath = `${path}.base`;
    writeFileSync(basePath, writeBtf(base));
    args.splice(2, 0, "-B", basePath);
  }
  return execFileSync(bpftool!, args, { encoding: "utf8" });
}

/** Our dump without the preamble; also checked against bpftool's (when installed). */
function dump(table: BtfTable, base?: BtfTable): string {
  if (bpftool) expect(withoutEnumModes(dumpC(table))).toBe(bpftoolC(table, base));
  return dumpC(table, { bare: true });
}

function scalars(t: BtfTable) {
  return {
    int: t.addInt("int", 4, BtfIntEncoding.SIGNED, 0, 32),
    char: t.addInt("char", 1, BtfIntEncoding.SIGNED, 0, 8),
    long: t.addInt("long int", 8, BtfIntEncoding.SIGNED, 0, 64),
    u8: t.addInt("unsigned char", 1, 0, 0, 8),
    u16: t.addInt("short unsigned int", 2, 0, 0, 16),
    u64: t.addInt("long long unsigned int", 8, 0, 0, 64),
  };
}

describe("declarators", () => {
  test("pointers, qualifiers, arrays, function pointers and prototypes", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const cint = t.addConst(s.int);
    const vcint = t.addVolatile(cint);
    const pcvint = t.addPtr(vcint); // const volatile int *
    const pint = t.addPtr(s.int);
    const cpint = t.addConst(pint); // int * const
    const pchar = t.addPtr(s.char);
    const cchar = t.addConst(s.char);
    const pcchar = t.addPtr(cchar);
    const cpcchar = t.addConst(pcchar);
    const ppc = t.addPtr(cpcchar); // const char * const *
    const protoL = t.addFuncProto(s.int, [{ name: "", type: s.long }]);
    const fnL = t.addPtr(protoL);
    const tableArr = t.addArray(fnL, s.int, 4); // int (*table[4])(long int)
    const arr8 = t.addArray(pchar, s.int, 8);
    const parr8 = t.addPtr(arr8);
    const getterProto = t.addFuncProto(parr8, [{ name: "", type: s.int }]);
    const getter = t.addPtr(getterProto); // char *(*(*getter)(int))[8]
    const voidp = t.addPtr(0);
    const cbProto = t.addFuncProto(0, [
      { name: "ctx", type: voidp },
      { name: "fmt", type: pcchar },
      { name: 0, type: 0 },
    ]);
    const cb = t.addPtr(cbProto);
    const noargs = t.addPtr(t.addFuncProto(s.int, []));
    const arr3 = t.addArray(s.int, s.int, 3);
    const arr23 = t.addArray(arr3, s.int, 2); // int m[2][3]
    const parr3 = t.addPtr(arr3); // int (*p)[3]
    t.addStruct("decls", 112, [
      { name: "cvp", type: pcvint, bitOffset: 0 },
      { name: "cp", type: cpint, bitOffset: 64 },
      { name: "ccp", type: ppc, bitOffset: 128 },
      { name: "table", type: tableArr, bitOffset: 192 },
      { name: "getter", type: getter, bitOffset: 448 },
      { name: "cb", type: cb, bitOffset: 512 },
      { name: "noargs", type: noargs, bitOffset: 576 },
      { name: "m", type: arr23, bitOffset: 640 },
      { name: "p", type: parr3, bitOffset: 832 },
    ]);
    expect(dump(t)).toBe(
      [
        "struct decls {",
        "\tconst volatile int *cvp;",
        "\tint * const cp;",
        "\tconst char * const *ccp;",
        "\tint (*table[4])(long int);",
        "\tchar *(* (*getter)(int))[8];",
        "\tvoid (*cb)(void *ctx, const char *fmt, ...);",
        "\tint (*noargs)(void);",
        "\tint m[2][3];",
        "\tint (*p)[3];",
        "};",
        "",
        "",
      ].join("\n"),
    );
  });

  test("typedefs of function types and chains of typedefs", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const proto = t.addFuncProto(s.int, [
      { name: "a", type: s.int },
      { name: "b", type: s.int },
    ]);
    const binop = t.addTypedef("binop_t", t.addPtr(proto));
    const fnType = t.addTypedef("fn_t", proto);
    const t1 = t.addTypedef("t1", s.int);
    const t2 = t.addTypedef("t2", t.addConst(t1));
    t.addStruct("ops", 32, [
      { name: "ops", type: t.addArray(binop, s.int, 3), bitOffset: 0 },
      { name: "direct", type: t.addPtr(fnType), bitOffset: 192 },
    ]);
    t.addStruct("holds_t2", 4, [{ name: "v", type: t2, bitOffset: 0 }]);
    const text = dump(t);
    expect(text).toContain("typedef int (*binop_t)(int a, int b);\n");
    expect(text).toContain("typedef int fn_t(int a, int b);\n");
    expect(text).toContain("typedef const t1 t2;\n");
    expect(text).toContain("\tbinop_t ops[3];\n\tfn_t *direct;\n");
  });
});

describe("names", () => {
  test("two different structs, typedefs and enumerators of one name get ___2 suffixes", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const a = t.addStruct("dup", 4, [{ name: "a", type: s.int, bitOffset: 0 }]);
    const b = t.addStruct("dup", 16, [
      { name: "x", type: s.long, bitOffset: 0 },
      { name: "y", type: s.long, bitOffset: 64 },
    ]);
    t.addTypedef("dup_t", a);
    t.addTypedef("dup_t", b);
    t.addEnum("dupe", 4, false, [{ name: "ONE", value: 1 }]);
    t.addEnum("dupe", 4, false, [
      { name: "ONE", value: 2 },
      { name: "TWO", value: 3 },
    ]);
    const text = dump(t);
    expect(text).toContain("struct dup {\n\tint a;\n};");
    expect(text).toContain("struct dup___2 {\n\tlong int x;\n\tlong int y;\n};");
    expect(text).toContain("typedef struct dup dup_t;");
    expect(text).toContain("typedef struct dup___2 dup_t___2;");
    expect(text).toContain("enum dupe___2 {\n\tONE___2 = 2,\n\tTWO = 3,\n};");
  });

  test("split BTF: a module struct named like a base struct is renamed, base types are dumped too", () => {
    const base = new BtfTable();
    const s = scalars(base);
    base.addStruct("shared", 4, [{ name: "v", type: s.int, bitOffset: 0 }]);
    const split = new BtfTable({ base });
    const own = split.addStruct("shared", 8, [{ name: "w", type: s.long, bitOffset: 0 }]);
    split.addStruct("module_thing", 8, [{ name: "p", type: split.addPtr(own), bitOffset: 0 }]);
    const text = dump(split, base);
    expect(text).toContain("struct shared {\n\tint v;\n};");
    expect(text).toContain("struct shared___2 {\n\tlong int w;\n};");
    expect(text).toContain("struct module_thing {\n\tstruct shared___2 *p;\n};");
  });
});

describe("layout", () => {
  test("bitfields, explicit padding, zero-width markers", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const u32 = t.addInt("unsigned int", 4, 0, 0, 32);
    t.addStruct("bits", 24, [
      { name: "a", type: s.u8, bitOffset: 0, bitfieldSize: 3 },
      { name: "b", type: s.u8, bitOffset: 3, bitfieldSize: 5 },
      { name: "c", type: u32, bitOffset: 8, bitfieldSize: 17 },
      { name: "d", type: u32, bitOffset: 32, bitfieldSize: 2 },
      { name: "e", type: s.u64, bitOffset: 64, bitfieldSize: 40 },
      { name: "tail", type: s.char, bitOffset: 128 },
    ]);
    t.addStruct("gaps", 32, [
      { name: "c", type: s.char, bitOffset: 0 },
      { name: "l", type: s.long, bitOffset: 128 },
    ]);
    const text = dump(t);
    expect(text).toContain("struct bits {\n\tunsigned char a: 3;\n\tunsigned char b: 5;\n\tunsigned int c: 17;\n\tint: 7;\n\tunsigned int d: 2;\n");
    expect(text).toContain("struct gaps {\n\tchar c;\n\tlong: 64;\n\tlong int l;\n\tlong: 64;\n};");
  });

  test("packed when an offset or the size breaks natural alignment; empty structs on one line", () => {
    const t = new BtfTable();
    const s = scalars(t);
    t.addStruct("packed_all", 15, [
      { name: "c", type: s.char, bitOffset: 0 },
      { name: "i", type: s.int, bitOffset: 8 },
      { name: "s", type: s.u16, bitOffset: 40 },
      { name: "q", type: s.u64, bitOffset: 56 },
    ]);
    t.addStruct("odd_size", 5, [{ name: "i", type: s.int, bitOffset: 0 }]);
    t.addStruct("empty", 0, []);
    t.addUnion("un", 8, [
      { name: "c", type: t.addArray(s.char, s.int, 3), bitOffset: 0 },
      { name: "q", type: s.u64, bitOffset: 0 },
    ]);
    const text = dump(t);
    expect(text).toContain("struct packed_all {\n\tchar c;\n\tint i;\n\tshort unsigned int s;\n\tlong long unsigned int q;\n} __attribute__((packed));");
    expect(text).toContain("struct odd_size {\n\tint i;\n\tchar: 8;\n} __attribute__((packed));");
    expect(text).toContain("struct empty {};");
    expect(text).toContain("union un {\n\tchar c[3];\n\tlong long unsigned int q;\n};");
  });

  test("anonymous members are printed inline, nested", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const inner = t.addStruct("", 4, [
      { name: "lo", type: s.u16, bitOffset: 0 },
      { name: "hi", type: s.u16, bitOffset: 16 },
    ]);
    const u = t.addUnion("", 4, [
      { name: "as_int", type: s.int, bitOffset: 0 },
      { name: "", type: inner, bitOffset: 0 },
    ]);
    t.addStruct("anon", 8, [
      { name: "kind", type: s.int, bitOffset: 0 },
      { name: "", type: u, bitOffset: 32 },
    ]);
    expect(dump(t)).toBe(
      "struct anon {\n\tint kind;\n\tunion {\n\t\tint as_int;\n\t\tstruct {\n\t\t\tshort unsigned int lo;\n\t\t\tshort unsigned int hi;\n\t\t};\n\t};\n};\n\n",
    );
  });
});

describe("enums", () => {
  test("signed, unsigned, 64-bit with LL/ULL suffixes, one-byte, anonymous top-level", () => {
    const t = new BtfTable();
    scalars(t);
    t.addEnum("neg", 4, true, [
      { name: "NEG_A", value: -5 },
      { name: "NEG_B", value: 2147483647 },
    ]);
    t.addEnum("uns", 4, false, [{ name: "UNS_MAX", value: 0xffffffff }]);
    t.addEnum64("big", 8, false, [
      { name: "BIG_A", value: 1n },
      { name: "BIG_B", value: 0xffffffff00000000n },
    ]);
    t.addEnum64("sbig", 8, true, [{ name: "SB_A", value: -3n }]);
    t.addEnum64("small64", 8, false, [{ name: "S64", value: 5n }]);
    t.addEnum("byte", 1, false, [{ name: "BYTE_A", value: 200 }]);
    t.addEnum("", 4, false, [{ name: "TOP_LEVEL", value: 6 }]);
    const text = dump(t);
    expect(text).toContain("enum neg {\n\tNEG_A = -5,\n\tNEG_B = 2147483647,\n};");
    expect(text).toContain("enum uns {\n\tUNS_MAX = 4294967295,\n};");
    expect(text).toContain("enum big {\n\tBIG_A = 1ULL,\n\tBIG_B = 18446744069414584320ULL,\n};");
    // A negative value fills the upper 32 bits, so C makes the enum 8 bytes without help.
    expect(text).toContain("enum sbig {\n\tSB_A = -3LL,\n};");
    expect(text).toContain("enum small64 {\n\tS64 = 5ULL,\n} __attribute__((mode(word)));");
    expect(text).toContain("enum byte {\n\tBYTE_A = 200,\n} __attribute__((mode(byte)));");
    expect(text).toContain("enum {\n\tTOP_LEVEL = 6,\n};");
  });
});

describe("special types", () => {
  test("type tags, __builtin_va_list left to the compiler, GCC's __Poly8_t aliased", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const user = t.addPtr(t.addTypeTag("user", s.int));
    const vaList = t.addTypedef("__builtin_va_list", t.addPtr(s.char));
    const gnuc = t.addTypedef("__gnuc_va_list", 0);
    const poly = t.addInt("__Poly8_t", 1, 0, 0, 8);
    t.addStruct("special", 32, [
      { name: "user_ptr", type: user, bitOffset: 0 },
      { name: "ap", type: vaList, bitOffset: 64 },
      { name: "gp", type: t.addPtr(gnuc), bitOffset: 128 },
      { name: "p", type: poly, bitOffset: 192 },
    ]);
    const text = dump(t);
    expect(text).toContain('\tint __attribute__((btf_type_tag("user"))) *user_ptr;\n');
    expect(text).not.toContain("typedef char *__builtin_va_list;");
    expect(text).toContain("typedef __builtin_va_list __gnuc_va_list;\n");
    expect(text).toContain("typedef unsigned char __Poly8_t;\n");
  });

  test("a 32-bit target (4-byte long): pointers and padding use 32 bits", () => {
    const t = new BtfTable();
    const int = t.addInt("int", 4, BtfIntEncoding.SIGNED, 0, 32);
    t.addInt("long int", 4, BtfIntEncoding.SIGNED, 0, 32);
    const ptr = t.addPtr(int);
    t.addStruct("ilp32", 16, [
      { name: "p", type: ptr, bitOffset: 0 },
      { name: "q", type: ptr, bitOffset: 96 },
    ]);
    expect(dump(t)).toBe("struct ilp32 {\n\tint *p;\n\tlong: 32;\n\tlong: 32;\n\tint *q;\n};\n\n");
  });
});

describe("ordering and forward declarations", () => {
  test("a struct embedded before its user, a pointer target forward-declared, FWD kinds", () => {
    // struct a { struct b *b; int x; }; struct b { struct a a; int y; }: b needs a, a only declares b.
    const t = new BtfTable();
    const s = scalars(t);
    const a = t.addStruct("a", 16, [
      { name: "b", type: t.lastId + 3, bitOffset: 0 },
      { name: "x", type: s.int, bitOffset: 64 },
    ]);
    const b = t.addStruct("b", 24, [
      { name: "a", type: a, bitOffset: 0 },
      { name: "y", type: s.int, bitOffset: 128 },
    ]);
    expect(t.addPtr(b)).toBe(a + 2);
    t.addFwd("only_declared", false);
    t.addFwd("only_union", true);
    expect(dump(t)).toBe(
      "struct b;\n\nstruct a {\n\tstruct b *b;\n\tint x;\n};\n\n" +
        "struct b {\n\tstruct a a;\n\tint y;\n};\n\n" +
        "struct only_declared;\n\nunion only_union;\n\n",
    );
  });

  test("a struct using its own typedef through a pointer: struct declared, typedef, then struct", () => {
    const t = new BtfTable();
    const s = scalars(t);
    // typedef struct node node_t; struct node { node_t *next; int v; };
    const node = t.addStruct("node", 16, [
      { name: "next", type: t.lastId + 3, bitOffset: 0 },
      { name: "v", type: s.int, bitOffset: 64 },
    ]);
    const typedef = t.addTypedef("node_t", node);
    t.addPtr(typedef);
    expect(dump(t)).toBe("struct node;\n\ntypedef struct node node_t;\n\nstruct node {\n\tnode_t *next;\n\tint v;\n};\n\n");
  });

  test("ids to dump can be chosen; dependencies come along", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const inner = t.addStruct("inner", 4, [{ name: "v", type: s.int, bitOffset: 0 }]);
    t.addStruct("unrelated", 4, [{ name: "v", type: s.int, bitOffset: 0 }]);
    const outer = t.addStruct("outer", 4, [{ name: "i", type: inner, bitOffset: 0 }]);
    expect(dumpC(t, { ids: [outer], bare: true })).toBe("struct inner {\n\tint v;\n};\n\nstruct outer {\n\tstruct inner i;\n};\n\n");
  });
});

describe("bad input", () => {
  test("a modifier cycle is a BtfError naming a type, not a hang or a stack overflow", () => {
    const t = new BtfTable();
    const s = scalars(t);
    const c1 = t.addConst(t.lastId + 2);
    t.addVolatile(c1);
    t.addStruct("holder", 8, [{ name: "p", type: c1, bitOffset: 0 }]);
    expect(s.int).toBe(1);
    const err = (() => {
      try {
        dumpC(t);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BtfError);
    expect((err as BtfError).location.typeId).toBeGreaterThan(0);
  });

  test("a struct that contains itself is an unsatisfiable cycle", () => {
    const t = new BtfTable();
    t.addStruct("self", 4, [{ name: "me", type: 1, bitOffset: 0 }]);
    expect(() => dumpC(t)).toThrow(/unsatisfiable type cycle/);
  });

  test("a pointer size other than 4 or 8 is refused", () => {
    const t = new BtfTable();
    scalars(t);
    expect(() => dumpC(t, { pointerSize: 0 })).toThrow(/pointer size 0/);
  });

  test("a member offset far past the struct's other members is refused, not padded line by line", () => {
    const t = new BtfTable();
    const s = scalars(t);
    t.addStruct("huge_gap", 0x10000000, [{ name: "x", type: s.int, bitOffset: 0 }]);
    expect(() => dumpC(t)).toThrow(/gap between members is too big/);
  });

  test("a reference past the last type is a BtfError", () => {
    const t = new BtfTable();
    t.addPtr(99);
    t.addTypedef("dangling", 1);
    expect(() => dumpC(t)).toThrow(BtfError);
  });

  test("2,000 corrupted blobs: each dumps or fails with a BtfError, never another error or a hang", () => {
    const good = writeBtf(everyKindTable());
    let seed = 12345;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    let dumped = 0;
    for (let i = 0; i < 2000; i++) {
      const bytes = good.slice();
      // Flip bytes of the type section (after the 24-byte header), where ids and kinds live.
      for (let k = 0; k < 1 + random(3); k++) bytes[24 + random(bytes.length - 24)] ^= 1 << random(8);
      try {
        dumpC(parseBtf(bytes));
        dumped++;
      } catch (e) {
        if (!(e instanceof BtfError)) throw new Error(`mutation ${i}: ${String(e)}`);
      }
    }
    console.log(`cdump corrupted blobs: ${dumped} of 2000 still dump, the rest end in a BtfError`);
    expect(dumped).toBeGreaterThan(0);
  });
});
