// A small raw BTF assembler for the validator's tests: it writes exactly the words it is told,
// valid or not (forward references, cycles, odd flags), and remembers where each record lies
// so mutations can aim at fields. Independent of the library's own builder on purpose: the
// validator is checked against the kernel, not against the model.

import { BtfKind } from "../src/constants.js";

export interface RecordInfo {
  id: number;
  kind: number;
  /** Byte offset of the record in the blob written by `bytes()` (24-byte header). */
  offset: number;
  /** Number of 32-bit words in the record, header included. */
  words: number;
}

type Name = string | Uint8Array;
export type Member = [name: Name, type: number, bitOffset: number, bitfieldSize?: number];

const encoder = new TextEncoder();

export class BlobBuilder {
  private readonly strBytes: number[] = [0];
  private readonly strIndex = new Map<string, number>();
  private readonly records: number[][] = [];

  /** Offset of a string, interned (Uint8Array names are stored as given, for invalid bytes). */
  str(name: Name): number {
    if (name === "") return 0;
    const bytes = typeof name === "string" ? encoder.encode(name) : name;
    const key = Array.from(bytes).join(",");
    const known = this.strIndex.get(key);
    if (known !== undefined) return known;
    const off = this.strBytes.length;
    this.strBytes.push(...bytes, 0);
    this.strIndex.set(key, off);
    return off;
  }

  /** Appends a record; returns its id. */
  type(kind: number, name: Name, vlen: number, kflag: boolean, sizeType: number, trailing: number[] = []): number {
    const info = ((kflag ? 1 : 0) << 31) | ((kind & 0x1f) << 24) | (vlen & 0xffff);
    this.records.push([this.str(name), info >>> 0, sizeType >>> 0, ...trailing.map((w) => w >>> 0)]);
    return this.records.length;
  }

  /** The id the next record will get. */
  get nextId(): number {
    return this.records.length + 1;
  }

  int(name: Name, size = 4, bits = size * 8, encoding = 1, bitOffset = 0): number {
    return this.type(BtfKind.INT, name, 0, false, size, [(encoding << 24) | (bitOffset << 16) | bits]);
  }
  ptr(type: number): number {
    return this.type(BtfKind.PTR, "", 0, false, type);
  }
  typedef(name: Name, type: number): number {
    return this.type(BtfKind.TYPEDEF, name, 0, false, type);
  }
  modifier(kind: number, type: number): number {
    return this.type(kind, "", 0, false, type);
  }
  typeTag(value: Name, type: number, attribute = false): number {
    return this.type(BtfKind.TYPE_TAG, value, 0, attribute, type);
  }
  array(elem: number, index: number, nelems: number): number {
    return this.type(BtfKind.ARRAY, "", 0, false, 0, [elem, index, nelems]);
  }
  composite(kind: number, name: Name, size: number, members: Member[], kflag = false): number {
    const words = members.flatMap(([n, t, off, bits]) => [this.str(n), t, kflag ? ((bits ?? 0) << 24) | off : off]);
    return this.type(kind, name, members.length, kflag, size, words);
  }
  struct(name: Name, size: number, members: Member[], kflag = false): number {
    return this.composite(BtfKind.STRUCT, name, size, members, kflag);
  }
  union(name: Name, size: number, members: Member[], kflag = false): number {
    return this.composite(BtfKind.UNION, name, size, members, kflag);
  }
  enum(name: Name, size: number, values: [Name, number][], signed = false): number {
    return this.type(BtfKind.ENUM, name, values.length, signed, size, values.flatMap(([n, v]) => [this.str(n), v]));
  }
  enum64(name: Name, size: number, values: [Name, bigint][], signed = false): number {
    const words = values.flatMap(([n, v]) => [this.str(n), Number(BigInt.asUintN(64, v) & 0xffffffffn), Number(BigInt.asUintN(64, v) >> 32n)]);
    return this.type(BtfKind.ENUM64, name, values.length, signed, size, words);
  }
  fwd(name: Name, isUnion = false): number {
    return this.type(BtfKind.FWD, name, 0, isUnion, 0);
  }
  funcProto(ret: number, params: [Name, number][]): number {
    return this.type(BtfKind.FUNC_PROTO, "", params.length, false, ret, params.flatMap(([n, t]) => [this.str(n), t]));
  }
  func(name: Name, proto: number, linkage = 0): number {
    return this.type(BtfKind.FUNC, name, linkage, false, proto);
  }
  variable(name: Name, type: number, linkage = 1): number {
    return this.type(BtfKind.VAR, name, 0, false, type, [linkage]);
  }
  datasec(name: Name, size: number, entries: [type: number, offset: number, size: number][]): number {
    return this.type(BtfKind.DATASEC, name, entries.length, false, size, entries.flat());
  }
  float(name: Name, size: number): number {
    return this.type(BtfKind.FLOAT, name, 0, false, size);
  }
  declTag(value: Name, type: number, componentIdx = -1, attribute = false): number {
    return this.type(BtfKind.DECL_TAG, value, 0, attribute, type, [componentIdx]);
  }

  /** Where each record lies in the blob `bytes()` writes. */
  layout(): RecordInfo[] {
    let offset = 24;
    return this.records.map((r, i) => {
      const info = { id: i + 1, kind: (r[1]! >>> 24) & 0x1f, offset, words: r.length };
      offset += r.length * 4;
      return info;
    });
  }

  /** Header, type section, string section: the usual layout, little-endian. */
  bytes(): Uint8Array {
    const words = this.records.flat();
    const typeLen = words.length * 4;
    const out = new Uint8Array(24 + typeLen + this.strBytes.length);
    const v = new DataView(out.buffer);
    v.setUint16(0, 0xeb9f, true);
    v.setUint8(2, 1);
    v.setUint32(4, 24, true);
    v.setUint32(8, 0, true);
    v.setUint32(12, typeLen, true);
    v.setUint32(16, typeLen, true);
    v.setUint32(20, this.strBytes.length, true);
    words.forEach((w, i) => v.setUint32(24 + i * 4, w, true));
    out.set(this.strBytes, 24 + typeLen);
    return out;
  }
}

/** Every kind in one valid blob: scalars, references, aggregates with bitfields, functions, data sections, tags. */
export function allKindsSeed(): BlobBuilder {
  const b = new BlobBuilder();
  const int = b.int("int", 4, 32, 1);
  const uchar = b.int("unsigned char", 1, 8, 0);
  const long = b.int("long", 8, 64, 1);
  const boolT = b.int("_Bool", 1, 8, 4);
  const u128 = b.int("__int128 unsigned", 16, 128, 0);
  const dbl = b.float("double", 8);
  const ldbl = b.float("long double", 16);
  const pint = b.ptr(int);
  const cint = b.modifier(BtfKind.CONST, int);
  const vlong = b.modifier(BtfKind.VOLATILE, long);
  const rptr = b.modifier(BtfKind.RESTRICT, pint);
  const tag = b.typeTag("user", int);
  const ptag = b.ptr(tag);
  const u32 = b.typedef("u32", int);
  const arr = b.array(uchar, int, 16);
  const fwdS = b.fwd("later");
  const fwdU = b.fwd("ulater", true);
  const pfwd = b.ptr(fwdS);
  const pfwdU = b.ptr(fwdU);
  const color = b.enum("color", 4, [["RED", 0], ["GREEN", 1], ["NEG", -1]], true);
  const big = b.enum64("big", 8, [["HUGE", 1n << 40n], ["SMALL", 2n]]);
  const selfPtr = b.nextId + 1;
  const node = b.struct("node", 88, [
    ["a", int, 0], ["b", uchar, 32], ["next", selfPtr, 64], ["arr", arr, 128], ["d", dbl, 256],
    ["c", color, 320], ["big", big, 384], ["u", u32, 448], ["cv", cint, 480], ["v", vlong, 512],
    ["r", rptr, 576], ["t", ptag, 640],
  ]);
  b.ptr(node);
  const bits = b.struct("bits", 16, [
    ["x", int, 0, 3], ["y", int, 3, 5], ["e", color, 8, 4], ["z", uchar, 16, 0], ["w", long, 64, 0],
  ], true);
  const un = b.union("un", 16, [["i", int, 0], ["l", long, 0], ["q", u128, 0], ["ld", ldbl, 0], ["flag", boolT, 0]]);
  const anon = b.struct("", 24, [["p", pfwd, 0], ["", un, 64]]);
  const proto = b.funcProto(int, [["x", int], ["p", pint]]);
  const fn = b.func("do_thing", proto, 1);
  const varProto = b.funcProto(0, [["fmt", pint], ["", 0]]);
  b.func("printk_like", varProto, 0);
  const fptr = b.ptr(proto);
  const ops = b.struct("ops", 16, [["cb", fptr, 0], ["pu", pfwdU, 64]]);
  const v1 = b.variable("counter", long, 1);
  const v2 = b.variable("table", arr, 0);
  const v3 = b.variable("the_ops", ops, 1);
  b.datasec(".data", 64, [[v1, 0, 8], [v2, 8, 16], [v3, 32, 16]]);
  b.datasec(".rodata.str1.1", 4, []);
  b.declTag("hot", fn, -1);
  b.declTag("nonnull", fn, 1);
  b.declTag("member_tag", node, 2);
  b.declTag("var_tag", v1, -1);
  b.declTag("typedef_tag", u32, -1);
  b.declTag("attr", bits, 0, true);
  b.typeTag("rcu", int, true);
  b.struct("holder", 40, [["n", bits, 0], ["anon", anon, 128]]);
  return b;
}

/** Structures built the way compilers emit them: lists, nested arrays, callbacks, pointers to functions. */
export function aggregatesSeed(): BlobBuilder {
  const b = new BlobBuilder();
  const int = b.int("int");
  const char = b.int("char", 1, 8, 2);
  const size = b.int("long unsigned int", 8, 64, 0);
  const listHead = b.nextId;
  const plist = listHead + 1;
  b.struct("list_head", 16, [["next", plist, 0], ["prev", plist, 64]]);
  b.ptr(listHead);
  const row = b.array(char, int, 8);
  const grid = b.array(row, int, 4);
  const empty = b.array(int, size, 0);
  const cproto = b.funcProto(int, [["a", int], ["b", int]]);
  const cmp = b.func("cmp", cproto, 0);
  const pcmp = b.ptr(cmp);
  const pproto = b.ptr(cproto);
  const inner = b.struct("inner", 8, [["x", int, 0], ["y", int, 32]]);
  const cinner = b.modifier(BtfKind.CONST, inner);
  const outer = b.struct("outer", 104, [
    ["list", listHead, 0], ["grid", grid, 128], ["in", cinner, 384], ["f", pproto, 448],
    ["g", pcmp, 512], ["n", size, 576], ["flex", empty, 640], ["flex2", empty, 640],
  ]);
  const nbits = b.int("nbits", 4, 3, 0, 2);
  b.struct("old_bits", 4, [["k", nbits, 0], ["j", nbits, 5]]);
  const typedefs = b.typedef("outer_t", outer);
  const ptd = b.ptr(typedefs);
  b.funcProto(ptd, [["o", ptd], ["n", size]]);
  b.variable("global_outer", outer, 1);
  return b;
}

/** Long reference chains and the resolver's order-dependent paths, all still valid. */
export function chainsSeed(): BlobBuilder {
  const b = new BlobBuilder();
  // typedef t1 → t2 → … → t28 → int: four links short of the resolver's depth limit.
  const first = b.nextId;
  for (let i = 0; i < 28; i++) b.typedef(`t${i + 1}`, first + i + 1);
  const int = b.int("int");
  const u8 = b.int("u8", 1, 8, 0);
  const cubes = b.array(b.array(b.array(u8, first, 2), int, 3), first + 5, 4);
  // A DATASEC listed before its variables: the kernel resolves them while walking it.
  const sec = b.nextId;
  b.datasec(".bss", 32, [[sec + 1, 0, 24], [sec + 2, 24, 4]]);
  b.variable("cube", cubes, 1);
  b.variable("t", first, 0);
  const proto = b.funcProto(int, [["x", first + 3]]);
  const fn = b.func("handler", proto, 1);
  b.ptr(fn);
  b.typedef("handler_t", fn);
  const pproto = b.ptr(proto);
  b.funcProto(pproto, [["cb", pproto], ["", 0]]);
  const c = b.modifier(BtfKind.CONST, int);
  const tags = b.typeTag("percpu", b.typeTag("user", c));
  b.ptr(tags);
  const f = b.float("float", 4);
  const e = b.enum("mode", 2, [["OFF", 0], ["ON", 1]]);
  const e64 = b.enum64("mask", 8, [["ALL", -1n]], true);
  const oldbf = b.int("oldbf", 4, 5, 0, 3);
  b.struct("mixed", 32, [
    ["f", f, 0], ["m", e, 32, 2], ["n", e, 34, 3], ["k", int, 40, 7], ["mask", e64, 64], ["g", f, 128],
  ], true);
  b.union("any", 8, [["f", f, 0], ["o", oldbf, 0], ["m", e64, 0], ["c", c, 0]]);
  b.declTag("arg", fn, 0);
  b.declTag("field", b.nextId - 3, 4);
  return b;
}

/** Every seed the agreement test mutates. */
export function seedBuilders(): { name: string; builder: BlobBuilder }[] {
  return [
    { name: "all-kinds", builder: allKindsSeed() },
    { name: "aggregates", builder: aggregatesSeed() },
    { name: "chains", builder: chainsSeed() },
  ];
}
