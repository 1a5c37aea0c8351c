// Deterministic mutations of valid BTF blobs for the agreement test: blind ones (bit flips,
// truncations, word swaps) and aimed ones that know where records, members, DATASEC entries and
// strings lie (bad ids, bad name offsets, cycles, odd flags and vlens, reordered entries).

import { BtfKind } from "../src/constants.js";
import type { RecordInfo } from "./validate-blobs.js";

/** mulberry32: small, fast, and the same sequence on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Seed {
  name: string;
  bytes: Uint8Array;
  records: RecordInfo[];
}

export interface Mutant {
  cls: string;
  seed: string;
  bytes: Uint8Array;
}

type Rng = () => number;
const int = (rng: Rng, n: number) => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[int(rng, xs.length)]!;

interface Ctx {
  rng: Rng;
  seed: Seed;
  out: Uint8Array;
  view: DataView;
  typeLen: number;
  strOff: number;
  strLen: number;
}

const HDR = 24;

function interestingId(c: Ctx, self: number): number {
  const n = c.seed.records.length;
  return pick(c.rng, [0, 1, self, self - 1, self + 1, n, n + 1, n + 2, int(c.rng, n + 3), 0xfffff, 0x100000, 0xffffffff]) >>> 0;
}

function interestingNameOff(c: Ctx): number {
  return pick(c.rng, [0, 1, c.strLen - 1, c.strLen, c.strLen + 1, int(c.rng, c.strLen), 0xffffff, 0x1000000]) >>> 0;
}

function interestingValue(c: Ctx): number {
  return pick(c.rng, [0, 1, 2, 3, 4, 7, 8, 12, 16, 31, 32, 33, 64, 127, 128, 129, 0xff, 0x100, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, int(c.rng, 0x10000)]) >>> 0;
}

const rec = (c: Ctx) => pick(c.rng, c.seed.records);
const getWord = (c: Ctx, off: number) => c.view.getUint32(off, true);
const setWord = (c: Ctx, off: number, v: number) => c.view.setUint32(off, v >>> 0, true);
const flipBit = (c: Ctx, start: number, len: number) => {
  if (len <= 0) return;
  const bit = int(c.rng, len * 8);
  c.out[start + (bit >>> 3)]! ^= 1 << (bit & 7);
};

/** Removes bytes [from, to) of the type section and fixes the header's lengths. */
function cutTypes(bytes: Uint8Array, from: number, to: number, typeLen: number): Uint8Array {
  const out = new Uint8Array(bytes.length - (to - from));
  out.set(bytes.subarray(0, from));
  out.set(bytes.subarray(to), from);
  const v = new DataView(out.buffer);
  v.setUint32(12, typeLen - (to - from), true);
  v.setUint32(16, typeLen - (to - from), true);
  return out;
}

/** Inserts `insert` at `at` (inside the type section) and fixes the header's lengths. */
function insertTypes(bytes: Uint8Array, at: number, insert: Uint8Array, typeLen: number): Uint8Array {
  const out = new Uint8Array(bytes.length + insert.length);
  out.set(bytes.subarray(0, at));
  out.set(insert, at);
  out.set(bytes.subarray(at), at + insert.length);
  const v = new DataView(out.buffer);
  v.setUint32(12, typeLen + insert.length, true);
  v.setUint32(16, typeLen + insert.length, true);
  return out;
}

/** Records with a type id in their size/type word. */
const REF_KINDS = new Set<number>([BtfKind.PTR, BtfKind.TYPEDEF, BtfKind.VOLATILE, BtfKind.CONST, BtfKind.RESTRICT, BtfKind.TYPE_TAG, BtfKind.FUNC, BtfKind.VAR, BtfKind.DECL_TAG, BtfKind.FUNC_PROTO]);

/** Each mutation edits `c.out` in place, or returns a new blob. */
const MUTATIONS: Record<string, (c: Ctx) => Uint8Array | void> = {
  "header-bitflip": (c) => flipBit(c, 0, HDR),
  "type-bitflip": (c) => flipBit(c, HDR, c.typeLen),
  "string-bitflip": (c) => flipBit(c, c.strOff, c.strLen),
  "multi-bitflip": (c) => {
    for (let i = 1 + int(c.rng, 4); i > 0; i--) flipBit(c, HDR, c.typeLen);
  },
  truncate: (c) => c.out.slice(0, int(c.rng, c.out.length)),
  "truncate-types": (c) => {
    const from = HDR + int(c.rng, c.typeLen);
    return cutTypes(c.out, from, HDR + c.typeLen, c.typeLen);
  },
  "header-field": (c) => {
    const off = pick(c.rng, [4, 8, 12, 16, 20]);
    const old = getWord(c, off);
    setWord(c, off, pick(c.rng, [old + 1, old - 1, old + 4, old - 4, 0, c.out.length, old * 2, interestingValue(c)]));
  },
  "record-field": (c) => {
    const r = rec(c);
    setWord(c, r.offset + 4 * int(c.rng, r.words), interestingValue(c));
  },
  "bad-type-id": (c) => {
    const r = rec(c);
    const slots = typeSlots(r);
    if (slots.length) setWord(c, pick(c.rng, slots), interestingId(c, r.id));
  },
  "bad-name-offset": (c) => {
    const r = rec(c);
    const slots = [r.offset, ...nameSlots(r)];
    setWord(c, pick(c.rng, slots), interestingNameOff(c));
  },
  "bad-vlen": (c) => {
    const r = rec(c);
    const info = getWord(c, r.offset + 4);
    const vlen = info & 0xffff;
    const nv = pick(c.rng, [0, 1, 2, vlen + 1, vlen - 1, 0xffff, int(c.rng, 8)]) & 0xffff;
    setWord(c, r.offset + 4, (info & ~0xffff) | nv);
  },
  "bad-kind-flag": (c) => {
    const r = rec(c);
    setWord(c, r.offset + 4, getWord(c, r.offset + 4) ^ 0x80000000);
  },
  "bad-kind": (c) => {
    const r = rec(c);
    const info = getWord(c, r.offset + 4);
    setWord(c, r.offset + 4, (info & ~(0x1f << 24)) | (int(c.rng, 32) << 24));
  },
  "bad-info-bits": (c) => {
    const r = rec(c);
    setWord(c, r.offset + 4, getWord(c, r.offset + 4) | (1 << pick(c.rng, [16, 20, 23, 29, 30])));
  },
  "string-char": (c) => {
    if (c.strLen < 2) return;
    const at = c.strOff + 1 + int(c.rng, c.strLen - 2);
    c.out[at] = pick(c.rng, [0, 0x20, 0x2d, 0x2e, 0x5f, 0x30, 0x39, 0x24, 0x7f, 0x80, 0x9f, 0xa0, 0xc0, 0xd7, 0xdf, 0xe9, 0xf7, 0xff, 1 + int(c.rng, 255)]);
  },
  "string-terminator": (c) => {
    if (c.rng() < 0.5) c.out[c.strOff + c.strLen - 1] = 0x78;
    else c.out[c.strOff] = 0x78;
  },
  "datasec-entries": (c) => {
    const secs = c.seed.records.filter((r) => r.kind === BtfKind.DATASEC && r.words > 3);
    if (!secs.length) return;
    const r = pick(c.rng, secs);
    const n = (r.words - 3) / 3;
    const entry = (i: number) => r.offset + 12 + i * 12;
    const i = int(c.rng, n);
    const j = int(c.rng, n);
    const op = int(c.rng, 4);
    if (op === 0 && n > 1) {
      for (let w = 0; w < 12; w += 4) {
        const a = getWord(c, entry(i) + w);
        setWord(c, entry(i) + w, getWord(c, entry(j) + w));
        setWord(c, entry(j) + w, a);
      }
    } else if (op === 1 && i > 0) {
      setWord(c, entry(i) + 4, getWord(c, entry(i - 1) + 4) + int(c.rng, 8));
    } else if (op === 2) {
      setWord(c, entry(i) + 8, getWord(c, entry(i) + 8) + pick(c.rng, [1, 8, 64, -1]));
    } else {
      setWord(c, entry(i) + 4, interestingValue(c));
    }
  },
  cycle: (c) => {
    const refs = c.seed.records.filter((r) => REF_KINDS.has(r.kind) && r.kind !== BtfKind.FUNC_PROTO);
    if (refs.length < 2) return;
    const a = pick(c.rng, refs);
    const b = pick(c.rng, refs);
    setWord(c, a.offset + 8, b.id);
    if (a !== b && c.rng() < 0.7) setWord(c, b.offset + 8, a.id);
  },
  "self-containing": (c) => {
    const aggs = c.seed.records.filter((r) => (r.kind === BtfKind.STRUCT || r.kind === BtfKind.UNION) && r.words > 3);
    if (!aggs.length) return;
    const r = pick(c.rng, aggs);
    const m = int(c.rng, (r.words - 3) / 3);
    const others = c.seed.records.filter((o) => o.kind === BtfKind.ARRAY || o.kind === BtfKind.TYPEDEF || o.kind === BtfKind.CONST);
    const target = c.rng() < 0.6 || !others.length ? r.id : pick(c.rng, others).id;
    setWord(c, r.offset + 12 + m * 12 + 4, target);
    if (target !== r.id) {
      const o = c.seed.records[target - 1]!;
      setWord(c, o.kind === BtfKind.ARRAY ? o.offset + 12 : o.offset + 8, r.id);
    }
  },
  "bitfield": (c) => {
    const aggs = c.seed.records.filter((r) => (r.kind === BtfKind.STRUCT || r.kind === BtfKind.UNION) && r.words > 3);
    if (!aggs.length) return;
    const r = pick(c.rng, aggs);
    const m = int(c.rng, (r.words - 3) / 3);
    const at = r.offset + 12 + m * 12 + 8;
    const off = getWord(c, at) & 0xffffff;
    const bits = pick(c.rng, [0, 1, 3, 7, 8, 9, 31, 32, 33, 63, 64, 65, 128, 255]);
    const newOff = pick(c.rng, [off, off + 1, off + 7, off + 8, off + 60, (getWord(c, r.offset + 8) * 8) - 1, int(c.rng, 1024)]);
    if (c.rng() < 0.5) setWord(c, r.offset + 4, getWord(c, r.offset + 4) | 0x80000000);
    setWord(c, at, (bits << 24) | (newOff & 0xffffff));
  },
  "struct-size": (c) => {
    const sized = c.seed.records.filter((r) => [BtfKind.STRUCT, BtfKind.UNION, BtfKind.INT, BtfKind.ENUM, BtfKind.ENUM64, BtfKind.FLOAT, BtfKind.DATASEC].includes(r.kind as never));
    const r = pick(c.rng, sized);
    const old = getWord(c, r.offset + 8);
    setWord(c, r.offset + 8, pick(c.rng, [0, 1, 2, 3, 6, 12, old - 1, old + 1, old >>> 1, old * 2, 0xffffffff]));
  },
  "func-proto-link": (c) => {
    const funcs = c.seed.records.filter((r) => r.kind === BtfKind.FUNC || r.kind === BtfKind.DECL_TAG);
    if (!funcs.length) return;
    const r = pick(c.rng, funcs);
    setWord(c, r.offset + 8, interestingId(c, r.id));
  },
  "word-swap": (c) => {
    const n = c.typeLen / 4;
    const i = HDR + 4 * int(c.rng, n);
    const j = HDR + 4 * int(c.rng, n);
    const a = getWord(c, i);
    setWord(c, i, getWord(c, j));
    setWord(c, j, a);
  },
  "record-duplicate": (c) => {
    const r = rec(c);
    const copy = c.out.slice(r.offset, r.offset + r.words * 4);
    const at = pick(c.rng, c.seed.records).offset;
    return insertTypes(c.out, at, copy, c.typeLen);
  },
  "record-delete": (c) => {
    const r = rec(c);
    return cutTypes(c.out, r.offset, r.offset + r.words * 4, c.typeLen);
  },
  "record-reorder": (c) => {
    const a = rec(c);
    const len = a.words * 4;
    const copy = c.out.slice(a.offset, a.offset + len);
    const without = cutTypes(c.out, a.offset, a.offset + len, c.typeLen);
    const others = c.seed.records.filter((r) => r.id !== a.id);
    const b = c.rng() < 0.2 || !others.length ? undefined : pick(c.rng, others);
    const at = b ? (b.offset > a.offset ? b.offset - len : b.offset) : HDR + c.typeLen - len;
    return insertTypes(without, at, copy, c.typeLen - len);
  },
};

/** Word offsets (bytes into the blob) of the type-id slots of a record. */
function typeSlots(r: RecordInfo): number[] {
  const slots: number[] = [];
  const n = r.words - 3;
  switch (r.kind) {
    case BtfKind.ARRAY:
      slots.push(r.offset + 12, r.offset + 16);
      break;
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      for (let i = 0; i < n / 3; i++) slots.push(r.offset + 12 + i * 12 + 4);
      break;
    case BtfKind.FUNC_PROTO:
      slots.push(r.offset + 8);
      for (let i = 0; i < n / 2; i++) slots.push(r.offset + 12 + i * 8 + 4);
      break;
    case BtfKind.DATASEC:
      for (let i = 0; i < n / 3; i++) slots.push(r.offset + 12 + i * 12);
      break;
    default:
      if (REF_KINDS.has(r.kind)) slots.push(r.offset + 8);
  }
  return slots;
}

/** Word offsets of the name slots inside a record's trailing data (members, enumerators, params). */
function nameSlots(r: RecordInfo): number[] {
  const n = r.words - 3;
  const stride = r.kind === BtfKind.STRUCT || r.kind === BtfKind.UNION || r.kind === BtfKind.ENUM64 ? 3 : r.kind === BtfKind.ENUM || r.kind === BtfKind.FUNC_PROTO ? 2 : 0;
  const slots: number[] = [];
  if (stride) for (let i = 0; i < n / stride; i++) slots.push(r.offset + 12 + i * stride * 4);
  return slots;
}

export const MUTATION_CLASSES = Object.keys(MUTATIONS);

/** `count` mutants, cycling through the classes and seeds, all derived from `seedValue`. */
export function mutate(seeds: readonly Seed[], count: number, seedValue: number, classes: readonly string[] = MUTATION_CLASSES): Mutant[] {
  const rng = prng(seedValue);
  const mutants: Mutant[] = [];
  for (let i = 0; i < count; i++) {
    const cls = classes[i % classes.length]!;
    const seed = seeds[Math.floor(i / classes.length) % seeds.length]!;
    const out = seed.bytes.slice();
    const view = new DataView(out.buffer);
    const typeLen = view.getUint32(12, true);
    const c: Ctx = { rng, seed, out, view, typeLen, strOff: HDR + view.getUint32(16, true), strLen: view.getUint32(20, true) };
    const result = MUTATIONS[cls]!(c) ?? out;
    mutants.push({ cls, seed: seed.name, bytes: result });
  }
  return mutants;
}
