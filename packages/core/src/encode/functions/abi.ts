// Where a target's calling convention puts the first arguments of a function: the DWARF register
// numbers (DW_OP_reg*) of the argument registers in order, and whether an aggregate of two words
// travels in two registers. A BPF trampoline (fentry/fexit) reads arguments from exactly these
// registers, so a parameter found elsewhere on entry makes a FUNC's prototype unsafe to attach to.
//
// Covered: x86-64 (System V), aarch64 and arm (AAPCS), s390x. The argument counts of ppc, ppc64,
// mips, riscv, sparc and arc are known (parameters past them are on the stack), but not their
// registers, so on those targets no parameter is judged to be in an unexpected register: what
// upstream pahole knows, no more.
import { EM } from "@btforge/elf";

export interface CallingConvention {
  /** How many leading arguments travel in registers (0: unknown target, nothing is checked). */
  readonly registerArgs: number;
  /** DW_OP_reg0 + n of each argument register, in argument order; -1 where unknown. */
  readonly argRegisters: readonly number[];
  /** A two-word aggregate is passed in two registers (false on s390x: by reference). */
  readonly aggregatesInTwoRegisters: boolean;
  /** Bytes in an address (and a register). */
  readonly addressSize: number;
}

const DW_OP_REG0 = 0x50;
const reg = (n: number) => DW_OP_REG0 + n;

const X86_64 = [reg(5), reg(4), reg(1), reg(2), reg(8), reg(9)]; // rdi rsi rdx rcx r8 r9
const AAPCS = [reg(0), reg(1), reg(2), reg(3), reg(4), reg(5), reg(6), reg(7)];
const S390X = [reg(2), reg(3), reg(4), reg(5), reg(6)];

/** The convention of ELF machine `machine` for a file whose addresses are `addressSize` bytes. */
export function callingConvention(machine: number, addressSize: number): CallingConvention {
  const unknown = (registerArgs: number): CallingConvention => ({
    registerArgs,
    argRegisters: new Array<number>(registerArgs).fill(-1),
    aggregatesInTwoRegisters: true,
    addressSize,
  });
  switch (machine) {
    case EM.X86_64:
      return { registerArgs: 6, argRegisters: X86_64, aggregatesInTwoRegisters: true, addressSize };
    case EM.AARCH64:
    case EM.ARM:
      return { registerArgs: 8, argRegisters: AAPCS, aggregatesInTwoRegisters: true, addressSize };
    case EM.S390:
      return { registerArgs: 5, argRegisters: S390X, aggregatesInTwoRegisters: false, addressSize };
    case EM.SPARC:
    case SPARCV9:
      return unknown(6);
    case EM.MIPS:
    case EM.PPC:
    case EM.PPC64:
    case EM.RISCV:
    case ARC:
      return unknown(8);
    default:
      return unknown(0);
  }
}

/** ELF machines @btforge/elf does not name. */
const SPARCV9 = 43;
const ARC = 45;
