// Canonical candidates by hash: a chained multimap from a 32-bit hash to type ids, in typed
// arrays. Each id is added at most once (when it becomes canonical), so the chain links live in
// one array indexed by id. Candidates come back oldest first, which makes "the first equal
// candidate" — and so the whole output — independent of anything but the input order.

export class HashIndex {
  private readonly mask: number;
  private readonly head: Int32Array;
  private readonly tail: Int32Array;
  private readonly next: Int32Array;
  private readonly hashOf: Int32Array;

  constructor(idCount: number) {
    let cap = 1024;
    while (cap < idCount * 2) cap *= 2;
    this.mask = cap - 1;
    this.head = new Int32Array(cap);
    this.tail = new Int32Array(cap);
    this.next = new Int32Array(idCount);
    this.hashOf = new Int32Array(idCount);
  }

  /** Adds canonical type `id` (never 0) under `hash`. */
  add(id: number, hash: number): void {
    const slot = hash & this.mask;
    this.hashOf[id] = hash;
    const last = this.tail[slot]!;
    if (last === 0) this.head[slot] = id;
    else this.next[last] = id;
    this.tail[slot] = id;
  }

  /** The first candidate under `hash`, or 0. */
  first(hash: number): number {
    return this.skip(this.head[hash & this.mask]!, hash);
  }

  /** The candidate after `id` under the same hash, or 0. */
  after(id: number, hash: number): number {
    return this.skip(this.next[id]!, hash);
  }

  private skip(id: number, hash: number): number {
    while (id !== 0 && this.hashOf[id] !== hash) id = this.next[id]!;
    return id;
  }
}

/** Mixes one 32-bit value into a running hash (multiply-xorshift; only needs to spread well). */
export function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return h ^ (h >>> 15);
}
