// What each relocation type does to the bytes of a debug section, per machine: how many bytes it
// writes and whether it is PC-relative. Only "word-sized S + A" kinds are listed, the kinds compilers
// emit in .debug_* sections (addresses, offsets into other debug sections, TLS offsets).
import { EM, R_386, R_AARCH64, R_ARM, R_PPC64, R_RISCV, R_390, R_X86_64 } from "./constants.js";

export interface RelocationKind {
  /** Bytes written at the relocation offset; 0 for a relocation that changes nothing. */
  readonly width: 0 | 1 | 2 | 4 | 8;
  /** Whether the place's own address is subtracted (S + A - P). */
  readonly pcRelative: boolean;
  /**
   * How the value combines with the bytes already there. "set" stores it; RISC-V's linker-relaxation
   * pairs ("add"/"sub") accumulate into the place (a label difference such as DW_AT_high_pc), and
   * the 6-bit forms change only the low 6 bits of a byte (DW_CFA_advance_loc).
   */
  readonly op: "set" | "add" | "sub" | "set6" | "sub6";
}

const kind = (width: RelocationKind["width"], pcRelative = false, op: RelocationKind["op"] = "set"): RelocationKind => ({ width, pcRelative, op });
const NONE = kind(0);

const X86_64 = new Map<number, RelocationKind>([
  [R_X86_64.NONE, NONE],
  [R_X86_64["64"], kind(8)],
  [R_X86_64.PC32, kind(4, true)],
  [R_X86_64["32"], kind(4)],
  [R_X86_64["32S"], kind(4)],
  [R_X86_64["16"], kind(2)],
  [R_X86_64.PC16, kind(2, true)],
  [R_X86_64["8"], kind(1)],
  [R_X86_64.PC8, kind(1, true)],
  // TLS variables' locations (DW_OP_const8u x@dtpoff): the offset inside the TLS block, which in a
  // relocatable object is the symbol's value.
  [R_X86_64.DTPOFF64, kind(8)],
  [R_X86_64.DTPOFF32, kind(4)],
  [R_X86_64.PC64, kind(8, true)],
]);

const I386 = new Map<number, RelocationKind>([
  [R_386.NONE, NONE],
  [R_386["32"], kind(4)],
  [R_386.PC32, kind(4, true)],
  [R_386.TLS_LDO_32, kind(4)],
]);

const AARCH64 = new Map<number, RelocationKind>([
  [R_AARCH64.NONE, NONE],
  [R_AARCH64.NONE_OLD, NONE],
  [R_AARCH64.ABS64, kind(8)],
  [R_AARCH64.ABS32, kind(4)],
  [R_AARCH64.ABS16, kind(2)],
  [R_AARCH64.PREL64, kind(8, true)],
  [R_AARCH64.PREL32, kind(4, true)],
  [R_AARCH64.PREL16, kind(2, true)],
  [R_AARCH64.TLS_DTPREL64, kind(8)],
]);

// 32-bit ARM uses REL: the addend is in the bytes.
const ARM = new Map<number, RelocationKind>([
  [R_ARM.NONE, NONE],
  [R_ARM.ABS32, kind(4)],
  [R_ARM.REL32, kind(4, true)],
  [R_ARM.TLS_LDO32, kind(4)],
]);

const PPC64 = new Map<number, RelocationKind>([
  [R_PPC64.NONE, NONE],
  [R_PPC64.ADDR32, kind(4)],
  [R_PPC64.ADDR64, kind(8)],
  [R_PPC64.REL32, kind(4, true)],
  [R_PPC64.REL64, kind(8, true)],
  [R_PPC64.DTPREL64, kind(8)],
]);

const S390 = new Map<number, RelocationKind>([
  [R_390.NONE, NONE],
  [R_390["8"], kind(1)],
  [R_390["16"], kind(2)],
  [R_390["32"], kind(4)],
  [R_390["64"], kind(8)],
  [R_390.PC32, kind(4, true)],
  [R_390.PC64, kind(8, true)],
]);

const RISCV = new Map<number, RelocationKind>([
  [R_RISCV.NONE, NONE],
  [R_RISCV.RELAX, NONE],
  [R_RISCV["32"], kind(4)],
  [R_RISCV["64"], kind(8)],
  [R_RISCV["32_PCREL"], kind(4, true)],
  [R_RISCV.TLS_DTPREL32, kind(4)],
  [R_RISCV.TLS_DTPREL64, kind(8)],
  [R_RISCV.ADD8, kind(1, false, "add")],
  [R_RISCV.ADD16, kind(2, false, "add")],
  [R_RISCV.ADD32, kind(4, false, "add")],
  [R_RISCV.ADD64, kind(8, false, "add")],
  [R_RISCV.SUB8, kind(1, false, "sub")],
  [R_RISCV.SUB16, kind(2, false, "sub")],
  [R_RISCV.SUB32, kind(4, false, "sub")],
  [R_RISCV.SUB64, kind(8, false, "sub")],
  [R_RISCV.SET6, kind(1, false, "set6")],
  [R_RISCV.SUB6, kind(1, false, "sub6")],
  [R_RISCV.SET8, kind(1)],
  [R_RISCV.SET16, kind(2)],
  [R_RISCV.SET32, kind(4)],
]);

const BY_MACHINE = new Map<number, Map<number, RelocationKind>>([
  [EM.X86_64, X86_64],
  [EM.I386, I386],
  [EM.AARCH64, AARCH64],
  [EM.ARM, ARM],
  [EM.PPC64, PPC64],
  [EM.S390, S390],
  [EM.RISCV, RISCV],
]);

/** Undefined when the type is not known for the machine (or the machine not at all). */
export function relocationKind(machine: number, type: number): RelocationKind | undefined {
  return BY_MACHINE.get(machine)?.get(type);
}
