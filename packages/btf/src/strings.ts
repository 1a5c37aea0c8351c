// The BTF string table: NUL-terminated strings addressed by byte offset, interned so each
// distinct string is stored once.
//
// A parsed table keeps the original bytes untouched (so writing it back is byte-identical)
// and builds its string → offset index only when the first string is added. For split BTF the
// offsets continue after the base's string section, and a string the base already holds is
// answered with the base's offset (what libbpf does), so the split part never duplicates it.

import { BtfError } from "./errors.js";
import { GrowableBytes } from "./growable.js";

const utf8 = new TextDecoder("utf-8");
const encoder = new TextEncoder();

/** Decode bytes [start, end) as UTF-8, with a fast path for the ASCII names BTF is made of. */
function decode(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= 64) {
    let s = "";
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      if (c >= 0x80) return utf8.decode(bytes.subarray(start, end));
      s += String.fromCharCode(c);
    }
    return s;
  }
  return utf8.decode(bytes.subarray(start, end));
}

export class BtfStrings {
  /** Offset of this table's first byte: 0, or the base's end offset for split BTF. */
  readonly startOffset: number;
  private readonly buf: GrowableBytes;
  private index: Map<string, number> | undefined;

  /**
   * An empty table: a base table starts with "" at offset 0; a split table starts empty and
   * resolves offset 0 (and every offset below `startOffset`) through its base.
   */
  constructor(readonly base?: BtfStrings) {
    this.startOffset = base ? base.endOffset : 0;
    this.buf = new GrowableBytes(base ? 256 : 4096);
    if (!base) this.buf.pushByte(0);
  }

  /** A table over existing string-section bytes (copied), as found in a BTF blob. */
  static fromBytes(bytes: Uint8Array, base?: BtfStrings): BtfStrings {
    const t = new BtfStrings(base);
    t.buf.length = 0;
    t.buf.pushBytes(bytes);
    return t;
  }

  /** Byte length of this table's own section. */
  get size(): number {
    return this.buf.length;
  }

  /** One past the highest offset this table (with its base) can address. */
  get endOffset(): number {
    return this.startOffset + this.buf.length;
  }

  /** This table's own section bytes (a view; valid until the next add). */
  bytes(): Uint8Array {
    return this.buf.view();
  }

  /** Whether `off` addresses a byte of this table or its base. */
  has(off: number): boolean {
    return off >= 0 && off < this.endOffset && (off >= this.startOffset || this.base!.has(off));
  }

  /** The string at `off`, or undefined when `off` is outside the table. */
  tryGet(off: number): string | undefined {
    if (off < this.startOffset) return this.base ? this.base.tryGet(off) : undefined;
    const local = off - this.startOffset;
    const bytes = this.buf.data;
    const len = this.buf.length;
    if (local >= len) return undefined;
    let end = local;
    while (end < len && bytes[end] !== 0) end++;
    return decode(bytes, local, end);
  }

  get(off: number): string {
    const s = this.tryGet(off);
    if (s === undefined) {
      throw new BtfError("BTF_BAD_STRING_OFFSET", `string offset ${off} is outside the string table (size ${this.endOffset})`);
    }
    return s;
  }

  /** The offset of `s` if this table or its base already holds it. */
  find(s: string): number | undefined {
    if (s === "") return 0;
    const inBase = this.base?.find(s);
    if (inBase !== undefined) return inBase;
    return this.ensureIndex().get(s);
  }

  /** Intern `s` and return its offset. */
  add(s: string): number {
    const known = this.find(s);
    if (known !== undefined) return known;
    const encoded = encoder.encode(s);
    if (encoded.includes(0)) throw new BtfError("BTF_BAD_ARGUMENT", `string ${JSON.stringify(s)} contains a NUL byte`);
    const off = this.endOffset;
    this.buf.pushBytes(encoded);
    this.buf.pushByte(0);
    this.index!.set(s, off);
    return off;
  }

  private ensureIndex(): Map<string, number> {
    if (this.index) return this.index;
    const index = new Map<string, number>();
    const bytes = this.buf.data;
    const len = this.buf.length;
    let start = 0;
    for (let i = 0; i < len; i++) {
      if (bytes[i] !== 0) continue;
      if (i > start) {
        const s = decode(bytes, start, i);
        if (!index.has(s)) index.set(s, this.startOffset + start);
      }
      start = i + 1;
    }
    this.index = index;
    return index;
  }
}
