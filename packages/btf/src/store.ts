// The BTF type table in wire layout, column by column.
//
// Each type is the 12-byte common header (name_off, info, size/type) plus a per-kind run of
// trailing 32-bit words. The three header fields live in their own growable Uint32Array
// columns, indexed by (id - firstId); the trailing words of all types are concatenated in one
// growable Uint32Array with a start index per type. Writing is then a copy, dedup and the
// validator work on the same arrays, and no object is made per type.
//
// Split BTF: a table built on a `base` continues the base's ids (firstId = base.lastId + 1)
// and string offsets; every accessor given a base id answers from the base.
//
// Kinds known only from the kind layout section (a newer kind than this build knows, in BTF that
// carries a layout section) are kept opaque: their records are stored and written back as they
// are, sized by their layout entry; dumps print them as bpftool does (UNKNOWN), and anything that
// must understand their words (reference rewriting, views) says it cannot.
//
// Identity vs equivalence: a type's identity is its id. Two types are equivalent (what dedup
// may merge) when their kind, info, name string and every non-reference word are equal and
// their type references point at equivalent types; equivalence is dedup's business, the table
// only stores records and offers `forEachTypeRef`/`remapTypeRefs` (./refs.ts) to rewrite ids.

import { BtfError } from "./errors.js";
import { GrowableU32 } from "./growable.js";
import { kindDescriptor } from "./kinds/registry.js";
import "./kinds/builtin/index.js"; // the built-in kinds must be registered before any table is used
import { BtfStrings } from "./strings.js";
import type { BtfHeader } from "./header.js";
import { layoutTrailingWords, type BtfKindLayout } from "./kind-layout.js";
import { BTF_MAX_KIND, BTF_MAX_VLEN, btfInfo } from "./constants.js";

export class BtfTypeStore {
  readonly base: BtfTypeStore | undefined;
  readonly strings: BtfStrings;
  /** Id of this table's first own type: 1, or the base's lastId + 1. */
  readonly firstId: number;
  /** Header (section placement, byte order) of the blob this table was parsed from, if any. */
  header: BtfHeader | undefined;
  /**
   * The kind layout section this table was read with, or will be written with; undefined when
   * the BTF has none. It also sizes the records of kinds the registry does not know.
   */
  kindLayouts: readonly BtfKindLayout[] | undefined;

  protected readonly infoCol: GrowableU32;
  protected readonly nameCol: GrowableU32;
  protected readonly sizeCol: GrowableU32;
  /** wordStart[i] .. wordStart[i+1] are type i's trailing words; length is count + 1. */
  protected readonly wordStart: GrowableU32;
  protected readonly wordsCol: GrowableU32;

  constructor(options: { base?: BtfTypeStore; strings?: BtfStrings; expectedTypes?: number; expectedWords?: number } = {}) {
    this.base = options.base;
    this.header = undefined;
    this.kindLayouts = undefined;
    this.strings = options.strings ?? new BtfStrings(options.base?.strings);
    this.firstId = options.base ? options.base.lastId + 1 : 1;
    const types = options.expectedTypes ?? 256;
    this.infoCol = new GrowableU32(types);
    this.nameCol = new GrowableU32(types);
    this.sizeCol = new GrowableU32(types);
    this.wordStart = new GrowableU32(types + 1);
    this.wordStart.push(0);
    this.wordsCol = new GrowableU32(options.expectedWords ?? types * 2);
  }

  /** Number of types this table holds itself (not counting the base). */
  get count(): number {
    return this.infoCol.length;
  }

  /** Highest type id (firstId - 1 when the table is empty). */
  get lastId(): number {
    return this.firstId + this.infoCol.length - 1;
  }

  /** Whether `id` names a type of this table or its base (0, void, is not a record). */
  has(id: number): boolean {
    return Number.isInteger(id) && id >= 1 && id <= this.lastId;
  }

  /** Whether `id` belongs to this table's own (split) part. */
  isOwn(id: number): boolean {
    return id >= this.firstId && id <= this.lastId;
  }

  // ---- accessors by id -------------------------------------------------------------------

  info(id: number): number {
    const i = id - this.firstId;
    if (i < 0) return this.inBase(id).info(id);
    return this.infoCol.data[this.own(i, id)]!;
  }

  kind(id: number): number {
    return btfInfo.kind(this.info(id));
  }

  kindFlag(id: number): boolean {
    return this.info(id) >>> 31 === 1;
  }

  vlen(id: number): number {
    return btfInfo.vlen(this.info(id));
  }

  /** Whether the type's kind is known only from the layout section (its words are not understood). */
  isOpaque(id: number): boolean {
    return kindDescriptor(this.kind(id)) === undefined;
  }

  nameOff(id: number): number {
    const i = id - this.firstId;
    if (i < 0) return this.inBase(id).nameOff(id);
    return this.nameCol.data[this.own(i, id)]!;
  }

  /** The type's name ("" for anonymous types); throws when name_off is outside the strings. */
  name(id: number): string {
    return this.strings.get(this.nameOff(id));
  }

  sizeOrType(id: number): number {
    const i = id - this.firstId;
    if (i < 0) return this.inBase(id).sizeOrType(id);
    return this.sizeCol.data[this.own(i, id)]!;
  }

  wordCount(id: number): number {
    const i = id - this.firstId;
    if (i < 0) return this.inBase(id).wordCount(id);
    this.own(i, id);
    return this.wordStart.data[i + 1]! - this.wordStart.data[i]!;
  }

  /** The type's trailing words (a view into the table: valid until the next add). */
  words(id: number): Uint32Array {
    const i = id - this.firstId;
    if (i < 0) return this.inBase(id).words(id);
    this.own(i, id);
    return this.wordsCol.data.subarray(this.wordStart.data[i]!, this.wordStart.data[i + 1]!);
  }

  /** Trailing word `index` of the type, without making a view. */
  word(id: number, index: number): number {
    const i = id - this.firstId;
    if (i < 0) return this.inBase(id).word(id, index);
    this.own(i, id);
    const at = this.wordStart.data[i]! + index;
    if (index < 0 || at >= this.wordStart.data[i + 1]!) {
      throw new BtfError("BTF_BAD_ARGUMENT", `word ${index} is outside the type's ${this.wordCount(id)} trailing words`, { typeId: id });
    }
    return this.wordsCol.data[at]!;
  }

  // ---- fix-ups (dedup remapping, late sizes) ------------------------------------------------

  setSizeOrType(id: number, value: number): void {
    this.sizeCol.data[this.own(id - this.firstId, id)] = value;
  }

  setNameOff(id: number, value: number): void {
    this.nameCol.data[this.own(id - this.firstId, id)] = value;
  }

  /** Replace info; the new kind/vlen/kind_flag must need the same number of trailing words. */
  setInfo(id: number, value: number): void {
    const i = this.own(id - this.firstId, id);
    const need = this.trailingFor(value, id);
    if (need !== this.wordStart.data[i + 1]! - this.wordStart.data[i]!) {
      throw new BtfError("BTF_BAD_ARGUMENT", `new info 0x${value.toString(16)} needs ${need} trailing words, the type has ${this.wordCount(id)}`, { typeId: id });
    }
    this.infoCol.data[i] = value;
  }

  setWord(id: number, index: number, value: number): void {
    const i = this.own(id - this.firstId, id);
    const at = this.wordStart.data[i]! + index;
    if (index < 0 || at >= this.wordStart.data[i + 1]!) {
      throw new BtfError("BTF_BAD_ARGUMENT", `word ${index} is outside the type's ${this.wordCount(id)} trailing words`, { typeId: id });
    }
    this.wordsCol.data[at] = value >>> 0;
  }

  // ---- appending ---------------------------------------------------------------------------

  /** Append a type and return its id. `trailing` must have the length the kind's descriptor asks for. */
  add(kind: number, nameOff: number, vlen: number, kindFlag: boolean, sizeOrType: number, trailing: ArrayLike<number> = []): number {
    if (!Number.isInteger(kind) || kind < 0 || kind > BTF_MAX_KIND) {
      throw new BtfError("BTF_BAD_ARGUMENT", `kind ${kind} does not fit the 7 kind bits`);
    }
    if (!Number.isInteger(vlen) || vlen < 0 || vlen > BTF_MAX_VLEN) {
      throw new BtfError("BTF_BAD_ARGUMENT", `vlen ${vlen} is outside 0..${BTF_MAX_VLEN}`);
    }
    const info = btfInfo.make(kind, vlen, kindFlag);
    return this.addRecord(info, nameOff, sizeOrType, trailing);
  }

  /**
   * Append a record given its raw header fields; `trailing[start .. start+count)` are its
   * trailing words. The count must match what the kind's descriptor computes from info.
   */
  addRecord(info: number, nameOff: number, sizeOrType: number, trailing: ArrayLike<number>, start = 0, count = trailing.length - start): number {
    const id = this.lastId + 1;
    const need = this.trailingFor(info, id);
    if (need !== count) {
      throw new BtfError("BTF_BAD_ARGUMENT", `kind ${btfInfo.kind(info)} with info 0x${info.toString(16)} needs ${need} trailing words, got ${count}`, { typeId: id });
    }
    this.infoCol.push(info >>> 0);
    this.nameCol.push(nameOff >>> 0);
    this.sizeCol.push(sizeOrType >>> 0);
    const words = this.wordsCol;
    words.reserve(count);
    if (trailing instanceof Uint32Array && count > 16) {
      words.data.set(trailing.subarray(start, start + count), words.length);
      words.length += count;
    } else {
      // A short run (most types: a few words) is copied in place: a subarray per type would be
      // 100k short-lived views for a vmlinux.
      for (let k = 0; k < count; k++) words.data[words.length++] = trailing[start + k]! >>> 0;
    }
    this.wordStart.push(words.length);
    return id;
  }

  /** All of this table's own trailing words, and where each type's run starts (for writers). */
  rawColumns(): { info: Uint32Array; nameOff: Uint32Array; sizeOrType: Uint32Array; wordStart: Uint32Array; words: Uint32Array } {
    return {
      info: this.infoCol.view(),
      nameOff: this.nameCol.view(),
      sizeOrType: this.sizeCol.view(),
      wordStart: this.wordStart.view(),
      words: this.wordsCol.view(),
    };
  }

  /** Byte size of this table's own type section. */
  get typeSectionSize(): number {
    return this.infoCol.length * 12 + this.wordsCol.length * 4;
  }

  /** Trailing words a record with this info has: from the kind's descriptor, else its layout entry. */
  trailingFor(info: number, id?: number): number {
    const kind = btfInfo.kind(info);
    const d = kindDescriptor(kind);
    if (d) return d.trailingWords(btfInfo.vlen(info), btfInfo.kindFlag(info));
    const layout = this.layoutOf(kind);
    if (!layout) {
      const why = this.hasLayoutSection() ? "and the layout section does not describe it" : "and the BTF has no layout section";
      throw new BtfError("BTF_UNKNOWN_KIND", `unknown kind ${kind} (no descriptor is registered for it ${why})`, { typeId: id });
    }
    return layoutTrailingWords(layout, kind, btfInfo.vlen(info), id);
  }

  /** Whether this table or its base carries a kind layout section. */
  hasLayoutSection(): boolean {
    return this.kindLayouts !== undefined || (this.base?.hasLayoutSection() ?? false);
  }

  /** The layout entry of a kind: this table's section, else its base's (split BTF shares it, as in libbpf). */
  layoutOf(kind: number): BtfKindLayout | undefined {
    if (this.kindLayouts) return this.kindLayouts[kind];
    return this.base?.layoutOf(kind);
  }

  private own(i: number, id: number): number {
    if (i < 0 || i >= this.infoCol.length) {
      throw new BtfError("BTF_BAD_TYPE_ID", `type id ${id} is outside this table (${this.firstId}..${this.lastId})`, { typeId: id });
    }
    return i;
  }

  private inBase(id: number): BtfTypeStore {
    if (!this.base || id < 1) {
      throw new BtfError("BTF_BAD_TYPE_ID", `type id ${id} is outside the table (1..${this.lastId})`, { typeId: id });
    }
    return this.base;
  }
}
