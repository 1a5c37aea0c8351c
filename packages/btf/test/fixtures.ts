// Small BTF tables built with the builders, covering every built-in kind and kind_flag use.

import { BtfFuncLinkage, BtfIntEncoding, BtfTable, BtfVarLinkage } from "@btforge/btf";

/** A base table with one or more types of every kind. */
export function everyKindTable(): BtfTable {
  const t = new BtfTable();
  const int = t.addInt("int", 4, BtfIntEncoding.SIGNED, 0, 32); // 1
  const uchar = t.addInt("unsigned char", 1, BtfIntEncoding.CHAR, 0, 8); // 2
  const bool = t.addInt("_Bool", 1, BtfIntEncoding.BOOL, 0, 8); // 3
  const u64 = t.addInt("long long unsigned int", 8, 0, 0, 64); // 4
  const ptr = t.addPtr(int); // 5
  const arr = t.addArray(uchar, int, 16); // 6
  const s = t.addStruct("point", 16, [
    { name: "x", type: int, bitOffset: 0 },
    { name: "y", type: int, bitOffset: 32 },
    { name: "", type: arr, bitOffset: 64 },
  ]); // 7
  t.addStruct("flags", 4, [
    { name: "a", type: int, bitOffset: 0, bitfieldSize: 3 },
    { name: "b", type: int, bitOffset: 3, bitfieldSize: 29 },
  ]); // 8
  t.addUnion("", 8, [
    { name: "i", type: int, bitOffset: 0 },
    { name: "u", type: u64, bitOffset: 0 },
  ]); // 9
  t.addEnum("color", 4, false, [
    { name: "RED", value: 0 },
    { name: "BIG", value: 0xfffffffe },
  ]); // 10
  t.addEnum("delta", 4, true, [
    { name: "DOWN", value: -1 },
    { name: "UP", value: 1 },
  ]); // 11
  t.addEnum64("wide", 8, false, [
    { name: "W_MAX", value: 0xffffffffffffffffn },
    { name: "W_ONE", value: 1n },
  ]); // 12
  t.addEnum64("swide", 8, true, [
    { name: "S_MIN", value: -0x8000000000000000n },
    { name: "S_NEG", value: -5n },
  ]); // 13
  t.addFwd("later", false); // 14
  t.addFwd("ulater", true); // 15
  const td = t.addTypedef("point_t", s); // 16
  t.addVolatile(int); // 17
  const cint = t.addConst(int); // 18
  t.addRestrict(ptr); // 19
  const proto = t.addFuncProto(int, [
    { name: "p", type: td },
    { name: "", type: cint },
    { name: 0, type: 0 },
  ]); // 20
  const fn = t.addFunc("move", proto, BtfFuncLinkage.GLOBAL); // 21
  t.addFunc("helper", proto, BtfFuncLinkage.STATIC); // 22
  t.addFunc("ext", proto, BtfFuncLinkage.EXTERN); // 23
  const v1 = t.addVar("counter", int, BtfVarLinkage.GLOBAL_ALLOCATED); // 24
  const v2 = t.addVar("local", u64, BtfVarLinkage.STATIC); // 25
  t.addVar("imported", int, BtfVarLinkage.GLOBAL_EXTERN); // 26
  t.addDatasec(".data", 16, [
    { type: v1, offset: 0, size: 4 },
    { type: v2, offset: 8, size: 8 },
  ]); // 27
  t.addFloat("double", 8); // 28
  t.addDeclTag("kfunc", fn, -1); // 29
  t.addDeclTag("arg_tag", fn, 1); // 30
  t.addDeclTag("member_tag", s, 0); // 31
  const tt = t.addTypeTag("user", int); // 32
  t.addPtr(tt); // 33
  t.addPtr(bool); // 34
  return t;
}

/** A split table on `base` that reuses base types and strings and adds its own. */
export function splitTable(base: BtfTable): BtfTable {
  const t = new BtfTable({ base });
  const int = 1;
  const own = t.addStruct("module_state", 8, [
    { name: "x", type: int, bitOffset: 0 }, // "x" is a base string: reused
    { name: "refcount", type: int, bitOffset: 32 },
  ]);
  const p = t.addPtr(own);
  const v = t.addVar("mod_var", p, BtfVarLinkage.GLOBAL_ALLOCATED);
  t.addDatasec(".data", 8, [{ type: v, offset: 0, size: 8 }]);
  t.addFuncProto(0, [{ name: "s", type: p }]);
  t.addEnum64("mod_wide", 8, true, [{ name: "M", value: -2n }]);
  return t;
}
