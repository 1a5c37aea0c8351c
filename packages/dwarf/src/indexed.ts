// The DWARF 5 sections that forms index into rather than point into: .debug_str_offsets (strx),
// .debug_addr (addrx), .debug_rnglists (rnglistx) and .debug_loclists (loclistx). Each unit's
// entries start at a base its root DIE names; without one, the base is just past the header of
// the section's first contribution (what split units and llvm assume).
import type { ByteReader } from "./reader.js";

export class IndexedSection {
  /**
   * @param headerTail bytes of the contribution header after the initial length
   *   (.debug_addr and .debug_str_offsets: 4; .debug_rnglists and .debug_loclists: 8).
   */
  constructor(
    readonly name: string,
    readonly r: ByteReader | undefined,
    private readonly headerTail: number,
  ) {}

  /** The base a unit without a base attribute uses. */
  defaultBase(): number {
    const r = this.r;
    const is64 = r !== undefined && r.length >= 4 && r.u32(0) === 0xffffffff;
    return (is64 ? 12 : 4) + this.headerTail;
  }

  /** The position of entry `index` of `size` bytes from `base`; `at`/`atPos` locate the form for errors. */
  entry(base: number, index: number, size: number, at: ByteReader, atPos: number): number {
    const r = this.r;
    if (r === undefined) at.fail("DWARF_MISSING_SECTION", atPos, `index ${index} into .${this.name}, which is missing`);
    const pos = base + index * size;
    if (pos + size > r.length) {
      at.fail("DWARF_REF_OUT_OF_SECTION", atPos, `index ${index} (base 0x${base.toString(16)}) is past the end of .${this.name}`);
    }
    return pos;
  }

  /** Entry `index` read as an offset of `size` bytes. */
  offsetAt(base: number, index: number, size: number, at: ByteReader, atPos: number): number {
    // entry() first: it reports a missing section (\`this.r!.uint(this.entry(...))\` would read
    // \`this.r.uint\` before the argument and fail with a TypeError instead).
    const pos = this.entry(base, index, size, at, atPos);
    return this.r!.uint(pos, size);
  }

  /** Entry `index` read as an address of `size` bytes. */
  addressAt(base: number, index: number, size: number, at: ByteReader, atPos: number): bigint {
    const pos = this.entry(base, index, size, at, atPos);
    return this.r!.address(pos, size);
  }
}
