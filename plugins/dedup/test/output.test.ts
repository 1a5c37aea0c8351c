// Variables and sections, split BTF on a base, bad input, and the output's determinism,
// idempotence and string table, on BTF built by hand.
import { BtfKind, BtfTable, BtfVarLinkage, writeBtf } from "@btforge/btf";
import { describe, expect, test } from "vitest";
import { dedupBtf } from "../src/index.js";
import { listHead, valid } from "./support/build.js";

describe("variables and sections", () => {
  test("VAR and DATASEC are kept, their references remapped", () => {
    const t = new BtfTable();
    const i1 = t.addInt("int", 4, 1, 0, 32);
    const i2 = t.addInt("int", 4, 1, 0, 32);
    const v1 = t.addVar("a", i1, BtfVarLinkage.GLOBAL_ALLOCATED);
    const v2 = t.addVar("b", i2, BtfVarLinkage.GLOBAL_ALLOCATED);
    const v3 = t.addVar("b", i2, BtfVarLinkage.GLOBAL_ALLOCATED);
    const sec = t.addDatasec(".data", 12, [
      { type: v1, offset: 0, size: 4 },
      { type: v2, offset: 4, size: 4 },
      { type: v3, offset: 8, size: 4 },
    ]);
    const { table, remap } = dedupBtf(t);
    expect(table.count).toBe(5);
    expect(remap[v2]).not.toBe(remap[v3]);
    expect(table.sizeOrType(remap[v2]!)).toBe(remap[i1]);
    expect(table.typeView(remap[sec]!).entries).toEqual([
      { type: remap[v1], offset: 0, size: 4 },
      { type: remap[v2], offset: 4, size: 4 },
      { type: remap[v3], offset: 8, size: 4 },
    ]);
  });
});

describe("split BTF", () => {
  test("types equal to base types become base ids; only the rest is emitted", () => {
    const base = new BtfTable();
    const bInt = base.addInt("int", 4, 1, 0, 32);
    const bList = listHead(base);
    const bFwd = base.addFwd("only_declared", false);

    const split = new BtfTable({ base });
    const sInt = split.addInt("int", 4, 1, 0, 32);
    const sList = listHead(split);
    const sOwn = split.addStruct("mod_state", 16, [
      { name: "n", type: sInt, bitOffset: 0 },
      { name: "l", type: split.addPtr(sList), bitOffset: 64 },
    ]);
    const sFwd = split.addFwd("only_declared", false);
    const { table, remap } = dedupBtf(split, { base });
    expect(table.firstId).toBe(base.lastId + 1);
    expect(remap[sInt]).toBe(bInt);
    expect(remap[sList]).toBe(bList);
    expect(remap[sFwd]).toBe(bFwd);
    expect(table.count).toBe(1); // mod_state: its pointer to list_head is the base's
    expect(table.name(remap[sOwn]!)).toBe("mod_state");
    expect(table.strings.find("list_head")).toBeLessThan(base.strings.endOffset);
    valid(table, base);
  });

  test("a standalone table (module merged with its base) deduplicated against the base", () => {
    const base = new BtfTable();
    base.addInt("int", 4, 1, 0, 32);
    listHead(base);
    const merged = new BtfTable();
    const mInt = merged.addInt("int", 4, 1, 0, 32);
    const mList = listHead(merged);
    const own = merged.addStruct("m", 4, [{ name: "x", type: mInt, bitOffset: 0 }]);
    const { table, remap } = dedupBtf(merged, { base });
    expect(remap[mInt]).toBe(1);
    expect(remap[mList]).toBe(3);
    expect(remap[own]).toBe(base.lastId + 1);
    expect(table.count).toBe(1);
    expect(table.typeView(base.lastId + 1).members).toEqual([{ name: "x", type: 1, bitOffset: 0, bitfieldSize: 0 }]);
    valid(table, base);
  });
});

describe("output", () => {
  test("deterministic and idempotent: dedup of the output is byte-identical", () => {
    const t = new BtfTable();
    listHead(t);
    t.addFwd("x", false);
    listHead(t);
    t.addEnum("e", 4, true, [{ name: "M", value: -1 }]);
    const once = writeBtf(dedupBtf(t).table);
    expect(writeBtf(dedupBtf(t).table)).toEqual(once);
    const again = dedupBtf(dedupBtf(t).table);
    expect(writeBtf(again.table)).toEqual(once);
    expect(Array.from(again.remap)).toEqual(Array.from({ length: again.remap.length }, (_, i) => i));
  });

  test("records that become identical only after the reference phase are merged by the settling pass", () => {
    // Unit 2 has `struct B *p` through a FWD and `struct B *q` through the definition, unit 1 both
    // through the definition: the first walk pairs unit 1's B with two different partners and
    // fails, yet once the FWD resolves the two struct A records are the same.
    const t = new BtfTable();
    const int = t.addInt("int", 4, 1, 0, 32);
    const b1 = t.addStruct("B", 4, [{ name: "x", type: int, bitOffset: 0 }]);
    const p1 = t.addPtr(b1);
    const a1 = t.addStruct("A", 16, [
      { name: "p", type: p1, bitOffset: 0 },
      { name: "q", type: p1, bitOffset: 64 },
    ]);
    const fwd = t.addFwd("B", false);
    const pf = t.addPtr(fwd);
    const a2 = t.addStruct("A", 16, [
      { name: "p", type: pf, bitOffset: 0 },
      { name: "q", type: t.lastId + 3, bitOffset: 64 },
    ]);
    const b2 = t.addStruct("B", 4, [{ name: "x", type: int, bitOffset: 0 }]);
    t.addPtr(b2);
    const { table, remap } = dedupBtf(t);
    expect(remap[a2]).toBe(remap[a1]);
    expect(remap[b2]).toBe(remap[b1]);
    expect(table.count).toBe(4);
    expect(writeBtf(dedupBtf(table).table)).toEqual(writeBtf(table));
  });

  test("strings of dropped types are not carried over", () => {
    const t = new BtfTable();
    t.addFwd("gone", false);
    t.addStruct("gone", 0, []);
    const { table } = dedupBtf(t);
    expect(table.count).toBe(1);
    expect(table.strings.size).toBe("\0gone\0".length);
  });
});

describe("split BTF keeps the base as it is", () => {
  test("a split struct whose graph defines what the base only declares still maps to the base struct (libbpf's rule); the base FWD stays", () => {
    const base = new BtfTable();
    const fwd = base.addFwd("kvm", false);
    const bHolder = base.addStruct("holder", 8, [{ name: "k", type: base.addPtr(fwd), bitOffset: 0 }]);
    const split = new BtfTable({ base });
    const int = split.addInt("int", 4, 1, 0, 32);
    const kvm = split.addStruct("kvm", 4, [{ name: "n", type: int, bitOffset: 0 }]);
    const sHolder = split.addStruct("holder", 8, [{ name: "k", type: split.addPtr(kvm), bitOffset: 0 }]);
    const sFwd = split.addFwd("kvm", false);
    const sPtrFwd = split.addPtr(sFwd);
    const { table, remap } = dedupBtf(split, { base });
    expect(remap[sHolder]).toBe(bHolder);
    // the definition stays in the split part for the module's own uses; the base is untouched
    expect(remap[kvm]!).toBeGreaterThan(base.lastId);
    expect(table.kind(remap[kvm]!)).toBe(BtfKind.STRUCT);
    expect(base.kind(fwd)).toBe(BtfKind.FWD);
    // the split FWD equals the base's FWD, and the base's pointer to it is reused
    expect(remap[sFwd]).toBe(fwd);
    expect(remap[sPtrFwd]).toBe(bHolder - 1);
    valid(table, base);
  });
});

describe("bad input", () => {
  test("a reference past the last type is an error naming the type", () => {
    const t = new BtfTable();
    t.addInt("int", 4, 1, 0, 32);
    t.addPtr(7);
    expect(() => dedupBtf(t)).toThrow(/type 2: refers to type 7, past the last type 2/);
  });
});
