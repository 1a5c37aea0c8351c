// Abbreviation tables (.debug_abbrev), parsed once per table offset and shared by every unit that
// names it. Everything lives in typed arrays indexed by abbreviation index ("entry") or by
// attribute specification index ("spec"); entry i's specs are attrStart[i] .. attrStart[i+1]-1.
import { DW_AT, DW_FORM } from "./constants/index.js";
import { type Encoding, encodingKey, formSize } from "./forms.js";
import { DwarfError } from "./errors.js";
import type { ByteReader } from "./reader.js";

/** Codes up to this many times the entry count (plus a margin) get a dense lookup array. */
const DENSE_CODE_FACTOR = 4;
const DENSE_CODE_MARGIN = 256;
/** Tags, attribute names and forms are 16-bit in every DWARF version (user ranges included). */
const MAX_ENUM_VALUE = 0xffff;
const MAX_CODE = 0xffffffff;

export class AbbrevTable {
  /** Lookup code → entry: a dense Int32Array (-1 for a hole) or, for sparse huge codes, a Map. */
  private readonly dense: Int32Array | undefined;
  private readonly sparse: Map<number, number> | undefined;
  private readonly layouts = new Map<number, AbbrevLayout>();
  /** The largest number of attributes any entry has (sizes per-DIE scratch arrays). */
  readonly maxAttrs: number;

  constructor(
    /** Section offset of the table. */
    readonly offset: number,
    readonly codes: Uint32Array,
    readonly tag: Uint32Array,
    readonly hasChildren: Uint8Array,
    readonly attrStart: Uint32Array,
    readonly attrName: Uint32Array,
    readonly attrForm: Uint32Array,
    /** DW_FORM_implicit_const values by spec, or undefined when the table has none. */
    readonly implicitConst: BigInt64Array | undefined,
    /** Spec index of each entry's DW_AT_sibling, or -1. */
    readonly siblingSpec: Int32Array,
  ) {
    const count = codes.length;
    let maxCode = 0;
    let maxAttrs = 0;
    for (let i = 0; i < count; i++) {
      if (codes[i] > maxCode) maxCode = codes[i];
      maxAttrs = Math.max(maxAttrs, attrStart[i + 1] - attrStart[i]);
    }
    this.maxAttrs = maxAttrs;
    if (maxCode <= count * DENSE_CODE_FACTOR + DENSE_CODE_MARGIN) {
      this.dense = new Int32Array(maxCode + 1).fill(-1);
      for (let i = 0; i < count; i++) this.dense[codes[i]] = i;
    } else {
      this.sparse = new Map();
      for (let i = 0; i < count; i++) this.sparse.set(codes[i], i);
    }
  }

  get count(): number {
    return this.codes.length;
  }

  /** The entry for an abbreviation code, or -1. */
  entry(code: number): number {
    const dense = this.dense;
    if (dense !== undefined) return code < dense.length ? dense[code] : -1;
    return this.sparse!.get(code) ?? -1;
  }

  /** Form sizes for one unit encoding, computed once per (table, encoding). */
  layout(enc: Encoding): AbbrevLayout {
    const key = encodingKey(enc);
    let layout = this.layouts.get(key);
    if (layout === undefined) {
      layout = new AbbrevLayout(this, enc);
      this.layouts.set(key, layout);
    }
    return layout;
  }
}

/**
 * Precomputed sizes that let most DIEs be stepped over with one addition: every spec's size
 * (or VAR_* shape), each entry's total size when all its forms are fixed, and each spec's
 * offset from the start of the DIE's attributes while only fixed forms precede it.
 */
export class AbbrevLayout {
  readonly specSize: Int8Array;
  readonly specOffset: Int32Array;
  readonly entrySize: Int32Array;

  constructor(table: AbbrevTable, enc: Encoding) {
    const specs = table.attrForm.length;
    this.specSize = new Int8Array(specs);
    this.specOffset = new Int32Array(specs);
    this.entrySize = new Int32Array(table.count);
    for (let e = 0; e < table.count; e++) {
      let offset = 0;
      for (let s = table.attrStart[e]; s < table.attrStart[e + 1]; s++) {
        const size = formSize(table.attrForm[s], enc);
        this.specSize[s] = size;
        this.specOffset[s] = offset;
        offset = offset >= 0 && size >= 0 ? offset + size : -1;
      }
      this.entrySize[e] = offset;
    }
  }
}

/** Parses the table at `offset` of .debug_abbrev; errors name the abbreviation that is wrong. */
export function parseAbbrevTable(r: ByteReader, offset: number): AbbrevTable {
  try {
    return parseTable(r, offset);
  } catch (e) {
    // A LEB128 cut short by the section end is the table running off, whatever field it was.
    if (e instanceof DwarfError && e.code === "DWARF_UNEXPECTED_END") {
      throw new DwarfError("DWARF_ABBREV_TRUNCATED", `abbreviation table at 0x${offset.toString(16)} runs off the end of .debug_abbrev`, e.location);
    }
    throw e;
  }
}

function parseTable(r: ByteReader, offset: number): AbbrevTable {
  const limit = r.length;
  if (offset >= limit) r.fail("DWARF_REF_OUT_OF_SECTION", offset, "abbreviation table offset is past the end of .debug_abbrev");
  const codes: number[] = [];
  const tags: number[] = [];
  const children: number[] = [];
  const starts: number[] = [];
  const names: number[] = [];
  const forms: number[] = [];
  const siblings: number[] = [];
  const consts = new Map<number, bigint>();
  const seen = new Set<number>();
  let pos = offset;
  for (;;) {
    if (pos >= limit) r.fail("DWARF_ABBREV_TRUNCATED", offset, "abbreviation table runs off the end of .debug_abbrev");
    const declPos = pos;
    const code = r.uleb(pos, limit);
    pos = r.after;
    if (code === 0) break;
    if (code > MAX_CODE) r.fail("DWARF_BAD_ABBREV", declPos, `abbreviation code ${code} is absurdly large`);
    if (seen.has(code)) r.fail("DWARF_ABBREV_DUPLICATE", declPos, `abbreviation code ${code} is defined twice`);
    seen.add(code);
    codes.push(code);
    const tag = r.uleb(pos, limit);
    pos = r.after;
    if (tag > MAX_ENUM_VALUE) r.fail("DWARF_BAD_ABBREV", declPos, `abbreviation ${code} has tag 0x${tag.toString(16)} beyond 0xffff`);
    if (pos >= limit) r.fail("DWARF_ABBREV_TRUNCATED", declPos, `abbreviation ${code} runs off the end`);
    const hasChildren = r.u8(pos++);
    if (hasChildren > 1) r.fail("DWARF_BAD_ABBREV", declPos, `abbreviation ${code} has children flag ${hasChildren} (not 0 or 1)`);
    tags.push(tag);
    children.push(hasChildren);
    starts.push(names.length);
    let sibling = -1;
    for (;;) {
      const name = r.uleb(pos, limit);
      const form = r.uleb(r.after, limit);
      pos = r.after;
      if (name === 0 && form === 0) break;
      if (name > MAX_ENUM_VALUE || form > MAX_ENUM_VALUE) {
        r.fail("DWARF_BAD_ABBREV", declPos, `abbreviation ${code} has attribute 0x${name.toString(16)} / form 0x${form.toString(16)} beyond 0xffff`);
      }
      if (form === DW_FORM.implicit_const) {
        consts.set(names.length, r.slebBig(pos, limit));
        pos = r.after;
      }
      if (name === DW_AT.sibling && sibling < 0) sibling = names.length;
      names.push(name);
      forms.push(form);
    }
    siblings.push(sibling);
  }
  starts.push(names.length);
  let implicitConst: BigInt64Array | undefined;
  if (consts.size > 0) {
    implicitConst = new BigInt64Array(names.length);
    for (const [spec, value] of consts) implicitConst[spec] = value;
  }
  return new AbbrevTable(
    offset,
    Uint32Array.from(codes),
    Uint32Array.from(tags),
    Uint8Array.from(children),
    Uint32Array.from(starts),
    Uint32Array.from(names),
    Uint32Array.from(forms),
    implicitConst,
    Int32Array.from(siblings),
  );
}
