// Built blobs: write → parse → write, both byte orders, split on a base, and the raw dump
// compared with bpftool for every kind.

import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BtfTable, HOST_ORDER, dumpRaw, parseBtf, readHeader, writeBtf } from "@btforge/btf";
import { VMLINUX_BTF, bpftool, bpftoolDump, firstDifference, hasVmlinuxBtf, skipNote, tempDir } from "./helpers.js";
import { everyKindTable, splitTable } from "./fixtures.js";

const noBpftool = skipNote(!bpftool, "bpftool is not installed");
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe("write and parse", () => {
  test("a built table round trips and keeps every field", () => {
    const t = everyKindTable();
    const bytes = writeBtf(t);
    const layout = readHeader(bytes);
    expect(layout).toMatchObject({ byteOrder: HOST_ORDER, hdrLen: 24, typeOff: 0, typeLen: t.typeSectionSize, strOff: t.typeSectionSize });
    const back = parseBtf(bytes);
    expect(back.lastId).toBe(t.lastId);
    for (let id = 1; id <= t.lastId; id++) expect(back.typeView(id)).toEqual(t.typeView(id));
    expect(same(writeBtf(back), bytes)).toBe(true);
  });

  test("big-endian: write BE, parse, write LE gives the original", () => {
    const le = writeBtf(everyKindTable(), { endianness: "little" });
    const be = writeBtf(parseBtf(le), { endianness: "big" });
    expect(be[0]).toBe(0xeb);
    expect(be[1]).toBe(0x9f);
    expect(same(be, le)).toBe(false);
    const parsed = parseBtf(be);
    expect(parsed.header?.byteOrder).toBe("big");
    expect(same(writeBtf(parsed), be)).toBe(true); // keeps its own byte order by default
    expect(same(writeBtf(parsed, { endianness: "little" }), le)).toBe(true);
  });

  test.skipIf(skipNote(!hasVmlinuxBtf, `${VMLINUX_BTF} is absent`))("big-endian round trip of vmlinux", () => {
    const le = new Uint8Array(readFileSync(VMLINUX_BTF));
    const be = writeBtf(parseBtf(le), { endianness: "big" });
    expect(same(writeBtf(parseBtf(be), { endianness: "little" }), le)).toBe(true);
  });

  test("a non-standard layout (longer header, strings first, gap) is kept", () => {
    const t = everyKindTable();
    const plain = writeBtf(t);
    const types = plain.subarray(24, 24 + t.typeSectionSize);
    const strs = t.strings.bytes();
    const hdrLen = 32;
    const strOff = 0;
    const typeOff = (strs.length + 3 + 8) & ~3; // strings, a zero gap, then types
    const blob = new Uint8Array(hdrLen + typeOff + types.length);
    blob.set(plain.subarray(0, 24));
    const v = new DataView(blob.buffer);
    v.setUint32(4, hdrLen, true);
    v.setUint32(8, typeOff, true);
    v.setUint32(16, strOff, true);
    blob.set(strs, hdrLen + strOff);
    blob.set(types, hdrLen + typeOff);
    const parsed = parseBtf(blob);
    expect(same(writeBtf(parsed), blob)).toBe(true);
    // Adding a type lays the sections out again, keeping strings first and hdr_len.
    parsed.addPtr(1);
    const grown = readHeader(writeBtf(parsed));
    expect(grown).toMatchObject({ hdrLen, strOff: 0, typeOff: parsed.strings.size, typeLen: parsed.typeSectionSize });
  });

  test("split: only the split part is written, and it parses back on the base", () => {
    const base = everyKindTable();
    const split = splitTable(base);
    const bytes = writeBtf(split);
    const h = readHeader(bytes);
    expect(h.typeLen).toBe(split.typeSectionSize);
    expect(h.strLen).toBe(split.strings.size);
    const back = parseBtf(bytes, { base: parseBtf(writeBtf(base)) });
    expect(back.firstId).toBe(base.lastId + 1);
    for (let id = back.firstId; id <= back.lastId; id++) expect(back.typeView(id)).toEqual(split.typeView(id));
    expect(same(writeBtf(back), bytes)).toBe(true);
  });
});

describe.skipIf(noBpftool)("dumpRaw equals bpftool on built blobs", () => {
  test("every kind", () => {
    const t = everyKindTable();
    const file = join(dir, "every.btf");
    writeFileSync(file, writeBtf(t));
    const theirs = bpftoolDump(file);
    expect(firstDifference(dumpRaw(t), theirs)).toBeUndefined();
    expect(theirs.split("\n").filter((l) => l.startsWith("[")).length).toBe(t.lastId);
  });

  test("every kind, big-endian file", () => {
    const t = everyKindTable();
    const file = join(dir, "every-be.btf");
    writeFileSync(file, writeBtf(t, { endianness: "big" }));
    expect(firstDifference(dumpRaw(parseBtf(new Uint8Array(readFileSync(file)))), bpftoolDump(file))).toBeUndefined();
  });

  test("split BTF on a base (-B)", () => {
    const base = everyKindTable();
    const split = splitTable(base);
    const baseFile = join(dir, "base.btf");
    const splitFile = join(dir, "split.btf");
    writeFileSync(baseFile, writeBtf(base));
    writeFileSync(splitFile, writeBtf(split));
    const theirs = bpftoolDump(splitFile, baseFile);
    expect(theirs.startsWith(`[${base.lastId + 1}] STRUCT 'module_state'`)).toBe(true);
    expect(firstDifference(dumpRaw(split), theirs)).toBeUndefined();
  });

  test("invalid name offsets and dangling DATASEC entries print as bpftool prints them", () => {
    const t = new BtfTable();
    const int = t.addInt("int", 4, 1, 0, 32);
    t.add(8, 0xfff0, 0, false, int); // TYPEDEF whose name is outside the strings
    t.addDatasec(".bss", 8, [
      { type: 0, offset: 0, size: 4 },
      { type: 999, offset: 4, size: 4 },
    ]);
    const file = join(dir, "odd.btf");
    writeFileSync(file, writeBtf(t));
    expect(firstDifference(dumpRaw(t), bpftoolDump(file))).toBeUndefined();
  });
});
