// Byte layouts of the ELF structures for both classes, and endian-aware field access over them.
// The reader and the writer share these so that a field is described in exactly one place.

/** A field: byte offset inside its structure and width in bytes (1, 2, 4 or 8). */
export interface Field {
  readonly at: number;
  readonly width: 1 | 2 | 4 | 8;
}

const f = (at: number, width: 1 | 2 | 4 | 8): Field => ({ at, width });

export const EHDR_IDENT_SIZE = 16;

export function ehdrLayout(is64: boolean) {
  return is64
    ? {
        size: 64,
        type: f(16, 2), machine: f(18, 2), version: f(20, 4), entry: f(24, 8), phoff: f(32, 8), shoff: f(40, 8),
        flags: f(48, 4), ehsize: f(52, 2), phentsize: f(54, 2), phnum: f(56, 2), shentsize: f(58, 2), shnum: f(60, 2),
        shstrndx: f(62, 2),
      }
    : {
        size: 52,
        type: f(16, 2), machine: f(18, 2), version: f(20, 4), entry: f(24, 4), phoff: f(28, 4), shoff: f(32, 4),
        flags: f(36, 4), ehsize: f(40, 2), phentsize: f(42, 2), phnum: f(44, 2), shentsize: f(46, 2), shnum: f(48, 2),
        shstrndx: f(50, 2),
      };
}

export function shdrLayout(is64: boolean) {
  return is64
    ? {
        size: 64,
        name: f(0, 4), type: f(4, 4), flags: f(8, 8), addr: f(16, 8), offset: f(24, 8), size_: f(32, 8),
        link: f(40, 4), info: f(44, 4), addralign: f(48, 8), entsize: f(56, 8),
      }
    : {
        size: 40,
        name: f(0, 4), type: f(4, 4), flags: f(8, 4), addr: f(12, 4), offset: f(16, 4), size_: f(20, 4),
        link: f(24, 4), info: f(28, 4), addralign: f(32, 4), entsize: f(36, 4),
      };
}

/** Reads and writes fields of a structure in a byte array, in the file's byte order. */
export class Fields {
  private readonly view: DataView;

  constructor(
    bytes: Uint8Array,
    readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Unsigned value of `field` in the structure that starts at `base`. */
  big(base: number, field: Field): bigint {
    const at = base + field.at;
    switch (field.width) {
      case 1:
        return BigInt(this.view.getUint8(at));
      case 2:
        return BigInt(this.view.getUint16(at, this.littleEndian));
      case 4:
        return BigInt(this.view.getUint32(at, this.littleEndian));
      case 8:
        return this.view.getBigUint64(at, this.littleEndian);
    }
  }

  /** Same as `big` for fields that are at most 32 bits wide. */
  small(base: number, field: Field): number {
    const at = base + field.at;
    switch (field.width) {
      case 1:
        return this.view.getUint8(at);
      case 2:
        return this.view.getUint16(at, this.littleEndian);
      case 4:
        return this.view.getUint32(at, this.littleEndian);
      case 8:
        throw new RangeError("64-bit field read as a small number");
    }
  }

  set(base: number, field: Field, value: bigint | number): void {
    const at = base + field.at;
    const v = BigInt(value);
    switch (field.width) {
      case 1:
        this.view.setUint8(at, Number(v));
        return;
      case 2:
        this.view.setUint16(at, Number(v), this.littleEndian);
        return;
      case 4:
        this.view.setUint32(at, Number(v), this.littleEndian);
        return;
      case 8:
        this.view.setBigUint64(at, v, this.littleEndian);
        return;
    }
  }
}
