// Judges one function's parameters against its target's calling convention, the way upstream pahole
// does (dwarf_loader.c: function__analyze_parameter_locations and the pass after it): walking the
// parameters in order with the index of the next argument register, a parameter found in another
// register is "unexpected" (the optimizer moved or dropped something before it), one with no
// location or a constant in its place is "optimized". The function's verdicts follow:
//   optimized parameters — some parameter is optimized out or has no location;
//   unexpected register  — some parameter is in an unexpected register, unless the function takes
//                          a struct (which may span registers and throw the count off).
// clang marks a changed signature itself (DW_CC_nocall); for its other functions each parameter is
// only checked against the registers its own slots may use.
import type { CallingConvention } from "./abi.js";
import { type ParameterLocation, UNKNOWN_REGISTER } from "./parameter-location.js";

export interface ParameterFacts extends ParameterLocation {
  /** DW_AT_const_value instead of a location. */
  hasConstValue: boolean;
  /** Size of the parameter's type in bytes (0 when unknown). */
  byteSize: number;
  /** Wider than the registers an aggregate may use: passed in memory. */
  inMemory: boolean;
  /** Its type is a struct (through const and typedef). */
  isStruct: boolean;
  /** Verdicts of the analysis. */
  optimized: boolean;
  unexpectedRegister: boolean;
  /**
   * An aggregate of which one member alone reaches the function (true_signature): that member's
   * name and BTF type, found by the caller from the pieces' byte offsets.
   */
  member?: { name: string; type: number };
  /** The analysis replaced the aggregate by `member`. */
  memberApplied?: boolean;
}

export interface AnalysisOptions {
  /** The unit was compiled by clang. */
  clang: boolean;
  /** clang changed the calling convention (DW_CC_nocall). */
  signatureChanged: boolean;
  /** true_signature: describe what the binary takes rather than the source prototype. */
  trueSignature: boolean;
}

export interface AnalysisVerdict {
  optimizedParameters: boolean;
  unexpectedRegister: boolean;
}

/** Registers an aggregate parameter occupies. */
function slotsOf(p: ParameterFacts, cc: CallingConvention): number {
  if (!cc.aggregatesInTwoRegisters || p.byteSize <= cc.addressSize) return 1;
  return Math.max(1, Math.ceil(p.byteSize / cc.addressSize));
}

const hasPieces = (p: ParameterFacts) => p.firstRegisterBytes !== 0 || p.secondRegisterBytes !== 0;
const usesWholeAggregate = (p: ParameterFacts) => p.firstRegisterBytes !== 0 && p.secondRegisterBytes !== 0;

/** The parameter after `i` is where it would be if `i` kept all its slots. */
function nextKeepsSlots(params: readonly ParameterFacts[], i: number, reg: number, slots: number, cc: CallingConvention): boolean {
  const next = params[i + 1];
  if (next === undefined || next.register === UNKNOWN_REGISTER) return false;
  const at = reg + slots;
  return at < cc.registerArgs && next.register === cc.argRegisters[at];
}

/** clang, signature unchanged: each parameter in one of the registers its slots may use. */
function checkClangWindows(params: readonly ParameterFacts[], cc: CallingConvention): void {
  let reg = 0;
  for (const p of params) {
    const slots = slotsOf(p, cc);
    if (p.inMemory) continue;
    if (reg >= cc.registerArgs) break;
    if (p.register !== UNKNOWN_REGISTER) {
      let inWindow = false;
      for (let k = 0; k < slots && reg + k < cc.registerArgs; k++) if (p.register === cc.argRegisters[reg + k]) inWindow = true;
      if (!inWindow) p.unexpectedRegister = true;
    }
    reg += slots;
  }
}

/** Marks each parameter optimized / in an unexpected register. */
function checkLocations(params: readonly ParameterFacts[], cc: CallingConvention, o: AnalysisOptions): void {
  const trueSig = o.trueSignature && o.signatureChanged;
  let reg = 0;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    const available = reg < cc.registerArgs;
    const slots = slotsOf(p, cc);
    const expected = available ? cc.argRegisters[reg]! : -1;
    let consumes = true;
    if (p.hasLocation) {
      if (trueSig && p.constant) {
        p.optimized = true;
        consumes = false;
      } else if (!available) {
        consumes = false;
      } else if (trueSig && p.onStack) {
        if (p.inMemory) consumes = false;
        else p.unexpectedRegister = true;
      } else if (p.register === UNKNOWN_REGISTER) {
        if (trueSig) p.unexpectedRegister = true;
        else p.optimized = true;
      } else if (expected >= 0 && expected !== p.register) {
        p.unexpectedRegister = true;
      } else if (trueSig && hasPieces(p)) {
        if (usesWholeAggregate(p)) {
          reg += slots;
          continue;
        }
        if (nextKeepsSlots(params, i, reg, slots, cc)) {
          p.member = undefined;
          reg += slots;
          continue;
        }
        if (p.member !== undefined) {
          p.memberApplied = true;
          reg++;
          continue;
        }
      }
    } else if (p.hasConstValue && !o.clang) {
      p.optimized = true;
    } else if (trueSig) {
      if (available && nextKeepsSlots(params, i, reg, slots, cc)) {
        reg += slots;
        continue;
      }
      p.optimized = true;
      consumes = false;
    }
    if (consumes) reg += p.inMemory ? 1 : slots;
  }
}

/** Analyses `params` (marking each) and returns the function's verdicts. */
export function analyzeParameters(params: readonly ParameterFacts[], cc: CallingConvention, o: AnalysisOptions): AnalysisVerdict {
  if (o.clang && !o.signatureChanged) checkClangWindows(params, cc);
  else checkLocations(params, cc, o);
  let optimizedParameters = false;
  let unexpected = false;
  let takesStruct = false;
  for (const p of params) {
    if (p.optimized || !p.hasLocation) optimizedParameters = true;
    if (p.unexpectedRegister) unexpected = true;
    if (p.isStruct) takesStruct = true;
  }
  return { optimizedParameters, unexpectedRegister: unexpected && !takesStruct };
}
