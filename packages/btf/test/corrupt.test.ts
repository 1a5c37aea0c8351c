// Corrupt and truncated blobs: one BtfError naming the offset and type id, never a hang.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { BtfError, BtfKind, BtfTable, dumpRaw, parseBtf, writeBtf } from "@btforge/btf";
import { VMLINUX_BTF, hasVmlinuxBtf, skipNote } from "./helpers.js";
import { everyKindTable } from "./fixtures.js";

function parseError(bytes: Uint8Array, name = "blob.btf"): BtfError {
  try {
    parseBtf(bytes, { name });
  } catch (e) {
    if (e instanceof BtfError) return e;
    throw e;
  }
  throw new Error("expected a BtfError");
}

const setU32 = (b: Uint8Array, at: number, v: number) => new DataView(b.buffer, b.byteOffset).setUint32(at, v, true);

describe("bad headers and sections", () => {
  const good = writeBtf(everyKindTable());

  test("bad magic, version, hdr_len, extended header", () => {
    expect(parseError(new Uint8Array([1, 2])).code).toBe("BTF_TRUNCATED");
    const magic = good.slice();
    magic[0] = 0;
    expect(parseError(magic)).toMatchObject({ code: "BTF_BAD_MAGIC", location: { file: "blob.btf", offset: 0 } });
    const version = good.slice();
    version[2] = 2;
    expect(parseError(version).code).toBe("BTF_BAD_VERSION");
    const short = good.slice();
    setU32(short, 4, 16);
    expect(parseError(short).message).toMatch(/hdr_len 16 is smaller/);
    /** `good` with a header of hdrLen bytes, zero past the 24 known ones but for a 1 at `setByte`. */
    const extended = (hdrLen: number, setByte: number) => {
      const out = new Uint8Array(good.length + hdrLen - 24);
      out.set(good.subarray(0, 24));
      out.set(good.subarray(24), hdrLen);
      setU32(out, 4, hdrLen);
      out[setByte] = 1;
      return out;
    };
    // Past the 32 bytes of the layout-era header, an unknown field must be zero.
    expect(parseError(extended(40, 36))).toMatchObject({ code: "BTF_BAD_HEADER", location: { offset: 36 } });
    // A partial layout field (hdr_len 28) means nothing: it must be zero too.
    expect(parseError(extended(28, 25))).toMatchObject({ code: "BTF_BAD_HEADER", location: { offset: 25 } });
  });

  test("sections out of bounds or overlapping", () => {
    const types = good.slice();
    setU32(types, 12, 0x7fffffff);
    expect(parseError(types).message).toMatch(/type section .* runs past/);
    const strs = good.slice();
    setU32(strs, 20, good.length);
    expect(parseError(strs).message).toMatch(/string section .* runs past/);
    const overlap = good.slice();
    setU32(overlap, 16, 8);
    expect(parseError(overlap).message).toMatch(/overlap/);
  });

  test("string section must start and end with NUL", () => {
    const t = everyKindTable();
    const bytes = writeBtf(t);
    const last = bytes.slice();
    last[last.length - 1] = 0x41;
    expect(parseError(last)).toMatchObject({ code: "BTF_BAD_STRINGS", location: { offset: last.length - 1 } });
    const first = bytes.slice();
    first[24 + t.typeSectionSize] = 0x41;
    expect(parseError(first).message).toMatch(/does not start with a NUL/);
  });

  test("a vlen that runs past the type section names the type and its offset", () => {
    const t = new BtfTable();
    t.addInt("int", 4, 1, 0, 32);
    t.addStruct("s", 4, [{ name: "a", type: 1, bitOffset: 0 }]);
    const bytes = writeBtf(t);
    const structAt = 24 + 16; // header + INT (12 + 4)
    setU32(bytes, structAt + 4, (BtfKind.STRUCT << 24) | 70000 % 0x10000);
    const e = parseError(bytes);
    expect(e.code).toBe("BTF_TYPE_TRUNCATED");
    expect(e.location).toEqual({ file: "blob.btf", offset: structAt, typeId: 2 });
    expect(e.message).toMatch(/^blob\.btf: type 2 at offset 0x28: STRUCT with vlen 4464 needs 53580 bytes and runs past the type section/);
  });

  test("unknown kinds and ragged type sections", () => {
    const t = new BtfTable();
    t.addInt("int", 4, 1, 0, 32);
    t.addPtr(1);
    const bytes = writeBtf(t);
    const unknown = bytes.slice();
    setU32(unknown, 24 + 16 + 4, 29 << 24);
    expect(parseError(unknown)).toMatchObject({ code: "BTF_UNKNOWN_KIND", location: { offset: 40, typeId: 2 } });
    const ragged = bytes.slice();
    setU32(ragged, 12, t.typeSectionSize - 2); // type_len ends inside the PTR record
    expect(parseError(ragged)).toMatchObject({ code: "BTF_TYPE_TRUNCATED", location: { offset: 40, typeId: 2 } });
  });
});

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A truncation, or 1-4 bit flips, most of them in the first `hot` bytes (header and types). */
function mutate(src: Uint8Array, rand: () => number, hot = src.length): Uint8Array {
  const r = rand();
  if (r < 0.3) return src.subarray(0, Math.floor(rand() * src.length));
  const b = src.slice();
  const flips = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < flips; i++) {
    const span = r < 0.45 ? Math.min(b.length, 24) : r < 0.9 ? Math.min(b.length, hot) : b.length;
    b[Math.floor(rand() * span)]! ^= 1 << Math.floor(rand() * 8);
  }
  return b;
}

/** The first `n` types of vmlinux with its whole string section: a real blob that parses fast. */
function vmlinuxSample(n: number): { bytes: Uint8Array; typesEnd: number } {
  const full = parseBtf(new Uint8Array(readFileSync(VMLINUX_BTF)));
  const bytes = writeBtf(full);
  let typeLen = 0;
  for (let id = 1; id <= n; id++) typeLen += 12 + 4 * full.wordCount(id);
  const strs = full.strings.bytes();
  const out = new Uint8Array(24 + typeLen + strs.length);
  out.set(bytes.subarray(0, 24 + typeLen));
  out.set(strs, 24 + typeLen);
  const v = new DataView(out.buffer);
  v.setUint32(12, typeLen, true);
  v.setUint32(16, typeLen, true);
  return { bytes: out, typesEnd: 24 + typeLen };
}

/** Parse (and dump, which reads every field) or fail with a BtfError; anything else fails the test. */
function survive(bytes: Uint8Array): "table" | "error" {
  try {
    dumpRaw(parseBtf(bytes));
    return "table";
  } catch (e) {
    if (e instanceof BtfError) return "error";
    throw e;
  }
}

describe("fuzz", () => {
  test("500 truncations and bit flips of a built blob give a table or a BtfError", () => {
    const src = writeBtf(everyKindTable());
    const rand = rng(1234);
    const seen = { table: 0, error: 0 };
    for (let i = 0; i < 500; i++) seen[survive(mutate(src, rand))]++;
    expect(seen.table).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });

  test.skipIf(skipNote(!hasVmlinuxBtf, `${VMLINUX_BTF} is absent`))("400 truncations and bit flips of a real (vmlinux) blob: a table or an error, never a crash", () => {
    const { bytes, typesEnd } = vmlinuxSample(3000);
    expect(survive(bytes)).toBe("table");
    const rand = rng(99);
    const seen = { table: 0, error: 0 };
    for (let i = 0; i < 400; i++) seen[survive(mutate(bytes, rand, typesEnd))]++;
    expect(seen.table).toBeGreaterThan(0);
    expect(seen.error).toBeGreaterThan(0);
  });
});
