// The validator's view of the types: one Uint32Array of records in wire layout (void first,
// then the base's types for split BTF, then the blob's own), the word index where each id's
// record starts, and one string buffer (base strings followed by the blob's). Split BTF ids and
// string offsets continue the base's, so with both concatenated every id and offset indexes
// these arrays directly, with no per-type objects.

import { btfInfo } from "../constants.js";
import { kindDescriptor } from "../kinds/registry.js";

export const KIND_NAMES: readonly string[] = [
  "UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE",
  "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
];

const latin1 = new TextDecoder("latin1");

export class TypeSpace {
  constructor(
    /** Records in wire layout; words 0..2 are the zero record of void (id 0). */
    readonly words: Uint32Array,
    /** Word index of the record of each id; length ≥ count. */
    readonly starts: Uint32Array,
    /** Number of ids, void included (grows while pass 1 walks the records). */
    public count: number,
    /** First id that belongs to the blob under check (1 for base BTF). */
    readonly firstId: number,
    /** Base strings then the blob's strings, each section NUL-terminated. */
    readonly strings: Uint8Array,
    /** Byte offset of the blob's own type section in the blob, for problem locations. */
    readonly typeSectionOffset: number,
    /** Word index where the blob's own records start in `words`. */
    readonly ownFirstWord: number,
  ) {}

  info(id: number): number {
    return this.words[this.starts[id]! + 1]!;
  }
  kind(id: number): number {
    return btfInfo.kind(this.words[this.starts[id]! + 1]!);
  }
  vlen(id: number): number {
    return btfInfo.vlen(this.words[this.starts[id]! + 1]!);
  }
  kflag(id: number): boolean {
    return this.words[this.starts[id]! + 1]! >>> 31 === 1;
  }
  nameOff(id: number): number {
    return this.words[this.starts[id]!]!;
  }
  /** The size-or-type word. */
  sizeType(id: number): number {
    return this.words[this.starts[id]! + 2]!;
  }
  /** Trailing word `i` after the 12-byte common header. */
  word(id: number, i: number): number {
    return this.words[this.starts[id]! + 3 + i]!;
  }
  /** Whether `id` names a type (btf_type_by_id would not return NULL). */
  exists(id: number): boolean {
    return id < this.count;
  }
  /** Byte offset of the record of `id` in the checked blob (undefined for base types). */
  offsetOf(id: number): number | undefined {
    if (id < this.firstId) return undefined;
    return this.typeSectionOffset + (this.starts[id]! - this.ownFirstWord) * 4;
  }

  validNameOffset(off: number): boolean {
    return off <= 0x00ffffff && off < this.strings.length;
  }

  /** A string for messages, as the kernel prints it: "(anon)" for 0, escapes for unprintables. */
  nameAt(off: number): string {
    if (off === 0) return "(anon)";
    if (!this.validNameOffset(off)) return "(invalid-name-offset)";
    const s = this.strings;
    let end = off;
    while (s[end] !== 0 && end - off < 512) end++;
    return latin1.decode(s.subarray(off, end)).replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
  }

  kindName(id: number): string {
    const k = this.kind(id);
    return KIND_NAMES[k] ?? kindDescriptor(k)?.name ?? `KIND${k}`;
  }

  /** Whether the string at `off` is empty or absent (DECL_TAG and TYPE_TAG need a value). */
  emptyString(off: number): boolean {
    return !this.validNameOffset(off) || this.strings[off] === 0;
  }
}
