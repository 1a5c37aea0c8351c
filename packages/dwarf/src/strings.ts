// Strings stay bytes until asked for. .debug_str and .debug_line_str strings are decoded once
// and cached by offset (the same name is shared by many DIEs); inline strings are decoded each time.
import type { ByteReader } from "./reader.js";

const utf8 = new TextDecoder("utf-8");
/** Below this length an ASCII string is built with fromCharCode, which beats TextDecoder's call cost. */
const SHORT_STRING = 64;

/** Decodes bytes[start, end) as UTF-8, with a fast path for short ASCII (nearly every C name). */
export function decodeString(bytes: Uint8Array, start: number, end: number): string {
  if (end - start <= SHORT_STRING) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (bytes[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes.subarray(start, end) as unknown as number[]);
  }
  return utf8.decode(bytes.subarray(start, end));
}

/** A string section (.debug_str, .debug_line_str) read by offset. */
export class StringSection {
  private readonly cache = new Map<number, string>();

  constructor(private readonly r: ByteReader) {}

  /** The string at `offset`; `at` is where the offset was read, for the error if it is bad. */
  get(offset: number, at: ByteReader, atPos: number): string {
    let s = this.cache.get(offset);
    if (s === undefined) {
      if (offset >= this.r.length) {
        at.fail("DWARF_REF_OUT_OF_SECTION", atPos, `string offset 0x${offset.toString(16)} is past the end of .${this.r.section}`);
      }
      const end = this.r.stringEnd(offset, this.r.length);
      s = decodeString(this.r.bytes, offset, end);
      this.cache.set(offset, s);
    }
    return s;
  }
}
