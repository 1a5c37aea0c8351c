// The DIE cursor's attribute readers. Each decodes only the attribute asked for, by its form; an
// absent attribute, or one whose form is not of the asked class, gives undefined.
import { DW_FORM } from "./constants/index.js";
import type { IndexedSection } from "./indexed.js";
import type { StringSection } from "./strings.js";
import { decodeString } from "./strings.js";
import type { UnitHeader, UnitSection } from "./unit.js";
import { DieWalker } from "./walker.js";

/** What the cursor needs from its file besides its own section. */
export interface CursorContext {
  readonly debugStr: StringSection | undefined;
  readonly debugLineStr: StringSection | undefined;
  readonly strOffsets: IndexedSection;
  readonly addresses: IndexedSection;
  readonly rnglists: IndexedSection;
  readonly loclists: IndexedSection;
  /** Length of .debug_info, the section DW_FORM_ref_addr points into. */
  readonly infoLength: number;
  typeUnitBySignature(signature: bigint): UnitHeader | undefined;
  unitAt(section: UnitSection, offset: number): UnitHeader | undefined;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export class DieCursor extends DieWalker {
  /** @internal use DwarfFile.cursor(). */
  constructor(
    private readonly ctx: CursorContext,
    ...walker: ConstructorParameters<typeof DieWalker>
  ) {
    super(...walker);
  }

  has(at: number): boolean {
    return this.find(at) >= 0;
  }

  /** The attribute's form, DW_FORM_indirect resolved. */
  form(at: number): number | undefined {
    return this.locate(at) ? this.vform : undefined;
  }

  /** An unsigned constant, flag or section offset; throws when the value is above 2^53. */
  uint(at: number): number | undefined {
    if (!this.locate(at)) return undefined;
    const r = this.r;
    const p = this.vpos;
    switch (this.vform) {
      case DW_FORM.data1:
      case DW_FORM.flag:
        return r.u8(p);
      case DW_FORM.data2:
        return r.u16(p);
      case DW_FORM.data4:
        return r.u32(p);
      case DW_FORM.data8:
        return r.u64(p);
      case DW_FORM.data16:
        if (r.u64big(r.littleEndian ? p + 8 : p) !== 0n) r.fail("DWARF_VALUE_TOO_LARGE", p, "DW_FORM_data16 value is above 2^64");
        return this.safe(this.data16Low(p), false);
      case DW_FORM.udata:
        return r.uleb(p, this.unitEnd);
      case DW_FORM.sdata: {
        const v = r.sleb(p, this.unitEnd);
        return v >= 0 ? v : undefined;
      }
      case DW_FORM.implicit_const: {
        const v = this.implicitConst();
        return v >= 0n ? this.safe(v, false) : undefined;
      }
      case DW_FORM.flag_present:
        return 1;
      case DW_FORM.sec_offset:
        return r.uint(p, this.unit.offsetSize);
      default:
        return undefined;
    }
  }

  /** A signed constant: sdata and implicit_const as encoded, data1/2/4/8 sign-extended, udata as is. */
  sint(at: number): number | undefined {
    if (!this.locate(at)) return undefined;
    const r = this.r;
    const p = this.vpos;
    switch (this.vform) {
      case DW_FORM.data1:
        return r.sint(p, 1);
      case DW_FORM.data2:
        return r.sint(p, 2);
      case DW_FORM.data4:
        return r.sint(p, 4);
      case DW_FORM.data8:
        return r.sint(p, 8);
      case DW_FORM.sdata:
        return r.sleb(p, this.unitEnd);
      case DW_FORM.udata:
        return r.uleb(p, this.unitEnd);
      case DW_FORM.implicit_const:
        return this.safe(this.implicitConst(), true);
      default:
        return undefined;
    }
  }

  /** A constant as a bigint: data* zero-extended (data16: its low 64 bits), sdata and implicit_const signed. */
  bigint(at: number): bigint | undefined {
    return this.wide(at, false);
  }

  /** Like bigint(), but data1/2/4/8/16 sign-extended: for a constant of a signed type. */
  sbigint(at: number): bigint | undefined {
    return this.wide(at, true);
  }

  private wide(at: number, signExtend: boolean): bigint | undefined {
    if (!this.locate(at)) return undefined;
    const r = this.r;
    const p = this.vpos;
    let v: bigint;
    let bits: number;
    switch (this.vform) {
      case DW_FORM.data1:
        [v, bits] = [BigInt(r.u8(p)), 8];
        break;
      case DW_FORM.data2:
        [v, bits] = [BigInt(r.u16(p)), 16];
        break;
      case DW_FORM.data4:
        [v, bits] = [BigInt(r.u32(p)), 32];
        break;
      case DW_FORM.data8:
        [v, bits] = [r.u64big(p), 64];
        break;
      case DW_FORM.data16:
        [v, bits] = [this.data16Low(p), 64];
        break;
      case DW_FORM.udata:
        return r.ulebBig(p, this.unitEnd);
      case DW_FORM.sdata:
        return r.slebBig(p, this.unitEnd);
      case DW_FORM.implicit_const:
        return this.implicitConst();
      default:
        return undefined;
    }
    return signExtend ? BigInt.asIntN(bits, v) : v;
  }

  /** DW_AT_* flags: true for flag_present or a non-zero flag, false when absent. */
  flag(at: number): boolean {
    const v = this.uint(at);
    return v !== undefined && v !== 0;
  }

  /**
   * A reference as a section offset. Unit-relative forms and ref_addr stay in this unit's section
   * (ref_addr: .debug_info); ref_sig8 gives the type DIE's offset in its type unit's section, so
   * use refUnit() to learn which. Supplementary-file forms (GNU_ref_alt, ref_sup*) give undefined.
   */
  ref(at: number): number | undefined {
    if (!this.locate(at)) return undefined;
    const p = this.vpos;
    switch (this.vform) {
      case DW_FORM.ref1:
      case DW_FORM.ref2:
      case DW_FORM.ref4:
      case DW_FORM.ref8:
      case DW_FORM.ref_udata:
        return this.unitRelative(p);
      case DW_FORM.ref_addr:
        return this.refAddr(p);
      case DW_FORM.ref_sig8: {
        const tu = this.signatureUnit(p);
        return tu.offset + tu.typeOffset!;
      }
      default:
        return undefined;
    }
  }

  /** The unit a reference attribute points into (this unit, a .debug_info unit, or a type unit). */
  refUnit(at: number): UnitHeader | undefined {
    if (!this.locate(at)) return undefined;
    switch (this.vform) {
      case DW_FORM.ref1:
      case DW_FORM.ref2:
      case DW_FORM.ref4:
      case DW_FORM.ref8:
      case DW_FORM.ref_udata:
        this.unitRelative(this.vpos);
        return this.unit;
      case DW_FORM.ref_addr:
        return this.ctx.unitAt("debug_info", this.refAddr(this.vpos));
      case DW_FORM.ref_sig8:
        return this.signatureUnit(this.vpos);
      default:
        return undefined;
    }
  }

  private unitRelative(p: number): number {
    const r = this.r;
    const rel = this.unitRefValue(this.vform, p);
    const target = this.unit.offset + rel;
    if (target < this.unit.firstDieOffset || target >= this.unitEnd) {
      r.fail("DWARF_REF_OUT_OF_UNIT", p, `reference 0x${rel.toString(16)} is outside its unit`);
    }
    return target;
  }

  private refAddr(p: number): number {
    const u = this.unit;
    const target = this.r.uint(p, u.version <= 2 ? u.addressSize : u.offsetSize);
    if (target >= this.ctx.infoLength) this.r.fail("DWARF_REF_OUT_OF_SECTION", p, `DW_FORM_ref_addr 0x${target.toString(16)} is past the end of .debug_info`);
    return target;
  }

  private signatureUnit(p: number): UnitHeader {
    const sig = this.r.u64big(p);
    const tu = this.ctx.typeUnitBySignature(sig);
    if (tu === undefined) this.r.fail("DWARF_UNKNOWN_SIGNATURE", p, `no type unit has signature 0x${sig.toString(16).padStart(16, "0")}`);
    return tu;
  }

  /** A string: inline, .debug_str, .debug_line_str or through .debug_str_offsets; supplementary-file strings give undefined. */
  str(at: number): string | undefined {
    if (!this.locate(at)) return undefined;
    const r = this.r;
    const p = this.vpos;
    switch (this.vform) {
      case DW_FORM.string:
        return decodeString(this.bytes, p, r.stringEnd(p, this.unitEnd));
      case DW_FORM.strp:
        return this.fromSection(this.ctx.debugStr, "debug_str", r.uint(p, this.unit.offsetSize), p);
      case DW_FORM.line_strp:
        return this.fromSection(this.ctx.debugLineStr, "debug_line_str", r.uint(p, this.unit.offsetSize), p);
      case DW_FORM.strx:
      case DW_FORM.GNU_str_index:
        return this.indexedString(r.uleb(p, this.unitEnd), p);
      case DW_FORM.strx1:
        return this.indexedString(r.u8(p), p);
      case DW_FORM.strx2:
        return this.indexedString(r.u16(p), p);
      case DW_FORM.strx3:
        return this.indexedString(r.u24(p), p);
      case DW_FORM.strx4:
        return this.indexedString(r.u32(p), p);
      default:
        return undefined;
    }
  }

  /**
   * A number naming the string attribute's text without decoding it, for callers that cache per
   * string: 2 × offset for .debug_str (strp, strx*), 2 × offset + 1 for .debug_line_str; -1 for an
   * inline string (DW_FORM_string) or a missing attribute. Equal keys mean equal text.
   */
  strKey(at: number): number {
    if (!this.locate(at)) return -1;
    const r = this.r;
    const p = this.vpos;
    switch (this.vform) {
      case DW_FORM.strp:
        return 2 * r.uint(p, this.unit.offsetSize);
      case DW_FORM.line_strp:
        return 2 * r.uint(p, this.unit.offsetSize) + 1;
      case DW_FORM.strx:
      case DW_FORM.GNU_str_index:
        return 2 * this.indexedOffset(r.uleb(p, this.unitEnd), p);
      case DW_FORM.strx1:
        return 2 * this.indexedOffset(r.u8(p), p);
      case DW_FORM.strx2:
        return 2 * this.indexedOffset(r.u16(p), p);
      case DW_FORM.strx3:
        return 2 * this.indexedOffset(r.u24(p), p);
      case DW_FORM.strx4:
        return 2 * this.indexedOffset(r.u32(p), p);
      default:
        return -1;
    }
  }

  private indexedOffset(index: number, p: number): number {
    return this.ctx.strOffsets.offsetAt(this.unit.strOffsetsBase, index, this.unit.offsetSize, this.r, p);
  }

  private indexedString(index: number, p: number): string {
    return this.fromSection(this.ctx.debugStr, "debug_str", this.indexedOffset(index, p), p);
  }

  private fromSection(section: StringSection | undefined, name: string, offset: number, p: number): string {
    if (section === undefined) this.r.fail("DWARF_MISSING_SECTION", p, `string form needs .${name}, which is missing`);
    return section.get(offset, this.r, p);
  }

  /** An address: DW_FORM_addr, or addrx* / GNU_addr_index through .debug_addr. */
  addr(at: number): bigint | undefined {
    if (!this.locate(at)) return undefined;
    const r = this.r;
    const p = this.vpos;
    switch (this.vform) {
      case DW_FORM.addr:
        return r.address(p, this.unit.addressSize);
      case DW_FORM.addrx:
      case DW_FORM.GNU_addr_index:
        return this.indexedAddress(r.uleb(p, this.unitEnd), p);
      case DW_FORM.addrx1:
        return this.indexedAddress(r.u8(p), p);
      case DW_FORM.addrx2:
        return this.indexedAddress(r.u16(p), p);
      case DW_FORM.addrx3:
        return this.indexedAddress(r.u24(p), p);
      case DW_FORM.addrx4:
        return this.indexedAddress(r.u32(p), p);
      case DW_FORM.LLVM_addrx_offset: {
        const base = this.indexedAddress(r.uleb(p, this.unitEnd), p);
        return BigInt.asUintN(this.unit.addressSize * 8, base + BigInt(r.u32(r.after)));
      }
      default:
        return undefined;
    }
  }

  private indexedAddress(index: number, p: number): bigint {
    const u = this.unit;
    return this.ctx.addresses.addressAt(u.addrBase, index, u.addressSize, this.r, p);
  }

  /** An exprloc or block value, as a view into the section. */
  block(at: number): Uint8Array | undefined {
    if (!this.locate(at)) return undefined;
    const r = this.r;
    const p = this.vpos;
    let start: number;
    let length: number;
    switch (this.vform) {
      case DW_FORM.block1:
        [start, length] = [p + 1, r.u8(p)];
        break;
      case DW_FORM.block2:
        [start, length] = [p + 2, r.u16(p)];
        break;
      case DW_FORM.block4:
        [start, length] = [p + 4, r.u32(p)];
        break;
      case DW_FORM.block:
      case DW_FORM.exprloc:
        length = r.uleb(p, this.unitEnd);
        start = r.after;
        break;
      default:
        return undefined;
    }
    r.need(start, length, this.unitEnd, "block");
    return this.bytes.subarray(start, start + length);
  }

  /**
   * An offset into another section: sec_offset (or data4/data8 before DWARF 4) as is, and
   * rnglistx / loclistx resolved through the unit's .debug_rnglists / .debug_loclists offset table.
   */
  secOffset(at: number): number | undefined {
    if (!this.locate(at)) return undefined;
    const r = this.r;
    const p = this.vpos;
    const u = this.unit;
    switch (this.vform) {
      case DW_FORM.sec_offset:
        return r.uint(p, u.offsetSize);
      case DW_FORM.data4:
        return u.version < 4 ? r.u32(p) : undefined;
      case DW_FORM.data8:
        return u.version < 4 ? r.u64(p) : undefined;
      case DW_FORM.rnglistx:
        return u.rnglistsBase + this.ctx.rnglists.offsetAt(u.rnglistsBase, r.uleb(p, this.unitEnd), u.offsetSize, r, p);
      case DW_FORM.loclistx:
        return u.loclistsBase + this.ctx.loclists.offsetAt(u.loclistsBase, r.uleb(p, this.unitEnd), u.offsetSize, r, p);
      default:
        return undefined;
    }
  }

  private implicitConst(): bigint {
    return this.table.implicitConst![this.vspec];
  }

  private data16Low(p: number): bigint {
    return this.r.u64big(this.r.littleEndian ? p : p + 8);
  }

  private safe(v: bigint, signed: boolean): number {
    if (v > MAX_SAFE || (signed ? v < -MAX_SAFE : v < 0n)) {
      this.r.fail("DWARF_VALUE_TOO_LARGE", this.vpos, `value ${v} does not fit in a number`);
    }
    return Number(v);
  }
}
