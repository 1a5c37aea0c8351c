// The location expressions of a DW_AT_location (or any loclist-class attribute): one expression
// for an exprloc or block form, else every entry of the location list it points to, in list order
// (.debug_loc before DWARF 5, .debug_loclists from DWARF 5; base-address and view entries are not
// locations and are passed over). Address ranges are not computed: callers that ask where a value
// lives on entry need the entries' order, not their addresses.
import { DW_FORM } from "./constants/index.js";
import type { DieCursor } from "./cursor.js";
import type { DwarfFile } from "./file.js";

/** DW_LLE_* entry kinds of .debug_loclists (and GCC's view pair). */
const LLE = {
  end_of_list: 0x00,
  base_addressx: 0x01,
  startx_endx: 0x02,
  startx_length: 0x03,
  offset_pair: 0x04,
  default_location: 0x05,
  base_address: 0x06,
  start_end: 0x07,
  start_length: 0x08,
  GNU_view_pair: 0x09,
} as const;

/** "ok": every entry was visited (or the visitor stopped); "invalid": the list runs past its section or has an unknown entry. */
export type LocationListStatus = "ok" | "absent" | "invalid";

/**
 * Called with each expression, as `bytes[start, end)` (no view is made per entry), and its position
 * among the list's locations.
 */
export type LocationVisitor = (bytes: Uint8Array, start: number, end: number, index: number) => boolean | void;

/**
 * Walks location lists; one walker reuses its reader from list to list (not re-entrant: a visitor
 * must not start another walk on the same walker).
 */
export class LocationListWalker {
  private readonly r = new ListReader();

  /**
   * Visits the location expressions of attribute `at` of the cursor's current DIE. The visitor
   * returns true to stop early.
   */
  forEach(file: DwarfFile, c: DieCursor, at: number, visit: LocationVisitor): LocationListStatus {
    const form = c.form(at);
    if (form === undefined) return "absent";
    if (form === DW_FORM.exprloc || form === DW_FORM.block || form === DW_FORM.block1 || form === DW_FORM.block2 || form === DW_FORM.block4) {
      const block = c.block(at)!;
      visit(block, 0, block.length, 0);
      return "ok";
    }
    const offset = c.secOffset(at);
    if (offset === undefined) return "invalid";
    const unit = c.unit;
    const section = unit.version >= 5 ? file.sections.debug_loclists : file.sections.debug_loc;
    if (section === undefined) return "invalid";
    this.r.reset(section, offset, file.littleEndian);
    return unit.version >= 5 ? walkLoclists(this.r, section, unit.addressSize, visit) : walkLoc(this.r, section, unit.addressSize, visit);
  }
}

/** The location expressions of attribute `at` of the cursor's current DIE (see LocationListWalker). */
export function forEachLocationExpression(file: DwarfFile, c: DieCursor, at: number, visit: LocationVisitor): LocationListStatus {
  return new LocationListWalker().forEach(file, c, at, visit);
}

class ListReader {
  bad = false;
  b: Uint8Array = new Uint8Array(0);
  pos = 0;
  private le = true;

  reset(b: Uint8Array, pos: number, le: boolean): void {
    this.b = b;
    this.pos = pos;
    this.le = le;
    this.bad = pos > b.length;
  }

  u(size: number): number {
    if (this.pos + size > this.b.length) return this.fail();
    let v = 0;
    for (let i = 0; i < size; i++) v += this.b[this.le ? this.pos + i : this.pos + size - 1 - i]! * 2 ** (8 * i);
    this.pos += size;
    return v;
  }

  /** An address, as "all ones" or not and zero or not: all a .debug_loc walk needs. */
  address(size: number): "zero" | "max" | "other" {
    if (this.pos + size > this.b.length) {
      this.fail();
      return "zero";
    }
    let zero = true;
    let max = true;
    for (let i = 0; i < size; i++) {
      const byte = this.b[this.pos + i]!;
      if (byte !== 0) zero = false;
      if (byte !== 0xff) max = false;
    }
    this.pos += size;
    return zero ? "zero" : max ? "max" : "other";
  }

  uleb(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.b.length) return this.fail();
      const byte = this.b[this.pos++]!;
      v += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return v;
    }
  }

  /** Skips `length` bytes; returns where they start, or -1 past the end. */
  bytes(length: number): number {
    if (this.pos + length > this.b.length) {
      this.fail();
      return -1;
    }
    const start = this.pos;
    this.pos += length;
    return start;
  }

  private fail(): number {
    this.bad = true;
    this.pos = this.b.length;
    return 0;
  }
}

/** DWARF 2–4 .debug_loc: (begin, end) address pairs, 2-byte expression lengths. */
function walkLoc(r: ListReader, section: Uint8Array, addressSize: number, visit: LocationVisitor): LocationListStatus {
  let index = 0;
  while (!r.bad) {
    const begin = r.address(addressSize);
    const end = r.address(addressSize);
    if (r.bad) break;
    if (begin === "zero" && end === "zero") return "ok";
    if (begin === "max") continue; // base address selection
    const length = r.u(2);
    const start = r.bytes(length);
    if (start < 0) break;
    if (visit(section, start, start + length, index++) === true) return "ok";
  }
  return "invalid";
}

/** DWARF 5 .debug_loclists: DW_LLE_* entries, ULEB128 expression lengths. */
function walkLoclists(r: ListReader, section: Uint8Array, addressSize: number, visit: LocationVisitor): LocationListStatus {
  let index = 0;
  while (!r.bad) {
    const kind = r.u(1);
    if (r.bad) break;
    switch (kind) {
      case LLE.end_of_list:
        return "ok";
      case LLE.base_addressx:
        r.uleb();
        continue;
      case LLE.base_address:
        r.u(addressSize);
        continue;
      case LLE.GNU_view_pair:
        r.uleb();
        r.uleb();
        continue;
      case LLE.startx_endx:
      case LLE.startx_length:
      case LLE.offset_pair:
        r.uleb();
        r.uleb();
        break;
      case LLE.default_location:
        break;
      case LLE.start_end:
        r.u(addressSize);
        r.u(addressSize);
        break;
      case LLE.start_length:
        r.u(addressSize);
        r.uleb();
        break;
      default:
        return "invalid";
    }
    const length = r.uleb();
    const start = r.bytes(length);
    if (start < 0 || r.bad) break;
    if (visit(section, start, start + length, index++) === true) return "ok";
  }
  return "invalid";
}
