// A small DWARF section builder for unit tests: describe units as DIE trees with (attribute, form,
// value) triples and get the section bytes, so no compiler is needed. Abbreviations are made
// from the DIEs (one per distinct shape); references name DIEs by label and are patched at the end.
import { DW_FORM, DW_UT } from "../src/index.js";
import type { DwarfSections } from "../src/index.js";

/** A reference to a labelled DIE (unit-relative for ref1..ref_udata, section-absolute for ref_addr). */
export interface Ref {
  ref: string;
}
/** The base of this unit's contribution to an indexed section (for DW_AT_*_base attributes). */
export interface Base {
  base: "str_offsets" | "addr" | "rnglists" | "loclists";
}
/** DW_FORM_indirect: the real form is written before the value. */
export interface Indirect {
  form: number;
  value: Value;
}
export type Value = number | bigint | string | Uint8Array | number[] | Ref | Base | Indirect | undefined;

export interface Attr {
  at: number;
  form: number;
  value?: Value;
  /** For DW_FORM_implicit_const: the value stored in the abbreviation. */
  implicit?: bigint;
}

export interface Die {
  tag: number;
  attrs?: Attr[];
  children?: Die[];
  /** Force the children flag when there are no children (a list holding just the null entry). */
  hasChildren?: boolean;
  label?: string;
}

export interface UnitSpec {
  version: number;
  offsetSize?: 4 | 8;
  addressSize?: number;
  unitType?: number;
  section?: "debug_info" | "debug_types";
  signature?: bigint;
  /** Label of the type unit's type DIE. */
  typeLabel?: string;
  dwoId?: bigint;
  root: Die;
  /** Strings of this unit's .debug_str_offsets contribution (strx indexes into it). */
  strOffsets?: string[];
  /** This unit's .debug_addr entries. */
  addresses?: bigint[];
  /** This unit's .debug_rnglists / .debug_loclists offset tables (values relative to the base). */
  rnglists?: number[];
  loclists?: number[];
  /** Write no trailing null entries after the root's children. */
  omitTrailingNulls?: boolean;
}

/** A growable little- or big-endian byte buffer. */
export class Bytes {
  readonly out: number[] = [];
  constructor(readonly le = true) {}
  get length(): number {
    return this.out.length;
  }
  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }
  uint(v: number | bigint, size: number): this {
    const bytes: number[] = [];
    let x = BigInt.asUintN(size * 8, BigInt(v));
    for (let i = 0; i < size; i++) {
      bytes.push(Number(x & 0xffn));
      x >>= 8n;
    }
    this.out.push(...(this.le ? bytes : bytes.reverse()));
    return this;
  }
  uleb(v: number | bigint, minBytes = 1): this {
    let x = BigInt(v);
    for (let i = 0; ; i++) {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      if (x === 0n && i + 1 >= minBytes) return this.u8(byte);
      this.u8(byte | 0x80);
    }
  }
  sleb(v: number | bigint): this {
    let x = BigInt(v);
    for (;;) {
      const byte = Number(x & 0x7fn);
      x >>= 7n;
      const done = (x === 0n && !(byte & 0x40)) || (x === -1n && byte & 0x40);
      this.u8(done ? byte : byte | 0x80);
      if (done) return this;
    }
  }
  cstr(s: string): this {
    this.out.push(...new TextEncoder().encode(s), 0);
    return this;
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.out.push(b[i]);
    return this;
  }
  patch(at: number, v: number | bigint, size: number): void {
    const tmp = new Bytes(this.le).uint(v, size).out;
    for (let i = 0; i < size; i++) this.out[at + i] = tmp[i];
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** Strings interned into a string section. */
class StringPool {
  readonly b = new Bytes();
  private readonly offsets = new Map<string, number>();
  add(s: string): number {
    let off = this.offsets.get(s);
    if (off === undefined) {
      off = this.b.length;
      this.offsets.set(s, off);
      this.b.cstr(s);
    }
    return off;
  }
}

interface Fixup {
  pos: number;
  size: number;
  label: string;
  /** Section offset of the referring unit for unit-relative forms, or -1 for ref_addr. */
  unitOffset: number;
  section: "debug_info" | "debug_types";
}

export class DwarfBuilder {
  private readonly abbrev: Bytes;
  private readonly info: Bytes;
  private readonly types: Bytes;
  private readonly str = new StringPool();
  private readonly lineStr = new StringPool();
  private readonly strOffsets: Bytes;
  private readonly addr: Bytes;
  private readonly rnglists: Bytes;
  private readonly loclists: Bytes;
  private readonly labels = new Map<string, number>();
  private readonly fixups: Fixup[] = [];

  constructor(readonly littleEndian = true) {
    const le = littleEndian;
    [this.abbrev, this.info, this.types] = [new Bytes(le), new Bytes(le), new Bytes(le)];
    [this.strOffsets, this.addr, this.rnglists, this.loclists] = [new Bytes(le), new Bytes(le), new Bytes(le), new Bytes(le)];
  }

  /** Appends a unit; returns its section offset and its abbreviation table offset. */
  unit(spec: UnitSpec): { offset: number; abbrevOffset: number } {
    const offsetSize = spec.offsetSize ?? 4;
    const addressSize = spec.addressSize ?? 8;
    const section = spec.section ?? "debug_info";
    const out = section === "debug_info" ? this.info : this.types;
    const bases = this.contributions(spec, offsetSize, addressSize);
    const abbrevOffset = this.abbrev.length;
    const shapes = new Map<string, number>();
    const offset = out.length;
    if (offsetSize === 8) out.uint(0xffffffff, 4).uint(0, 8);
    else out.uint(0, 4);
    const lengthEnd = out.length;
    out.uint(spec.version, 2);
    const unitType = spec.unitType ?? (section === "debug_types" ? DW_UT.type : DW_UT.compile);
    if (spec.version >= 5) out.u8(unitType).u8(addressSize).uint(abbrevOffset, offsetSize);
    else out.uint(abbrevOffset, offsetSize).u8(addressSize);
    let typeOffsetPos = -1;
    if (unitType === DW_UT.type || unitType === DW_UT.split_type) {
      out.uint(spec.signature ?? 0n, 8);
      typeOffsetPos = out.length;
      out.uint(0, offsetSize);
    } else if (unitType === DW_UT.skeleton || unitType === DW_UT.split_compile) {
      out.uint(spec.dwoId ?? 0n, 8);
    }
    const ctx = { out, section, unitOffset: offset, spec, offsetSize, addressSize, shapes, bases };
    this.die(ctx, spec.root, true);
    this.abbrev.u8(0);
    out.patch(offsetSize === 8 ? offset + 4 : offset, out.length - lengthEnd, offsetSize);
    if (typeOffsetPos >= 0) this.fixups.push({ pos: typeOffsetPos, size: offsetSize, label: spec.typeLabel!, unitOffset: offset, section });
    return { offset, abbrevOffset };
  }

  /** Writes the unit's contributions to the indexed sections; returns their bases. */
  private contributions(spec: UnitSpec, offsetSize: 4 | 8, addressSize: number): Record<Base["base"], number> {
    const header = (b: Bytes, bodySize: number, tail: (b: Bytes) => void) => {
      const tailBytes = new Bytes(b.le);
      tail(tailBytes);
      if (offsetSize === 8) b.uint(0xffffffff, 4).uint(2 + tailBytes.length + bodySize, 8);
      else b.uint(2 + tailBytes.length + bodySize, 4);
      b.uint(5, 2).raw(tailBytes.out);
      return b.length;
    };
    const bases = { str_offsets: 0, addr: 0, rnglists: 0, loclists: 0 };
    if (spec.strOffsets) {
      bases.str_offsets = header(this.strOffsets, spec.strOffsets.length * offsetSize, (t) => t.uint(0, 2));
      for (const s of spec.strOffsets) this.strOffsets.uint(this.str.add(s), offsetSize);
    }
    if (spec.addresses) {
      bases.addr = header(this.addr, spec.addresses.length * addressSize, (t) => t.u8(addressSize).u8(0));
      for (const a of spec.addresses) this.addr.uint(a, addressSize);
    }
    for (const kind of ["rnglists", "loclists"] as const) {
      const table = spec[kind];
      if (!table) continue;
      const b = this[kind];
      bases[kind] = header(b, table.length * offsetSize, (t) => t.u8(addressSize).u8(0).uint(table.length, 4));
      for (const o of table) b.uint(o, offsetSize);
    }
    return bases;
  }

  private die(
    ctx: {
      out: Bytes;
      section: "debug_info" | "debug_types";
      unitOffset: number;
      spec: UnitSpec;
      offsetSize: 4 | 8;
      addressSize: number;
      shapes: Map<string, number>;
      bases: Record<Base["base"], number>;
    },
    die: Die,
    isRoot: boolean,
  ): void {
    const attrs = die.attrs ?? [];
    const children = die.children ?? [];
    const hasChildren = children.length > 0 || die.hasChildren === true;
    const key = JSON.stringify([die.tag, hasChildren, attrs.map((a) => [a.at, a.form, String(a.implicit)])]);
    let code = ctx.shapes.get(key);
    if (code === undefined) {
      code = ctx.shapes.size + 1;
      ctx.shapes.set(key, code);
      this.abbrev.uleb(code).uleb(die.tag).u8(hasChildren ? 1 : 0);
      for (const a of attrs) {
        this.abbrev.uleb(a.at).uleb(a.form);
        if (a.form === DW_FORM.implicit_const) this.abbrev.sleb(a.implicit ?? 0n);
      }
      this.abbrev.u8(0).u8(0);
    }
    if (die.label !== undefined) this.labels.set(`${ctx.section}:${die.label}`, ctx.out.length);
    ctx.out.uleb(code);
    for (const a of attrs) this.value(ctx, a.form, a.value);
    for (const child of children) this.die(ctx, child, false);
    if (hasChildren && !(isRoot && ctx.spec.omitTrailingNulls)) ctx.out.u8(0);
  }

  private value(ctx: Parameters<DwarfBuilder["die"]>[0], form: number, v: Value): void {
    const { out, offsetSize, addressSize } = ctx;
    const num = (x: Value) => {
      if (typeof x === "object" && x !== null && "base" in x) return ctx.bases[(x as Base).base];
      return x as number | bigint;
    };
    const ref = (size: number, absolute: boolean) => {
      if (typeof v === "object" && v !== null && "ref" in v) {
        this.fixups.push({ pos: out.length, size, label: v.ref, unitOffset: absolute ? -1 : ctx.unitOffset, section: ctx.section });
        if (size === 0) out.uleb(0, 5);
        else out.uint(0, size);
      } else if (size === 0) out.uleb(v as number);
      else out.uint(v as number, size);
    };
    switch (form) {
      case DW_FORM.addr: return void out.uint(v as bigint, addressSize);
      case DW_FORM.data1: case DW_FORM.flag: case DW_FORM.strx1: case DW_FORM.addrx1: return void out.uint(num(v), 1);
      case DW_FORM.data2: case DW_FORM.strx2: case DW_FORM.addrx2: return void out.uint(num(v), 2);
      case DW_FORM.strx3: case DW_FORM.addrx3: return void out.uint(num(v), 3);
      case DW_FORM.data4: case DW_FORM.strx4: case DW_FORM.addrx4: case DW_FORM.ref_sup4: return void out.uint(num(v), 4);
      case DW_FORM.data8: case DW_FORM.ref_sig8: case DW_FORM.ref_sup8: return void out.uint(num(v), 8);
      case DW_FORM.data16: {
        const x = BigInt(v as bigint);
        const [lo, hi] = [BigInt.asUintN(64, x), BigInt.asUintN(64, x >> 64n)];
        return void (out.le ? out.uint(lo, 8).uint(hi, 8) : out.uint(hi, 8).uint(lo, 8));
      }
      case DW_FORM.sdata: return void out.sleb(v as number);
      case DW_FORM.udata: case DW_FORM.strx: case DW_FORM.addrx: case DW_FORM.GNU_addr_index:
      case DW_FORM.GNU_str_index: case DW_FORM.loclistx: case DW_FORM.rnglistx:
        return void out.uleb(num(v));
      case DW_FORM.string: return void out.cstr(v as string);
      case DW_FORM.strp: return void out.uint(typeof v === "string" ? this.str.add(v) : (v as number), offsetSize);
      case DW_FORM.line_strp: return void out.uint(typeof v === "string" ? this.lineStr.add(v) : (v as number), offsetSize);
      case DW_FORM.sec_offset: case DW_FORM.strp_sup: case DW_FORM.GNU_ref_alt: case DW_FORM.GNU_strp_alt:
        return void out.uint(num(v), offsetSize);
      case DW_FORM.ref1: return ref(1, false);
      case DW_FORM.ref2: return ref(2, false);
      case DW_FORM.ref4: return ref(4, false);
      case DW_FORM.ref8: return ref(8, false);
      case DW_FORM.ref_udata: return ref(0, false);
      case DW_FORM.ref_addr: return ref(ctx.spec.version <= 2 ? addressSize : offsetSize, true);
      case DW_FORM.flag_present: case DW_FORM.implicit_const: return;
      case DW_FORM.block1: { const b = v as number[]; out.u8(b.length).raw(b); return; }
      case DW_FORM.block2: { const b = v as number[]; out.uint(b.length, 2).raw(b); return; }
      case DW_FORM.block4: { const b = v as number[]; out.uint(b.length, 4).raw(b); return; }
      case DW_FORM.block: case DW_FORM.exprloc: { const b = v as number[]; out.uleb(b.length).raw(b); return; }
      case DW_FORM.indirect: { const ind = v as Indirect; out.uleb(ind.form); return this.value(ctx, ind.form, ind.value); }
      case DW_FORM.LLVM_addrx_offset: { const [i, off] = v as number[]; out.uleb(i).uint(off, 4); return; }
      default: throw new Error(`builder: no writer for form 0x${form.toString(16)}`);
    }
  }

  /** Section offset of a labelled DIE. */
  offsetOf(label: string, section: "debug_info" | "debug_types" = "debug_info"): number {
    const off = this.labels.get(`${section}:${label}`);
    if (off === undefined) throw new Error(`builder: no DIE labelled ${label}`);
    return off;
  }

  /** The sections, with every reference patched. */
  finish(): DwarfSections {
    for (const f of this.fixups) {
      const target = this.labels.get(`${f.unitOffset < 0 ? "debug_info" : f.section}:${f.label}`);
      if (target === undefined) throw new Error(`builder: no DIE labelled ${f.label}`);
      const out = f.section === "debug_info" ? this.info : this.types;
      const value = f.unitOffset < 0 ? target : target - f.unitOffset;
      if (f.size === 0) {
        const padded = new Bytes().uleb(value, 5).out;
        for (let i = 0; i < 5; i++) out.out[f.pos + i] = padded[i];
      } else out.patch(f.pos, value, f.size);
    }
    const s: DwarfSections = { debug_abbrev: this.abbrev.bytes(), debug_info: this.info.bytes() };
    if (this.types.length) s.debug_types = this.types.bytes();
    if (this.str.b.length) s.debug_str = this.str.b.bytes();
    if (this.lineStr.b.length) s.debug_line_str = this.lineStr.b.bytes();
    if (this.strOffsets.length) s.debug_str_offsets = this.strOffsets.bytes();
    if (this.addr.length) s.debug_addr = this.addr.bytes();
    if (this.rnglists.length) s.debug_rnglists = this.rnglists.bytes();
    if (this.loclists.length) s.debug_loclists = this.loclists.bytes();
    return s;
  }
}
