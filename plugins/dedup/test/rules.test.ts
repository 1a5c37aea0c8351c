// One test per equivalence rule, on BTF built by hand with BtfTable's builders.
import { BtfKind, BtfTable } from "@btforge/btf";
import { describe, expect, test } from "vitest";
import { dedupBtf } from "../src/index.js";
import { kindCount, listHead, valid } from "./support/build.js";

describe("primitives", () => {
  test("identical INT, FLOAT and ENUM records merge; different ones do not", () => {
    const t = new BtfTable();
    const a = t.addInt("int", 4, 1, 0, 32);
    const b = t.addInt("int", 4, 1, 0, 32);
    const u = t.addInt("unsigned int", 4, 0, 0, 32);
    const f1 = t.addFloat("double", 8);
    const f2 = t.addFloat("double", 8);
    const e1 = t.addEnum("e", 4, false, [{ name: "A", value: 1 }]);
    const e2 = t.addEnum("e", 4, false, [{ name: "A", value: 1 }]);
    const e3 = t.addEnum("e", 4, false, [{ name: "A", value: 2 }]);
    const { table, remap } = dedupBtf(t);
    expect(table.count).toBe(5);
    expect(remap[a]).toBe(remap[b]);
    expect(remap[u]).not.toBe(remap[a]);
    expect(remap[f1]).toBe(remap[f2]);
    expect(remap[e1]).toBe(remap[e2]);
    expect(remap[e3]).not.toBe(remap[e1]);
    valid(table);
  });

  test("an enum forward declaration resolves to the unique full enum or enum64 of its name", () => {
    const t = new BtfTable();
    const fwd = t.addEnum("state", 4, false, []);
    const full = t.addEnum64("state", 8, false, [{ name: "BIG", value: 1n << 40n }]);
    const fwd2 = t.addEnum("state", 4, false, []);
    const other = t.addEnum("mode", 4, false, []);
    t.addEnum("mode", 4, false, [{ name: "X", value: 0 }]);
    t.addEnum("mode", 4, false, [{ name: "Y", value: 0 }]);
    const { table, remap } = dedupBtf(t);
    expect(remap[fwd]).toBe(remap[full]);
    expect(remap[fwd2]).toBe(remap[full]);
    expect(table.kind(remap[full]!)).toBe(BtfKind.ENUM64);
    // two different full "mode" enums: the declaration stays
    expect(table.vlen(remap[other]!)).toBe(0);
    expect(table.count).toBe(4);
    valid(table);
  });

  test("ENUM and ENUM64 with values are distinct kinds", () => {
    const t = new BtfTable();
    const a = t.addEnum("e", 4, false, [{ name: "A", value: 1 }]);
    const b = t.addEnum64("e", 8, false, [{ name: "A", value: 1n }]);
    const { remap } = dedupBtf(t);
    expect(remap[a]).not.toBe(remap[b]);
  });
});

describe("structs and unions", () => {
  test("the same struct name with different layouts in two units stays two structs", () => {
    const t = new BtfTable();
    const int = t.addInt("int", 4, 1, 0, 32);
    const long = t.addInt("long", 8, 1, 0, 64);
    const s1 = t.addStruct("cfg", 8, [{ name: "x", type: int, bitOffset: 0 }]);
    const s2 = t.addStruct("cfg", 8, [{ name: "x", type: long, bitOffset: 0 }]);
    const s3 = t.addStruct("cfg", 8, [{ name: "x", type: t.addInt("int", 4, 1, 0, 32), bitOffset: 0 }]);
    const { table, remap } = dedupBtf(t);
    expect(remap[s1]).not.toBe(remap[s2]);
    expect(remap[s3]).toBe(remap[s1]);
    expect(kindCount(table, BtfKind.STRUCT)).toBe(2);
    valid(table);
  });

  test("self-referential list_head in 3 units becomes one struct and one pointer", () => {
    const t = new BtfTable();
    const ids = [listHead(t), listHead(t), listHead(t)];
    const { table, remap } = dedupBtf(t);
    expect(table.count).toBe(2);
    expect(new Set(ids.map((id) => remap[id])).size).toBe(1);
    const s = remap[ids[0]!]!;
    const ptr = table.words(s)[1]!;
    expect(table.kind(ptr)).toBe(BtfKind.PTR);
    expect(table.sizeOrType(ptr)).toBe(s);
    valid(table);
  });

  test("mutually recursive structs across units merge", () => {
    const t = new BtfTable();
    const unit = () => {
      // struct a { struct b *b; }; struct b { struct a *a; };
      const pa = t.addPtr(t.lastId + 4);
      const pb = t.addPtr(t.lastId + 2);
      const b = t.addStruct("b", 8, [{ name: "a", type: pa, bitOffset: 0 }]);
      const a = t.addStruct("a", 8, [{ name: "b", type: pb, bitOffset: 0 }]);
      expect(t.sizeOrType(pa)).toBe(a);
      expect(t.sizeOrType(pb)).toBe(b);
      return [a, b];
    };
    const [a1, b1] = unit();
    const [a2, b2] = unit();
    const { table, remap } = dedupBtf(t);
    expect(remap[a1]).toBe(remap[a2]);
    expect(remap[b1]).toBe(remap[b2]);
    expect(table.count).toBe(4);
    valid(table);
  });

  test("a struct that differs only deep in its graph is kept apart, with its pointers", () => {
    const t = new BtfTable();
    const unit = (bits: number) => {
      const leaf = t.addInt("leaf_t", bits / 8, 0, 0, bits);
      const inner = t.addStruct("inner", 8, [{ name: "v", type: leaf, bitOffset: 0 }]);
      const p = t.addPtr(inner);
      return t.addStruct("outer", 8, [{ name: "p", type: p, bitOffset: 0 }]);
    };
    const o1 = unit(32);
    const o2 = unit(64);
    const o3 = unit(32);
    const { table, remap } = dedupBtf(t);
    expect(remap[o1]).not.toBe(remap[o2]);
    expect(remap[o3]).toBe(remap[o1]);
    expect(kindCount(table, BtfKind.STRUCT)).toBe(4);
    valid(table);
  });

  test("anonymous structs inside typedefs merge by structure", () => {
    const t = new BtfTable();
    const unit = (memberName: string) => {
      const int = t.addInt("int", 4, 1, 0, 32);
      const anon = t.addStruct("", 4, [{ name: memberName, type: int, bitOffset: 0 }]);
      return t.addTypedef("pair_t", anon);
    };
    const t1 = unit("a");
    const t2 = unit("a");
    const t3 = unit("b");
    const { table, remap } = dedupBtf(t);
    expect(remap[t1]).toBe(remap[t2]);
    expect(remap[t3]).not.toBe(remap[t1]);
    expect(kindCount(table, BtfKind.TYPEDEF)).toBe(2);
    expect(kindCount(table, BtfKind.STRUCT)).toBe(2);
    valid(table);
  });

  test("a pointer to a FWD in one unit and to the definition in another: the struct graphs merge", () => {
    const t = new BtfTable();
    const fwd = t.addFwd("task", false);
    const holder1 = t.addStruct("holder", 8, [{ name: "t", type: t.addPtr(fwd), bitOffset: 0 }]);
    const int = t.addInt("int", 4, 1, 0, 32);
    const task = t.addStruct("task", 4, [{ name: "pid", type: int, bitOffset: 0 }]);
    const holder2 = t.addStruct("holder", 8, [{ name: "t", type: t.addPtr(task), bitOffset: 0 }]);
    const { table, remap } = dedupBtf(t);
    expect(remap[holder1]).toBe(remap[holder2]);
    expect(remap[fwd]).toBe(remap[task]);
    expect(kindCount(table, BtfKind.FWD)).toBe(0);
    valid(table);
  });
});

describe("forward declarations", () => {
  test("a FWD with one candidate definition resolves to it", () => {
    const t = new BtfTable();
    const fwd = t.addFwd("sock", false);
    const p = t.addPtr(fwd);
    const int = t.addInt("int", 4, 1, 0, 32);
    const sock = t.addStruct("sock", 4, [{ name: "fd", type: int, bitOffset: 0 }]);
    const p2 = t.addPtr(sock);
    const { table, remap } = dedupBtf(t);
    expect(remap[fwd]).toBe(remap[sock]);
    expect(remap[p]).toBe(remap[p2]);
    expect(table.count).toBe(3);
    valid(table);
  });

  test("a FWD with two different candidate definitions stays a FWD", () => {
    const t = new BtfTable();
    const fwd = t.addFwd("sock", false);
    const p = t.addPtr(fwd);
    const int = t.addInt("int", 4, 1, 0, 32);
    const long = t.addInt("long", 8, 1, 0, 64);
    t.addStruct("sock", 4, [{ name: "fd", type: int, bitOffset: 0 }]);
    t.addStruct("sock", 8, [{ name: "fd", type: long, bitOffset: 0 }]);
    const { table, remap } = dedupBtf(t);
    expect(table.kind(remap[fwd]!)).toBe(BtfKind.FWD);
    expect(table.sizeOrType(remap[p]!)).toBe(remap[fwd]);
    valid(table);
  });

  test("a union FWD does not resolve to a struct of the same name", () => {
    const t = new BtfTable();
    const fwd = t.addFwd("u", true);
    const int = t.addInt("int", 4, 1, 0, 32);
    t.addStruct("u", 4, [{ name: "x", type: int, bitOffset: 0 }]);
    const { table, remap } = dedupBtf(t);
    expect(table.kind(remap[fwd]!)).toBe(BtfKind.FWD);
  });
});

describe("reference types", () => {
  test("identical FUNC_PROTOs (with parameter names) and FUNCs merge; varargs and names count", () => {
    const t = new BtfTable();
    const unit = (param: string, varargs: boolean) => {
      const int = t.addInt("int", 4, 1, 0, 32);
      const cp = t.addPtr(t.addConst(t.addInt("char", 1, 2, 0, 8)));
      const params = [{ name: param, type: cp }];
      if (varargs) params.push({ name: 0 as unknown as string, type: 0 });
      const proto = t.addFuncProto(int, params);
      return [proto, t.addFunc("printk", proto, 1)] as const;
    };
    const [p1, f1] = unit("fmt", true);
    const [p2, f2] = unit("fmt", true);
    const [p3] = unit("fmt", false);
    const [p4] = unit("f", true);
    const { table, remap } = dedupBtf(t);
    expect(remap[p1]).toBe(remap[p2]);
    expect(remap[f1]).toBe(remap[f2]);
    expect(remap[p3]).not.toBe(remap[p1]);
    expect(remap[p4]).not.toBe(remap[p1]);
    expect(kindCount(table, BtfKind.FUNC_PROTO)).toBe(3);
    valid(table);
  });

  test("arrays, qualifiers, typedefs and type tags merge after what they point to", () => {
    const t = new BtfTable();
    const unit = () => {
      const int = t.addInt("int", 4, 1, 0, 32);
      const arr = t.addArray(t.addVolatile(int), int, 16);
      const td = t.addTypedef("vec_t", arr);
      const tag = t.addTypeTag("user", t.addPtr(td));
      return [arr, td, tag];
    };
    const a = unit();
    const b = unit();
    const { table, remap } = dedupBtf(t);
    for (let i = 0; i < a.length; i++) expect(remap[a[i]!]).toBe(remap[b[i]!]);
    expect(table.count).toBe(6);
    valid(table);
  });

  test("a reference loop without a struct is an error naming the edge that closes it", () => {
    const t = new BtfTable();
    const td = t.addTypedef("a", t.lastId + 2);
    const ptr = t.addPtr(td);
    expect(() => dedupBtf(t)).toThrow(`type ${ptr}: refers to type ${td}, which leads back to it: a reference loop that no struct or union breaks`);
  });
});

