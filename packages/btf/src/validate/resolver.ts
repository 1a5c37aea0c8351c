// The state of pass 2 of the kernel's loader (btf_check_all_types): a depth-first walk with an
// explicit stack of at most 32 vertices, a visit state per id, and for every resolved id the
// id it resolves to (through modifiers) and its size. The walk's "resolve mode" decides which
// kinds end a walk (sinks): everything but modifiers and pointers for a pointer walk, everything
// but modifiers, arrays and structs for a struct walk. The rules are the kernel's, including
// its order dependence, because the verdict must be the kernel's.

import { BtfKind } from "../constants.js";
import type { ProblemSink } from "./describe.js";
import { hasSize, isModifierKind, isNoSize, isStructLike, needsResolve } from "./kinds.js";
import type { TypeSpace } from "./space.js";

export const MAX_RESOLVE_DEPTH = 32;

export const Mode = { TBD: 0, PTR: 1, STRUCT_OR_ARRAY: 2 } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

const NOT_VISITED = 0;
const VISITED = 1;
const RESOLVED = 2;

/** Outcome of a resolve step: 0 is success; the others are the kernel's errnos. */
export const Err = { OK: 0, EINVAL: 1, E2BIG: 2, EEXIST: 3 } as const;
export type Err = (typeof Err)[keyof typeof Err];

export class Resolver {
  readonly visit: Uint8Array;
  readonly resolvedIds: Uint32Array;
  readonly resolvedSizes: Uint32Array;
  /** The kernel's start_id: 0 for base BTF, the base's type count for split BTF. */
  readonly startId: number;
  mode: Mode = Mode.TBD as Mode;
  readonly stackIds = new Uint32Array(MAX_RESOLVE_DEPTH);
  readonly stackNext = new Uint16Array(MAX_RESOLVE_DEPTH);
  top = 0;
  /** Size found by the last successful `idSize` call. */
  lastSize = 0;

  constructor(
    readonly s: TypeSpace,
    readonly out: ProblemSink,
    base?: { resolvedIds: Uint32Array; resolvedSizes: Uint32Array },
    /** sizeof(void *) of the kernel that will load the BTF: 8 here, 4 for a 32-bit target's. */
    readonly pointerSize = 8,
  ) {
    this.visit = new Uint8Array(s.count);
    this.resolvedIds = new Uint32Array(s.count);
    this.resolvedSizes = new Uint32Array(s.count);
    this.startId = base ? s.firstId : 0;
    if (base) {
      this.resolvedIds.set(base.resolvedIds.subarray(0, s.firstId));
      this.resolvedSizes.set(base.resolvedSizes.subarray(0, s.firstId));
    }
  }

  kind(id: number): number {
    return this.s.kind(id);
  }

  exists(id: number): boolean {
    return id < this.s.count;
  }

  isResolved(id: number): boolean {
    return id < this.startId || this.visit[id] === RESOLVED;
  }

  /** env_type_is_resolve_sink: whether the walk stops at a type of this kind. */
  isSink(id: number): boolean {
    const k = this.kind(id);
    switch (this.mode) {
      case Mode.TBD:
        return !needsResolve(k);
      case Mode.PTR:
        return !isModifierKind(k) && k !== BtfKind.PTR;
      case Mode.STRUCT_OR_ARRAY:
        return !isModifierKind(k) && k !== BtfKind.ARRAY && !isStructLike(k);
    }
  }

  /** Whether the walk must descend into `id` before the current vertex can finish. */
  mustDescend(id: number): boolean {
    return !this.isSink(id) && !this.isResolved(id);
  }

  push(id: number): Err {
    if (this.top === MAX_RESOLVE_DEPTH) return Err.E2BIG;
    if (id < this.startId || this.visit[id] !== NOT_VISITED) return Err.EEXIST;
    this.visit[id] = VISITED;
    this.stackIds[this.top] = id;
    this.stackNext[this.top] = 0;
    this.top++;
    if (this.mode === Mode.TBD) {
      const k = this.kind(id);
      if (k === BtfKind.PTR) this.mode = Mode.PTR;
      else if (isStructLike(k) || k === BtfKind.ARRAY) this.mode = Mode.STRUCT_OR_ARRAY;
    }
    return Err.OK;
  }

  /** Record where the vertex on top resumes (its next member or DATASEC entry). */
  setNextMember(next: number): void {
    this.stackNext[this.top - 1] = next;
  }

  popResolved(resolvedId: number, resolvedSize: number): Err {
    const id = this.stackIds[--this.top]!;
    this.resolvedIds[id] = resolvedId;
    this.resolvedSizes[id] = resolvedSize;
    this.visit[id] = RESOLVED;
    return Err.OK;
  }

  /**
   * btf_type_id_size: the id whose size `id` has (itself, or what a modifier or VAR resolved
   * to), or -1 when it has no size. The size is left in `lastSize`.
   */
  idSize(id: number): number {
    if (!this.exists(id)) return -1;
    let k = this.kind(id);
    if (isNoSize(k)) return -1;
    if (!hasSize(k) && k !== BtfKind.ARRAY && k !== BtfKind.PTR) {
      if (!isModifierKind(k) && k !== BtfKind.VAR) return -1;
      id = this.resolvedIds[id]!;
      k = this.kind(id);
      if (isNoSize(k)) return -1;
      if (!hasSize(k) && k !== BtfKind.ARRAY && k !== BtfKind.PTR) return -1;
    }
    this.lastSize = hasSize(k) ? this.s.sizeType(id) : k === BtfKind.ARRAY ? this.resolvedSizes[id]! : this.pointerSize;
    return id;
  }

  /** An INT that is not a bitfield: a whole power-of-two number of bytes, up to 16, at offset 0. */
  intIsRegular(id: number): boolean {
    const data = this.s.word(id, 0);
    const bits = data & 0xff;
    const bytes = (bits + 7) >>> 3;
    return (bits & 7) === 0 && ((data >>> 16) & 0xff) === 0 && bytes <= 16 && (bytes & (bytes - 1)) === 0 && bytes !== 0;
  }
}
