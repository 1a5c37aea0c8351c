// Hand-built blobs, one per loader rule, each with the verdict and the first-problem reason the
// kernel gives (validate.test.ts checks both against validateBtf, and against the running
// kernel where it can be reached).

import { BtfKind } from "../src/constants.js";
import { BlobBuilder } from "./validate-blobs.js";

export interface RuleCase {
  name: string;
  bytes: Uint8Array;
  /** undefined when the blob is valid; otherwise the kernel's reason for rejecting it. */
  reason?: string;
}

function blob(build: (b: BlobBuilder) => void): Uint8Array {
  const b = new BlobBuilder();
  build(b);
  return b.bytes();
}

/** Rewrites header fields of a built blob (offsets in bytes, values u32). */
function patch(bytes: Uint8Array, edits: [offset: number, value: number][]): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  for (const [off, value] of edits) v.setUint32(off, value >>> 0, true);
  return out;
}

const oneInt = () => blob((b) => b.int("int"));

/** A blob whose header claims `hdrLen` bytes, with the extra header bytes set to `fill`. */
function longHeader(hdrLen: number, fill: number): Uint8Array {
  const base = oneInt();
  const out = new Uint8Array(base.length + hdrLen - 24);
  out.set(base.subarray(0, 24));
  out.fill(fill, 24, hdrLen);
  out.set(base.subarray(24), hdrLen);
  new DataView(out.buffer).setUint32(4, hdrLen, true);
  return out;
}

function headerCases(): RuleCase[] {
  const good = oneInt();
  const strLen = new DataView(good.buffer).getUint32(20, true);
  const typeLen = new DataView(good.buffer).getUint32(12, true);
  // Strings first, then types: the sections tile the data but strings are not last.
  const swapped = new Uint8Array(good.length);
  swapped.set(good.subarray(0, 24));
  swapped.set(good.subarray(24 + typeLen), 24);
  swapped.set(good.subarray(24, 24 + typeLen), 24 + strLen);
  return [
    { name: "empty blob", bytes: new Uint8Array(0), reason: "hdr_len not found" },
    { name: "hdr_len past the end", bytes: patch(good, [[4, good.length + 1]]), reason: "btf_header not found" },
    { name: "longer header, zero padded", bytes: longHeader(32, 0) },
    { name: "longer header with unknown fields", bytes: longHeader(32, 1), reason: "Unsupported btf_header" },
    { name: "bad magic", bytes: patch(good, [[0, 0x0001eb9e]]), reason: "Invalid magic" },
    { name: "version 2", bytes: patch(good, [[0, 0x0002eb9f]]), reason: "Unsupported version" },
    { name: "flags set", bytes: patch(good, [[0, 0x0101eb9f]]), reason: "Unsupported flags" },
    { name: "header only", bytes: patch(good.subarray(0, 24), [[12, 0], [16, 0], [20, 0]]), reason: "No data" },
    { name: "section past the data", bytes: patch(good, [[16, 1000]]), reason: "Invalid section offset" },
    { name: "gap before strings", bytes: patch(good, [[16, typeLen + 1]]), reason: "Unsupported section found" },
    { name: "overlapping sections", bytes: patch(good, [[16, typeLen - 4], [20, strLen + 4]]), reason: "Section overlap found" },
    { name: "section too long", bytes: patch(good, [[20, strLen + 1]]), reason: "Total section length too long" },
    { name: "strings before types", bytes: patch(swapped, [[8, strLen], [16, 0]]), reason: "String section is not at the end" },
    { name: "strings do not end in NUL", bytes: (() => { const b = good.slice(); b[b.length - 1] = 0x41; return b; })(), reason: "Invalid string section" },
    { name: "strings do not start with NUL", bytes: (() => { const b = good.slice(); b[24 + typeLen] = 0x41; return b; })(), reason: "Invalid string section" },
    {
      name: "unaligned empty type section",
      bytes: (() => { const b = new Uint8Array(26); b.set(good.subarray(0, 24)); return patch(b, [[8, 2], [12, 0], [16, 0], [20, 2]]); })(),
      reason: "Unaligned type_off",
    },
    { name: "no types", bytes: patch(good.subarray(0, 24 + 2), [[8, 0], [12, 0], [16, 0], [20, 2]]), reason: "Invalid string section" },
    {
      name: "no types, valid strings",
      bytes: (() => { const b = new Uint8Array(26); b.set(good.subarray(0, 24)); b[25] = 0; return patch(b, [[8, 0], [12, 0], [16, 0], [20, 2]]); })(),
      reason: "No type found",
    },
    { name: "record header cut short", bytes: cutRecord(good, 8), reason: "meta_left:8 meta_needed:12" },
    { name: "record data cut short", bytes: cutRecord(good, 4), reason: "meta_left:0 meta_needed:4" },
    { name: "big-endian blob", bytes: bigEndian(good), reason: "btf_header not found" },
    { name: "stray info bits", bytes: patch(blob((b) => b.ptr(0)), [[28, 0x02010000]]), reason: "Invalid btf_info:2010000" },
    { name: "name offset past the strings", bytes: patch(blob((b) => { b.int("int"); b.ptr(1); }), [[40, 1000]]), reason: "Invalid name_offset:1000" },
  ];
}

/** The same blob in big-endian byte order (header fields and type words swapped). */
function bigEndian(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  const src = new DataView(bytes.buffer, bytes.byteOffset);
  const dst = new DataView(out.buffer);
  dst.setUint16(0, 0xeb9f, false);
  const typeLen = src.getUint32(12, true);
  for (let off = 4; off < 24 + typeLen; off += 4) dst.setUint32(off, src.getUint32(off, true), false);
  return out;
}

/** Removes the last `n` bytes of the type section, keeping the header consistent. */
function cutRecord(bytes: Uint8Array, n: number): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  const typeLen = v.getUint32(12, true);
  const out = new Uint8Array(bytes.length - n);
  out.set(bytes.subarray(0, 24 + typeLen - n));
  out.set(bytes.subarray(24 + typeLen), 24 + typeLen - n);
  return patch(out, [[12, typeLen - n], [16, typeLen - n]]);
}

function typeCases(): RuleCase[] {
  const c = (name: string, build: (b: BlobBuilder) => void, reason?: string): RuleCase => ({ name, bytes: blob(build), reason });
  const long = (n: number) => "a".repeat(n);
  return [
    c("unknown kind", (b) => b.type(20, "", 0, false, 0), "Invalid kind:20"),
    c("INT of 129 bits", (b) => b.int("wide", 16, 129), "nr_bits exceeds 128"),
    c("INT bits past its size", (b) => b.int("int", 4, 33), "nr_bits exceeds type_size"),
    c("INT with two encodings", (b) => b.int("int", 4, 32, 3), "Unsupported encoding"),
    c("INT with a kind_flag", (b) => b.type(BtfKind.INT, "int", 0, true, 4, [32]), "Invalid btf_info kind_flag"),
    c("INT names are not checked", (b) => b.int("long long unsigned int")),
    c("identifier of 512 bytes", (b) => b.typedef(long(512), b.int("int"))),
    c("identifier of 513 bytes", (b) => b.typedef(long(513), b.int("int")), "Invalid name"),
    c("Latin-1 letters are letters to the kernel", (b) => b.typedef(new Uint8Array([0xe9, 0x74, 0xe9]), b.int("int"))),
    c("a dash is not", (b) => b.typedef("a-b", b.int("int")), "Invalid name"),
    c("identifier starting with a digit", (b) => b.struct("9lives", 0, []), "Invalid name"),
    c("DATASEC names may hold any printable byte", (b) => { const v = b.variable("x", b.int("int")); b.datasec(".data..percpu/x y", 4, [[v, 0, 4]]); }),
    c("DATASEC name with a control byte", (b) => { const v = b.variable("x", b.int("int")); b.datasec(new Uint8Array([0x2e, 0x01]), 4, [[v, 0, 4]]); }, "Invalid name"),
    c("PTR with a name", (b) => b.type(BtfKind.PTR, "p", 0, false, 0), "Invalid name"),
    c("CONST with a kind_flag", (b) => b.type(BtfKind.CONST, "", 0, true, 0), "Invalid btf_info kind_flag"),
    c("TYPE_TAG attribute (kind_flag)", (b) => b.typeTag("user", b.int("int"), true)),
    c("TYPE_TAG without a value", (b) => b.type(BtfKind.TYPE_TAG, "", 0, false, 0), "Invalid name"),
    c("type id beyond BTF_MAX_TYPE", (b) => b.ptr(0x100000), "Invalid type_id"),
    c("FWD with a type", (b) => b.type(BtfKind.FWD, "f", 0, false, 1), "type != 0"),
    c("ARRAY of void", (b) => b.array(0, b.int("int"), 1), "Invalid elem"),
    c("ARRAY with a size", (b) => { const i = b.int("int"); b.type(BtfKind.ARRAY, "", 0, false, 4, [i, i, 1]); }, "size != 0"),
    c("ARRAY indexed by a struct", (b) => { const i = b.int("int"); const s = b.struct("s", 4, [["a", i, 0]]); b.array(i, s, 2); }, "Invalid index"),
    c("ARRAY of bitfield ints", (b) => { const i = b.int("int"); const bf = b.int("bf", 4, 3); b.array(bf, i, 2); }, "Invalid array of int"),
    c("ARRAY larger than 4 GiB", (b) => { const i = b.int("int"); const a = b.array(i, i, 0x40000000); b.array(a, i, 8); }, "Array size overflows U32_MAX"),
    c("STRUCT members out of order", (b) => { const i = b.int("int"); b.struct("s", 8, [["a", i, 32], ["b", i, 0]]); }, "Invalid member bits_offset"),
    c("STRUCT flexible array at the end", (b) => { const i = b.int("int"); const a = b.array(i, i, 0); b.struct("s", 4, [["a", i, 0], ["f", a, 32]]); }),
    c("UNION member at an offset", (b) => { const i = b.int("int"); b.union("u", 8, [["a", i, 0], ["b", i, 32]]); }, "Invalid member bits_offset"),
    c("STRUCT member past its size", (b) => { const i = b.int("int"); b.struct("s", 4, [["a", i, 64]]); }, "Member bits_offset exceeds its struct size"),
    c("STRUCT member at bit offset 2^32-1", (b) => { const i = b.int("int"); b.struct("s", 4, [["a", i, 0xffffffff]]); }, "Member bits_offset exceeds its struct size"),
    c("STRUCT member overflowing", (b) => { const i = b.int("int"); b.struct("s", 6, [["a", i, 0], ["b", i, 32]]); }, "Member exceeds struct_size"),
    c("STRUCT member of void", (b) => b.struct("s", 4, [["a", 0, 0]]), "Invalid type_id"),
    c("STRUCT member of a FWD", (b) => { const f = b.fwd("f"); b.struct("s", 4, [["a", f, 0]]); }, "Invalid member"),
    c("STRUCT member not byte aligned", (b) => { const i = b.int("int"); const p = b.ptr(i); b.struct("s", 16, [["a", p, 4]]); }, "Member is not byte aligned"),
    c("STRUCT float member misaligned", (b) => { const d = b.float("double", 8); b.struct("s", 16, [["a", d, 32]]); }, "Member is not properly aligned"),
    c("bitfield wider than its int", (b) => { const i = b.int("int"); b.struct("s", 8, [["a", i, 0, 33]], true); }, "Invalid member bitfield_size"),
    c("bitfield of a pointer", (b) => { const i = b.int("int"); const p = b.ptr(i); b.struct("s", 8, [["a", p, 0, 3]], true); }, "Invalid member bitfield_size"),
    c("bitfield of a bitfield int", (b) => { const bf = b.int("bf", 4, 3); b.struct("s", 8, [["a", bf, 0, 2]], true); }, "Invalid member base type"),
    c("unaligned non-bitfield kflag member", (b) => { const i = b.int("int"); b.struct("s", 8, [["a", i, 3, 0]], true); }, "Invalid member offset"),
    c("enum bitfield counts as 32 bits", (b) => { const e = b.enum("e", 1, [["A", 0]]); b.struct("s", 2, [["a", e, 0, 0]], true); }, "Member exceeds struct_size"),
    c("old-style int bitfield crossing 128 bits", (b) => { const bf = b.int("bf", 16, 128, 0, 0); b.struct("s", 32, [["a", bf, 4]]); }, "nr_copy_bits exceeds 128"),
    c("ENUM of 3 bytes", (b) => b.enum("e", 3, [["A", 1]]), "Unexpected size"),
    c("ENUM64 signed", (b) => b.enum64("e", 8, [["A", -5n]], true)),
    c("ENUM value without a name", (b) => b.enum("e", 4, [["", 1]]), "Invalid name"),
    c("ENUM value name past the strings", (b) => b.type(BtfKind.ENUM, "", 1, false, 4, [1000, 1]), "Invalid name_offset:1000"),
    c("FLOAT of 6 bytes", (b) => b.float("f6", 6), "Invalid type_size"),
    c("FLOAT of 12 bytes", (b) => b.float("f12", 12)),
    c("FUNC_PROTO with a name", (b) => b.type(BtfKind.FUNC_PROTO, "p", 0, false, 0), "Invalid name"),
    c("FUNC extern", (b) => b.func("f", b.funcProto(0, []), 2), "Invalid func linkage"),
    c("FUNC of an INT", (b) => b.func("f", b.int("int")), "Invalid type_id"),
    c("FUNC with an unnamed argument", (b) => { const i = b.int("int"); b.func("f", b.funcProto(i, [["", i]])); }, "Invalid arg#1"),
    c("FUNC_PROTO vararg", (b) => { const i = b.int("int"); b.funcProto(i, [["a", i], ["", 0]]); }),
    c("FUNC_PROTO named vararg", (b) => { const i = b.int("int"); b.funcProto(i, [["a", i], ["rest", 0]]); }, "Invalid arg#2"),
    c("FUNC_PROTO void in the middle", (b) => { const i = b.int("int"); b.funcProto(i, [["a", 0], ["b", i]]); }, "Invalid arg#1"),
    c("FUNC_PROTO returning a FWD", (b) => b.funcProto(b.fwd("f"), []), "Invalid return type"),
    c("FUNC_PROTO returning a VAR", (b) => { const v = b.variable("v", b.int("int")); b.funcProto(v, []); }, "Invalid return type"),
    c("VAR extern", (b) => b.variable("v", b.int("int"), 2), "Linkage not supported"),
    c("VAR of void", (b) => b.variable("v", 0), "Invalid type_id"),
    c("VAR of a FWD", (b) => b.variable("v", b.fwd("f")), "Invalid type_id"),
    c("DATASEC of size 0", (b) => b.datasec(".bss", 0, []), "size == 0"),
    c("DATASEC entries overlapping", (b) => { const i = b.int("int"); const v = b.variable("a", i); const w = b.variable("b", i); b.datasec(".data", 8, [[v, 0, 4], [w, 2, 4]]); }, "Invalid offset"),
    c("DATASEC entries reordered", (b) => { const i = b.int("int"); const v = b.variable("a", i); const w = b.variable("b", i); b.datasec(".data", 8, [[w, 4, 4], [v, 0, 4]]); }, "Invalid offset"),
    c("DATASEC entry of size 0", (b) => { const v = b.variable("a", b.int("int")); b.datasec(".data", 8, [[v, 0, 0]]); }, "Invalid size"),
    c("DATASEC entry past its end", (b) => { const v = b.variable("a", b.int("int")); b.datasec(".data", 8, [[v, 6, 4]]); }, "Invalid offset+size"),
    c("DATASEC entry not a VAR", (b) => { const i = b.int("int"); b.datasec(".data", 8, [[i, 0, 4]]); }, "Not a VAR kind member"),
    c("DATASEC entry smaller than its VAR", (b) => { const l = b.int("long", 8); const v = b.variable("a", l); b.datasec(".data", 8, [[v, 0, 4]]); }, "Invalid size"),
    c("DATASEC entry smaller than a later VAR (kernel skips it)", (b) => { const l = b.int("long", 8); b.datasec(".data", 8, [[b.nextId + 1, 0, 4]]); b.variable("a", l); }),
    c("DECL_TAG without a value", (b) => b.declTag("", b.int("int")), "Invalid value"),
    c("DECL_TAG component below -1", (b) => b.declTag("t", b.struct("s", 0, []), -2), "Invalid component_idx"),
    c("DECL_TAG on an INT", (b) => b.declTag("t", b.int("int")), "Invalid type_id"),
    c("DECL_TAG member index out of range", (b) => { const i = b.int("int"); b.declTag("t", b.struct("s", 4, [["a", i, 0]]), 1); }, "Invalid component_idx"),
    c("DECL_TAG on a typedef member", (b) => b.declTag("t", b.typedef("t", b.int("int")), 0), "Invalid component_idx"),
    c("DECL_TAG on a function parameter", (b) => { const i = b.int("int"); b.declTag("t", b.func("f", b.funcProto(i, [["a", i]])), 0); }),
    c("DECL_TAG attribute (kind_flag)", (b) => b.declTag("t", b.struct("s", 0, []), -1, true)),
    c("PTR to a FUNC defined earlier", (b) => { const f = b.func("f", b.funcProto(0, [])); b.ptr(f); }),
    c("PTR to a FUNC defined later", (b) => { b.ptr(2); b.func("f", 3); b.funcProto(0, []); }, "Invalid type_id"),
    c("typedef of void", (b) => b.typedef("v", 0)),
    c("const of a VAR", (b) => b.modifier(BtfKind.CONST, b.variable("v", b.int("int"))), "Invalid type_id"),
    c("typedef loop", (b) => { b.typedef("a", 2); b.typedef("b", 1); }, "Loop detected"),
    c("const → volatile → const", (b) => { b.modifier(BtfKind.CONST, 2); b.modifier(BtfKind.VOLATILE, 1); }, "Loop detected"),
    c("pointer loop through a modifier", (b) => { b.modifier(BtfKind.CONST, 2); b.ptr(1); }, "Loop detected"),
    c("struct containing itself", (b) => b.struct("s", 4, [["s", 1, 0]]), "Loop detected"),
    c("structs containing each other", (b) => { b.struct("a", 4, [["b", 2, 0]]); b.struct("b", 4, [["a", 1, 0]]); }, "Loop detected"),
    c("struct pointing to itself", (b) => { b.struct("s", 8, [["next", 2, 0]]); b.ptr(1); }),
    c("modifier chain deeper than 32", (b) => { for (let i = 1; i <= 33; i++) b.typedef(`t${i}`, i + 1); b.int("int"); }, "Exceeded max resolving depth:32"),
    c("modifier chain of 31", (b) => { for (let i = 1; i <= 31; i++) b.typedef(`t${i}`, i + 1); b.int("int"); }),
    c("type tag after a modifier", (b) => { const i = b.int("int"); const t = b.typeTag("user", i); b.modifier(BtfKind.CONST, t); }, "Type tags don't precede modifiers"),
    c("type tag before a modifier", (b) => { const i = b.int("int"); const c2 = b.modifier(BtfKind.CONST, i); b.typeTag("user", c2); }),
  ];
}

export function ruleCases(): RuleCase[] {
  return [...headerCases(), ...typeCases()];
}
