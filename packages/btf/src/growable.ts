// Append-only typed-array buffers. Growth doubles the capacity, so appending n values costs
// O(n) copies in total; callers read `data` directly (valid up to `length`) on hot paths.

export class GrowableU32 {
  data: Uint32Array;
  length = 0;

  constructor(initialCapacity = 64) {
    this.data = new Uint32Array(Math.max(initialCapacity, 4));
  }

  /** Make room for `extra` more values without further reallocation. */
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint32Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  push(value: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = value;
  }

  pushAll(values: ArrayLike<number>): void {
    this.reserve(values.length);
    if (values instanceof Uint32Array) {
      this.data.set(values, this.length);
      this.length += values.length;
      return;
    }
    for (let i = 0; i < values.length; i++) this.data[this.length++] = values[i]!;
  }

  /** A view of the values written so far (shares memory until the next growth). */
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

export class GrowableBytes {
  data: Uint8Array;
  length = 0;

  constructor(initialCapacity = 256) {
    this.data = new Uint8Array(Math.max(initialCapacity, 16));
  }

  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  pushBytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.data.set(bytes, this.length);
    this.length += bytes.length;
  }

  pushByte(b: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = b;
  }

  view(): Uint8Array {
    return this.data.subarray(0, this.length);
  }
}
