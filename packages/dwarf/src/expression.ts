// The operations of a DWARF expression (DW_OP_*), decoded into reusable columns: each operation's
// code, its first two operands and, for operations that carry a nested expression or bytes
// (DW_OP_entry_value, DW_OP_implicit_value, DW_OP_const_type), where those bytes are. Nothing is
// evaluated: callers ask questions of the shape (which register holds a parameter on entry, is it
// on the stack, a constant, in pieces). Operands are plain numbers; a LEB128 value above 2^53 loses
// precision, which none of those questions needs. An operation this decoder does not know makes
// the whole expression unreadable, as it is for libdw: the answer is "unknown", never an error.
import { DW_OP } from "./constants/index.js";

/** What sizes an expression's operands take: the unit's address and offset sizes and DWARF version. */
export interface ExpressionEncoding {
  readonly addressSize: number;
  readonly offsetSize: 4 | 8;
  readonly version: number;
  readonly littleEndian: boolean;
}

/**
 * An operand's encoding: fixed-size unsigned (u1…u8) or signed (s1…s8), LEB128, the unit's address
 * size, a .debug_info offset (ref), or the bytes of a nested block whose length the previous
 * operand gave (block).
 */
type Operand = "u1" | "s1" | "u2" | "s2" | "u4" | "s4" | "u8" | "s8" | "uleb" | "sleb" | "address" | "ref" | "block";

/** The operands of each known opcode; undefined for opcodes this decoder does not know. */
const OPERANDS: readonly (readonly Operand[] | undefined)[] = (() => {
  const t: (readonly Operand[] | undefined)[] = new Array(256).fill(undefined);
  const set = (operands: readonly Operand[], ...ops: number[]) => ops.forEach((op) => (t[op] = operands));
  const range = (operands: readonly Operand[], from: number, to: number) => {
    for (let op = from; op <= to; op++) t[op] = operands;
  };
  // Operations without operands: stack and arithmetic ops, comparisons, lit*, reg*, and the rest below.
  range([], DW_OP.dup, DW_OP.xderef);
  range([], DW_OP.abs, DW_OP.xor);
  range([], DW_OP.eq, DW_OP.ne);
  range([], 0x30, 0x6f);
  set([], DW_OP.deref, DW_OP.nop, DW_OP.push_object_address, DW_OP.form_tls_address, DW_OP.call_frame_cfa, DW_OP.stack_value,
    DW_OP.GNU_push_tls_address, DW_OP.APPLE_uninit);
  range(["sleb"], 0x70, 0x8f); // breg0…breg31
  set(["address"], DW_OP.addr);
  set(["u1"], DW_OP.const1u, DW_OP.pick, DW_OP.deref_size, DW_OP.xderef_size);
  set(["s1"], DW_OP.const1s);
  set(["u2"], DW_OP.const2u, DW_OP.call2);
  set(["s2"], DW_OP.const2s, DW_OP.bra, DW_OP.skip);
  set(["u4"], DW_OP.const4u, DW_OP.call4, DW_OP.GNU_parameter_ref);
  set(["s4"], DW_OP.const4s);
  set(["u8"], DW_OP.const8u);
  set(["s8"], DW_OP.const8s);
  set(["uleb"], DW_OP.constu, DW_OP.plus_uconst, DW_OP.regx, DW_OP.piece, DW_OP.addrx, DW_OP.constx, DW_OP.convert,
    DW_OP.reinterpret, DW_OP.GNU_convert, DW_OP.GNU_reinterpret, DW_OP.GNU_addr_index, DW_OP.GNU_const_index);
  set(["sleb"], DW_OP.consts, DW_OP.fbreg);
  set(["uleb", "sleb"], DW_OP.bregx);
  set(["uleb", "uleb"], DW_OP.bit_piece, DW_OP.regval_type, DW_OP.GNU_regval_type);
  set(["uleb", "block"], DW_OP.implicit_value, DW_OP.entry_value, DW_OP.GNU_entry_value);
  set(["uleb", "u1", "block"], DW_OP.const_type, DW_OP.GNU_const_type);
  set(["u1", "uleb"], DW_OP.deref_type, DW_OP.xderef_type, DW_OP.GNU_deref_type);
  set(["ref"], DW_OP.call_ref, DW_OP.GNU_variable_value);
  set(["ref", "sleb"], DW_OP.implicit_pointer, DW_OP.GNU_implicit_pointer);
  return t;
})();

const FIXED: Partial<Record<Operand, [size: number, signed: boolean]>> = {
  u1: [1, false], s1: [1, true], u2: [2, false], s2: [2, true], u4: [4, false], s4: [4, true], u8: [8, false], s8: [8, true],
};

/** One decoded expression, as columns reused from one decode to the next. */
export class ExpressionOps {
  /** The reader decodeExpression uses (kept here so decoding allocates nothing). */
  readonly reader = new Bytes();
  /** How many operations the last decode produced. */
  count = 0;
  op = new Uint8Array(16);
  operand = new Float64Array(16);
  operand2 = new Float64Array(16);
  /** Byte range (positions in the bytes handed to decodeExpression) of a nested block; -1 when there is none. */
  blockStart = new Int32Array(16);
  blockEnd = new Int32Array(16);

  /** Position of an operation whose code is in [from, to], at or after `start`; -1 when none. */
  find(from: number, to: number, start = 0): number {
    for (let i = start; i < this.count; i++) if (this.op[i]! >= from && this.op[i]! <= to) return i;
    return -1;
  }

  push(op: number, a: number, b: number, blockStart: number, blockEnd: number): void {
    if (this.count === this.op.length) this.grow();
    const i = this.count++;
    this.op[i] = op;
    this.operand[i] = a;
    this.operand2[i] = b;
    this.blockStart[i] = blockStart;
    this.blockEnd[i] = blockEnd;
  }

  private grow(): void {
    const n = this.op.length * 2;
    const copy = <T extends Uint8Array | Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.op = copy(this.op, (k) => new Uint8Array(k));
    this.operand = copy(this.operand, (k) => new Float64Array(k));
    this.operand2 = copy(this.operand2, (k) => new Float64Array(k));
    this.blockStart = copy(this.blockStart, (k) => new Int32Array(k));
    this.blockEnd = copy(this.blockEnd, (k) => new Int32Array(k));
  }
}

/** A little cursor over expression bytes that reports running off the end instead of throwing. */
class Bytes {
  pos = 0;
  bad = false;
  b: Uint8Array = new Uint8Array(0);
  end = 0;
  le = true;

  reset(b: Uint8Array, start: number, end: number, le: boolean): void {
    this.b = b;
    this.pos = start;
    this.end = end;
    this.le = le;
    this.bad = false;
  }

  u(size: number): number {
    if (this.pos + size > this.end) return this.fail();
    let v = 0;
    for (let i = 0; i < size; i++) {
      const byte = this.b[this.le ? this.pos + i : this.pos + size - 1 - i]!;
      v += byte * 2 ** (8 * i);
    }
    this.pos += size;
    return v;
  }

  s(size: number): number {
    const v = this.u(size);
    const limit = 2 ** (8 * size - 1);
    return v >= limit ? v - 2 * limit : v;
  }

  uleb(): number {
    return this.leb(false);
  }

  sleb(): number {
    return this.leb(true);
  }

  private leb(signed: boolean): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.end) return this.fail();
      const byte = this.b[this.pos++]!;
      v += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return signed && byte & 0x40 ? v - scale : v;
    }
  }

  skip(n: number): void {
    if (this.pos + n > this.end) this.fail();
    else this.pos += n;
  }

  private fail(): number {
    this.bad = true;
    this.pos = this.end;
    return 0;
  }
}

/**
 * Decodes `expr[start, end)` into `out`. Returns false when an operation is unknown or runs past
 * the end (then `out` holds the operations before it).
 */
export function decodeExpression(expr: Uint8Array, encoding: ExpressionEncoding, out: ExpressionOps, start = 0, end = expr.length): boolean {
  out.count = 0;
  const r = out.reader;
  r.reset(expr, start, end, encoding.littleEndian);
  const refAddrSize = encoding.version <= 2 ? encoding.addressSize : encoding.offsetSize;
  while (r.pos < end) {
    const op = expr[r.pos++]!;
    const operands = OPERANDS[op];
    if (operands === undefined) return false;
    // The first two operands are kept; a block is the bytes after them, its length the one before.
    let a = 0;
    let b = 0;
    let blockStart = -1;
    let blockEnd = -1;
    for (let k = 0; k < operands.length; k++) {
      const kind = operands[k]!;
      let v: number;
      if (kind === "block") {
        blockStart = r.pos;
        r.skip(k === 1 ? a : b);
        blockEnd = r.pos;
        continue;
      }
      const fixed = FIXED[kind];
      if (fixed) v = fixed[1] ? r.s(fixed[0]) : r.u(fixed[0]);
      else if (kind === "uleb") v = r.uleb();
      else if (kind === "sleb") v = r.sleb();
      else v = r.u(kind === "address" ? encoding.addressSize : refAddrSize);
      if (k === 0) a = v;
      else if (k === 1) b = v;
    }
    if (r.bad) return false;
    out.push(op, a, b, blockStart, blockEnd);
  }
  return true;
}
