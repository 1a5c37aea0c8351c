// An append-only list of int32 values in one typed array (doubling growth): the encoder's fixup and
// bookkeeping queues hold millions of entries on a vmlinux, so no object per entry.
export class IntList {
  data: Int32Array;
  length = 0;

  constructor(capacity = 256) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = value;
  }

  clear(): void {
    this.length = 0;
  }
}
