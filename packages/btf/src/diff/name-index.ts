// Roots by (family, name), over the names' bytes in the BTF string table: no JavaScript string is
// made for the ~100k names of a vmlinux, and a lookup from the other build compares the bytes of
// the two string tables directly. Open addressing in typed arrays; entries with the same key (a
// repeated name) are chained from the first one, in id order.

import type { BtfStrings } from "../strings.js";

/** A string table's bytes, its base's below its start offset (split BTF). */
export class NameText {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly base: NameText | undefined;
  /** Where the last locate() found the string in `bytes`. */
  pos = 0;
  /** The same bytes as a Buffer: Node decodes a range in one native call, not a string per byte. */
  private readonly buffer: Buffer;

  constructor(strings: BtfStrings) {
    this.bytes = strings.bytes();
    this.start = strings.startOffset;
    this.base = strings.base ? new NameText(strings.base) : undefined;
    this.buffer = Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength);
  }

  /** The string at `off` ("" for 0); one outside the table is shown as such, never thrown. */
  decode(off: number): string {
    if (off === 0) return "";
    if (off < this.start) return this.base ? this.base.decode(off) : `<bad name ${off}>`;
    const start = off - this.start;
    const bytes = this.bytes;
    if (start >= bytes.length) return `<bad name ${off}>`;
    let end = start;
    while (end < bytes.length && bytes[end] !== 0) end++;
    return this.buffer.toString("utf8", start, end);
  }

  /** The bytes holding offset `off` (sets `pos`); an empty array when it is outside the table. */
  locate(off: number): Uint8Array {
    if (off < this.start) {
      if (!this.base) return EMPTY;
      const bytes = this.base.locate(off);
      this.pos = this.base.pos;
      return bytes;
    }
    this.pos = off - this.start;
    return this.pos < this.bytes.length ? this.bytes : EMPTY;
  }
}

const EMPTY = new Uint8Array(0);

export class NameIndex {
  private readonly text: NameText;
  private readonly ids: Int32Array;
  private readonly offs: Uint32Array;
  private readonly codes: Uint8Array;
  private readonly hashes: Uint32Array;
  /** The next entry with the same key, -1 at the end of a chain. */
  private readonly next: Int32Array;
  /** For a chain's first entry, its last one (appends stay in id order). */
  private readonly tail: Int32Array;
  private readonly isHead: Uint8Array;
  /** Entry + 1 of each chain's first entry; 0 is an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private count = 0;

  constructor(text: NameText, capacity: number) {
    this.text = text;
    this.ids = new Int32Array(capacity);
    this.offs = new Uint32Array(capacity);
    this.codes = new Uint8Array(capacity);
    this.hashes = new Uint32Array(capacity);
    this.next = new Int32Array(capacity);
    this.tail = new Int32Array(capacity);
    this.isHead = new Uint8Array(capacity);
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Index type `id` under `code` (the family, and whether the name is a first member's) and its name. */
  add(code: number, nameOff: number, id: number): void {
    const e = this.count++;
    const hash = hashName(this.text, code, nameOff);
    this.ids[e] = id;
    this.offs[e] = nameOff;
    this.codes[e] = code;
    this.hashes[e] = hash;
    this.next[e] = -1;
    const head = this.lookup(hash, code, this.text, nameOff);
    if (head < 0) {
      this.isHead[e] = 1;
      this.tail[e] = e;
      this.insertSlot(hash, e);
    } else {
      this.next[this.tail[head]!] = e;
      this.tail[head] = e;
    }
  }

  /** The first entry of the key (code, name at `nameOff` in `other`'s strings), -1 when absent. */
  find(code: number, other: NameIndex, nameOff: number): number {
    return this.lookup(hashName(other.text, code, nameOff), code, other.text, nameOff);
  }

  /** The first entry of entry `e`'s key in `other`, -1 when absent. */
  findEntry(e: number, other: NameIndex): number {
    return other.lookup(this.hashes[e]!, this.codes[e]!, this.text, this.offs[e]!);
  }

  /** Whether entry `e` is the first of its key (the one lookups return). */
  head(e: number): boolean {
    return this.isHead[e] === 1;
  }

  id(e: number): number {
    return this.ids[e]!;
  }

  code(e: number): number {
    return this.codes[e]!;
  }

  /** The ids of entry `e`'s key, in id order, from a first entry. */
  chain(e: number): number[] {
    const ids: number[] = [];
    for (let at = e; at >= 0; at = this.next[at]!) ids.push(this.ids[at]!);
    return ids;
  }

  /** Whether entry `e` is the only one of its key. */
  single(e: number): boolean {
    return this.next[e] === -1;
  }

  private lookup(hash: number, code: number, text: NameText, nameOff: number): number {
    for (let slot = hash & this.mask; ; slot = (slot + 1) & this.mask) {
      const at = this.slots[slot]! - 1;
      if (at < 0) return -1;
      if (this.hashes[at] === hash && this.codes[at] === code && sameName(this.text, this.offs[at]!, text, nameOff)) return at;
    }
  }

  private insertSlot(hash: number, e: number): void {
    let slot = hash & this.mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & this.mask;
    this.slots[slot] = e + 1;
  }
}

/** FNV-1a over the name's bytes up to its NUL, seeded with the code. */
function hashName(text: NameText, code: number, off: number): number {
  const bytes = text.locate(off);
  let h = Math.imul(2166136261 ^ code, 16777619);
  for (let i = text.pos; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === 0) break;
    h = Math.imul(h ^ c, 16777619);
  }
  return h >>> 0;
}

/** Whether the name at `offA` in one string table is the name at `offB` in another, byte for byte. */
export function sameName(ta: NameText, offA: number, tb: NameText, offB: number): boolean {
  const a = ta.locate(offA);
  let i = ta.pos;
  const b = tb.locate(offB);
  let j = tb.pos;
  for (;;) {
    const ca = i < a.length ? a[i++]! : 0;
    const cb = j < b.length ? b[j++]! : 0;
    if (ca !== cb) return false;
    if (ca === 0) return true;
  }
}
