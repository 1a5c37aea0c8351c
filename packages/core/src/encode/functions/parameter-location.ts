// Where a parameter lives when its function is entered, read from its DW_AT_location: the register
// (DW_OP_regN, a DW_OP_bregN value, or DW_OP_entry_value(DW_OP_regN) anywhere in the list), or the
// stack (DW_OP_fbreg), or a constant (the optimizer replaced it). Only the first entry of a location
// list describes the entry point; DW_OP_entry_value names the entry register wherever it appears.
// For aggregates wider than a register, DW_OP_piece tells which bytes came in which register. These
// are the facts upstream pahole reads (dwarf_loader.c, parameter__decode_location) to judge whether
// a BPF trampoline would find each argument where the ABI says it is.
import { DW_AT, DW_OP, type DieCursor, type DwarfFile, decodeExpression, type ExpressionEncoding, ExpressionOps, LocationListWalker, type UnitHeader } from "@btforge/dwarf";

export const UNKNOWN_REGISTER = -1;

const REG0 = DW_OP.reg0;
const REG31 = REG0 + 31;
const BREG0 = DW_OP.breg0;
const BREG31 = BREG0 + 31;
const LIT0 = DW_OP.lit0;
const LIT31 = LIT0 + 31;

const isReg = (op: number) => op >= REG0 && op <= REG31;
const isBreg = (op: number) => op >= BREG0 && op <= BREG31;
const isConst = (op: number) => (op >= LIT0 && op <= LIT31) || op === DW_OP.constu || op === DW_OP.consts;

/** What one parameter's location says about function entry. */
export interface ParameterLocation {
  /** DW_AT_location is present. */
  hasLocation: boolean;
  /** DW_OP_reg* holding it on entry, or UNKNOWN_REGISTER. */
  register: number;
  /** First location is on the stack (DW_OP_fbreg). */
  onStack: boolean;
  /** First location is a constant. */
  constant: boolean;
  /** Byte offsets (bit n: offset n) of an aggregate's pieces in the first and the second register. */
  firstRegisterBytes: number;
  secondRegisterBytes: number;
}

/** The unit facts a location reading needs. */
export interface LocationContext {
  readonly file: DwarfFile;
  readonly addressSize: number;
  readonly aggregatesInTwoRegisters: boolean;
}

const setBit = (mask: number, bit: number) => (bit >= 0 && bit < 31 ? mask | (1 << bit) : mask);

/**
 * Reads DW_AT_location of the formal parameter under `c` into `out`. `byteSize` is the size of the
 * parameter's type (0 when unknown). A location that cannot be decoded ends the reading where it is.
 */
export class ParameterLocationReader {
  private readonly ops = new ExpressionOps();
  private readonly nested = new ExpressionOps();
  private readonly lists = new LocationListWalker();
  private encoding: ExpressionEncoding = { addressSize: 8, offsetSize: 4, version: 5, littleEndian: true };
  private encodingUnit: UnitHeader | undefined;
  /** The parameter being read and its type's size, for `visit` (one bound visitor, no closure per parameter). */
  private out: ParameterLocation | undefined;
  private byteSize = 0;
  private readonly visitor = (bytes: Uint8Array, start: number, end: number, index: number) => this.visit(bytes, start, end, index);

  constructor(private readonly ctx: LocationContext) {}

  read(c: DieCursor, byteSize: number, out: ParameterLocation): void {
    if (!c.has(DW_AT.location)) return;
    out.hasLocation = true;
    const unit = c.unit;
    if (unit !== this.encodingUnit) {
      this.encodingUnit = unit;
      this.encoding = { addressSize: unit.addressSize, offsetSize: unit.offsetSize, version: unit.version, littleEndian: this.ctx.file.littleEndian };
    }
    this.out = out;
    this.byteSize = byteSize;
    this.lists.forEach(this.ctx.file, c, DW_AT.location, this.visitor);
    this.out = undefined;
  }

  /** One entry of the location list; returns true to stop the walk. */
  private visit(bytes: Uint8Array, start: number, end: number, index: number): boolean {
    const out = this.out!;
    const ops = this.ops;
    // An operation libdw cannot read ends its walk of the list: so does ours.
    if (!decodeExpression(bytes, this.encoding, ops, start, end)) return true;
    let n = ops.count;
    if (n === 0) return false;
    const stackValue = ops.op[n - 1] === DW_OP.stack_value;
    if (n === 2 && stackValue) n = 1;
    if (n !== 1) {
      this.multiple(index, this.byteSize, out);
      return false;
    }
    const op = ops.op[0]!;
    if (isReg(op)) {
      if (index === 0) setRegister(out, op);
    } else if (isBreg(op)) {
      if (index === 0 && stackValue) setRegister(out, op - BREG0 + REG0);
    } else if (op === DW_OP.fbreg) {
      if (index === 0) out.onStack = true;
    } else if (isConst(op)) {
      if (index === 0) out.constant = true;
    } else if (op === DW_OP.entry_value || op === DW_OP.GNU_entry_value) {
      const nested = this.nested;
      if (decodeExpression(bytes, this.encoding, nested, ops.blockStart[0]!, ops.blockEnd[0]!) && nested.count === 1 && isReg(nested.op[0]!)) {
        setRegister(out, nested.op[0]!);
      }
    }
    return false;
  }

  /** An expression of several operations: a constant, a register value, or an aggregate in pieces. */
  private multiple(index: number, byteSize: number, out: ParameterLocation): void {
    const ops = this.ops;
    const first = ops.op[0]!;
    if (isConst(first)) {
      if (index === 0) out.constant = true;
      return;
    }
    const word = this.ctx.addressSize;
    if (byteSize <= word || !this.ctx.aggregatesInTwoRegisters) {
      if (index !== 0) return;
      if (isReg(first)) setRegister(out, first);
      else if (isBreg(first) && ops.find(DW_OP.stack_value, DW_OP.stack_value, 1) >= 0) setRegister(out, first - BREG0 + REG0);
      return;
    }
    let offset = 0;
    for (let i = 0; i < ops.count; i++) {
      const op = ops.op[i]!;
      if (op === DW_OP.piece) {
        const size = ops.operand[i]!;
        if (i === 0) {
          // A leading piece with no location: those bytes were optimized away.
          offset = size;
          continue;
        }
        if (offset < word) out.firstRegisterBytes = setBit(out.firstRegisterBytes, offset);
        else out.secondRegisterBytes = setBit(out.secondRegisterBytes, offset - word);
        offset += size;
      } else if (isReg(op)) {
        setRegister(out, op);
      }
    }
  }
}

function setRegister(out: ParameterLocation, reg: number): void {
  if (out.register === UNKNOWN_REGISTER) out.register = reg;
}
