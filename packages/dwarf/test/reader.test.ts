import { describe, expect, test } from "vitest";
import { DwarfError } from "../src/index.js";
import { ByteReader } from "../src/reader.js";
import { Bytes } from "./builder.js";

const reader = (bytes: number[] | Uint8Array, le = true) => new ByteReader(Uint8Array.from(bytes), "debug_info", le, "t.o");

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DwarfError) return e.code;
    throw e;
  }
  return undefined;
}

describe("LEB128", () => {
  const cases: Array<[number[], number, number]> = [
    // [bytes, unsigned, signed] — examples from the DWARF 5 standard, figures 7.7 and 7.8
    [[2], 2, 2],
    [[127], 127, -1],
    [[0x80, 1], 128, 128],
    [[0x81, 1], 129, 129],
    [[0x82, 1], 130, 130],
    [[0xb9, 0x64], 12857, -3527],
    [[0x80, 0x7f], 16256, -128],
    [[0xff, 0xff, 0x03], 65535, 65535],
  ];
  test.each(cases)("%j decodes to %d / %d", (bytes, u, s) => {
    const r = reader(bytes);
    expect(r.uleb(0, bytes.length)).toBe(u);
    expect(r.after).toBe(bytes.length);
    expect(r.sleb(0, bytes.length)).toBe(s);
    expect(r.ulebBig(0, bytes.length)).toBe(BigInt(u));
    expect(r.slebBig(0, bytes.length)).toBe(BigInt(s));
    expect(r.skipLeb(0, bytes.length)).toBe(bytes.length);
  });

  test("padded encodings decode to the same value", () => {
    const r = reader([0x85, 0x80, 0x80, 0x00, 0x42]);
    expect(r.uleb(0, 5)).toBe(5);
    expect(r.after).toBe(4);
  });

  test("64-bit values round-trip through the bigint readers", () => {
    for (const v of [0n, 1n, 0xffffffffffffffffn, 1n << 63n, 0x123456789abcdefn]) {
      const b = new Bytes().uleb(v).bytes();
      expect(reader(b).ulebBig(0, b.length)).toBe(v);
    }
    for (const v of [-1n, -(1n << 63n), (1n << 63n) - 1n, -12345678901234n]) {
      const b = new Bytes().sleb(v).bytes();
      expect(reader(b).slebBig(0, b.length)).toBe(v);
    }
  });

  test("numbers above 2^53 are refused rather than rounded", () => {
    const b = new Bytes().uleb(1n << 60n).bytes();
    expect(codeOf(() => reader(b).uleb(0, b.length))).toBe("DWARF_VALUE_TOO_LARGE");
    const s = new Bytes().sleb(-(1n << 60n)).bytes();
    expect(codeOf(() => reader(s).sleb(0, s.length))).toBe("DWARF_VALUE_TOO_LARGE");
    expect(reader(new Bytes().uleb(Number.MAX_SAFE_INTEGER).bytes()).uleb(0, 100)).toBe(Number.MAX_SAFE_INTEGER);
  });

  test("a LEB128 longer than 10 bytes is corrupt", () => {
    const b = [...Array(11).fill(0x80), 0];
    expect(codeOf(() => reader(b).uleb(0, b.length))).toBe("DWARF_BAD_LEB128");
    expect(codeOf(() => reader(b).sleb(0, b.length))).toBe("DWARF_BAD_LEB128");
    expect(codeOf(() => reader(b).ulebBig(0, b.length))).toBe("DWARF_BAD_LEB128");
    expect(codeOf(() => reader(b).skipLeb(0, b.length))).toBe("DWARF_BAD_LEB128");
  });

  test("a LEB128 cut by the limit is an unexpected end, at the LEB's offset", () => {
    const r = reader([0, 0x80, 0x80, 0x01]);
    expect(codeOf(() => r.uleb(1, 3))).toBe("DWARF_UNEXPECTED_END");
    expect(codeOf(() => r.skipLeb(1, 3))).toBe("DWARF_UNEXPECTED_END");
    expect(codeOf(() => r.uleb(4, 4))).toBe("DWARF_UNEXPECTED_END");
    try {
      r.sleb(1, 3);
    } catch (e) {
      expect((e as DwarfError).location).toMatchObject({ file: "t.o", section: "debug_info", offset: 1 });
      expect((e as DwarfError).message).toBe("t.o: .debug_info+0x1: LEB128 runs past the end");
    }
  });
});

describe("fixed-size reads", () => {
  test("byte order follows the file", () => {
    const bytes = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(reader(bytes, true).u16(0)).toBe(0x0201);
    expect(reader(bytes, false).u16(0)).toBe(0x0102);
    expect(reader(bytes, true).u24(0)).toBe(0x030201);
    expect(reader(bytes, false).u24(0)).toBe(0x010203);
    expect(reader(bytes, true).u32(0)).toBe(0x04030201);
    expect(reader([0, 0x1f, 3, 4, 5, 6, 7, 8], false).u64(0)).toBe(0x1f030405060708);
    expect(reader(bytes, true).u64big(0)).toBe(0x0807060504030201n);
  });

  test("u64 throws above 2^53, u64big does not", () => {
    const r = reader([0, 0, 0, 0, 0, 0, 0x20, 0]);
    expect(codeOf(() => r.u64(0))).toBe("DWARF_VALUE_TOO_LARGE");
    expect(r.u64big(0)).toBe(1n << 53n);
    expect(reader([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f, 0]).u64(0)).toBe(Number.MAX_SAFE_INTEGER);
  });

  test("sint sign-extends", () => {
    const r = reader([0xff, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    expect(r.sint(0, 1)).toBe(-1);
    expect(r.sint(0, 2)).toBe(-257);
    expect(r.sint(1, 4)).toBe(-2);
    expect(reader([0xfe, ...Array(7).fill(0xff)]).sint(0, 8)).toBe(-2);
  });

  test("strings end at their NUL, within the limit", () => {
    const r = reader([0x61, 0x62, 0, 0x63]);
    expect(r.stringEnd(0, 4)).toBe(2);
    expect(codeOf(() => r.stringEnd(3, 4))).toBe("DWARF_UNEXPECTED_END");
    expect(codeOf(() => r.stringEnd(0, 2))).toBe("DWARF_UNEXPECTED_END");
  });

  test("need() checks a range against a limit", () => {
    const r = reader([0, 0, 0, 0]);
    expect(() => r.need(0, 4, 4, "x")).not.toThrow();
    expect(codeOf(() => r.need(1, 4, 4, "x"))).toBe("DWARF_UNEXPECTED_END");
  });
});
