// A byte cursor over one section: fixed-size integers in the file's byte order, LEB128 and
// NUL-terminated strings. No object is made per read: variable-length reads leave the position
// just past what they read in `after`.
import { type DwarfErrorCode, type ErrorContext, dwarfError } from "./errors.js";

/** No 64-bit value takes more than ten LEB128 bytes; a longer one is corrupt, not padding. */
const MAX_LEB128_BYTES = 10;

export class ByteReader implements ErrorContext {
  readonly view: DataView;
  /** Position just past the last LEB128 read. */
  after = 0;
  /** Context for errors, set by the unit and DIE walkers. */
  unit: number | undefined = undefined;
  die: number | undefined = undefined;

  constructor(
    readonly bytes: Uint8Array,
    readonly section: string,
    readonly littleEndian: boolean,
    readonly file: string | undefined,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Another reader over the same bytes, with its own error context and LEB128 state. */
  fork(): ByteReader {
    return new ByteReader(this.bytes, this.section, this.littleEndian, this.file);
  }

  get length(): number {
    return this.bytes.length;
  }

  fail(code: DwarfErrorCode, offset: number, detail: string): never {
    throw dwarfError(code, this, offset, detail);
  }

  /** Checks that `size` bytes at `pos` lie before `limit` (a unit end or the section end). */
  need(pos: number, size: number, limit: number, what: string): void {
    if (pos < 0 || pos + size > limit) {
      this.fail("DWARF_UNEXPECTED_END", pos, `${what} (${size} bytes) runs past the end at 0x${limit.toString(16)}`);
    }
  }

  u8(pos: number): number {
    return this.bytes[pos];
  }
  u16(pos: number): number {
    return this.view.getUint16(pos, this.littleEndian);
  }
  u24(pos: number): number {
    const b = this.bytes;
    return this.littleEndian
      ? b[pos] | (b[pos + 1] << 8) | (b[pos + 2] << 16)
      : (b[pos] << 16) | (b[pos + 1] << 8) | b[pos + 2];
  }
  u32(pos: number): number {
    return this.view.getUint32(pos, this.littleEndian);
  }
  u64big(pos: number): bigint {
    return this.view.getBigUint64(pos, this.littleEndian);
  }
  /** A 64-bit value as a number; throws when it is above 2^53 rather than losing bits. */
  u64(pos: number): number {
    const lo = this.view.getUint32(pos + (this.littleEndian ? 0 : 4), this.littleEndian);
    const hi = this.view.getUint32(pos + (this.littleEndian ? 4 : 0), this.littleEndian);
    if (hi > 0x1fffff) this.fail("DWARF_VALUE_TOO_LARGE", pos, `64-bit value 0x${this.u64big(pos).toString(16)} is above 2^53`);
    return hi * 0x100000000 + lo;
  }
  /** An unsigned integer of 1, 2, 3, 4 or 8 bytes. */
  uint(pos: number, size: number): number {
    switch (size) {
      case 1:
        return this.bytes[pos];
      case 2:
        return this.u16(pos);
      case 3:
        return this.u24(pos);
      case 4:
        return this.u32(pos);
      default:
        return this.u64(pos);
    }
  }
  /** A signed integer of 1, 2, 4 or 8 bytes. */
  sint(pos: number, size: number): number {
    switch (size) {
      case 1:
        return this.view.getInt8(pos);
      case 2:
        return this.view.getInt16(pos, this.littleEndian);
      case 4:
        return this.view.getInt32(pos, this.littleEndian);
      default: {
        const v = this.view.getBigInt64(pos, this.littleEndian);
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
          this.fail("DWARF_VALUE_TOO_LARGE", pos, `64-bit value ${v} does not fit in a number`);
        }
        return Number(v);
      }
    }
  }
  /** An unsigned integer of 1, 2, 4 or 8 bytes as a bigint. */
  uintBig(pos: number, size: number): bigint {
    return size === 8 ? this.u64big(pos) : BigInt(this.uint(pos, size));
  }
  /** A target address of 1, 2, 4 or 8 bytes. */
  address(pos: number, size: number): bigint {
    return this.uintBig(pos, size);
  }

  uleb(pos: number, limit: number): number {
    if (pos < limit) {
      const x = this.bytes[pos];
      if (x < 0x80) {
        this.after = pos + 1;
        return x;
      }
    }
    return this.ulebSlow(pos, limit);
  }

  private ulebSlow(pos: number, limit: number): number {
    const b = this.bytes;
    let result = 0;
    let scale = 1;
    let p = pos;
    for (let i = 0; ; i++) {
      if (p >= limit) this.fail("DWARF_UNEXPECTED_END", pos, "LEB128 runs past the end");
      if (i === MAX_LEB128_BYTES) this.fail("DWARF_BAD_LEB128", pos, "LEB128 longer than 10 bytes");
      const x = b[p++];
      result += (x & 0x7f) * scale;
      if (x < 0x80) break;
      scale *= 128;
    }
    if (result > Number.MAX_SAFE_INTEGER) this.fail("DWARF_VALUE_TOO_LARGE", pos, "LEB128 value is above 2^53");
    this.after = p;
    return result;
  }

  sleb(pos: number, limit: number): number {
    const b = this.bytes;
    let result = 0;
    let scale = 1;
    let p = pos;
    for (let i = 0; ; i++) {
      if (p >= limit) this.fail("DWARF_UNEXPECTED_END", pos, "LEB128 runs past the end");
      if (i === MAX_LEB128_BYTES) this.fail("DWARF_BAD_LEB128", pos, "LEB128 longer than 10 bytes");
      const x = b[p++];
      result += (x & 0x7f) * scale;
      scale *= 128;
      if (x < 0x80) {
        if (x & 0x40) result -= scale;
        break;
      }
    }
    if (!Number.isSafeInteger(result)) this.fail("DWARF_VALUE_TOO_LARGE", pos, "LEB128 value does not fit in a number");
    this.after = p;
    return result;
  }

  ulebBig(pos: number, limit: number): bigint {
    return BigInt.asUintN(64, this.lebBig(pos, limit, false));
  }

  slebBig(pos: number, limit: number): bigint {
    return BigInt.asIntN(64, this.lebBig(pos, limit, true));
  }

  private lebBig(pos: number, limit: number, signed: boolean): bigint {
    const b = this.bytes;
    let result = 0n;
    let shift = 0n;
    let p = pos;
    for (let i = 0; ; i++) {
      if (p >= limit) this.fail("DWARF_UNEXPECTED_END", pos, "LEB128 runs past the end");
      if (i === MAX_LEB128_BYTES) this.fail("DWARF_BAD_LEB128", pos, "LEB128 longer than 10 bytes");
      const x = b[p++];
      result |= BigInt(x & 0x7f) << shift;
      shift += 7n;
      if (x < 0x80) {
        if (signed && x & 0x40) result -= 1n << shift;
        break;
      }
    }
    this.after = p;
    return result;
  }

  /** The position just past a LEB128, without decoding it. */
  skipLeb(pos: number, limit: number): number {
    const b = this.bytes;
    const stop = Math.min(limit, pos + MAX_LEB128_BYTES);
    for (let p = pos; p < stop; p++) if (b[p] < 0x80) return p + 1;
    if (stop === limit) this.fail("DWARF_UNEXPECTED_END", pos, "LEB128 runs past the end");
    return this.fail("DWARF_BAD_LEB128", pos, "LEB128 longer than 10 bytes");
  }

  /** The position of the NUL that ends the string at `pos`. */
  stringEnd(pos: number, limit: number): number {
    const end = this.bytes.indexOf(0, pos);
    if (end < 0 || end >= limit) this.fail("DWARF_UNEXPECTED_END", pos, "string has no NUL before the end");
    return end;
  }
}
