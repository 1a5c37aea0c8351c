// The whole-program half of the functions feature: every unit's states of one function are weighed
// together (upstream pahole's btf_encoder__add_saved_funcs), and each function gets one FUNC or a
// reason for none.
//   - The definition described is the one whose code the ELF symbol points at (a strong definition
//     over a weak one the linker set aside, a function over an abstract instance).
//   - consistent_func: no FUNC when units disagree on the prototype, when a parameter is in a
//     register the ABI does not give it, when a packed struct travels on the stack, or when the
//     name's symbols lie at several addresses (two static functions, a function and its clone).
//   - optimized_func: no FUNC when the described definition is an optimized copy (.isra,
//     .constprop) missing parameters, or one whose parameters the copy reordered.
//   - true_signature: an optimized copy gets a FUNC of its own, named by its symbol, with the
//     parameters it really takes.
// Which state of a function is compared with which follows pahole exactly (the first state against
// each later one), so the verdicts are the ones its kernel builds get.
import type { BtfTable } from "@btforge/btf";
import { hasSuffix, isOptimizedCopy } from "./clones.js";
import type { ElfFunction, ElfFunctions } from "./elf-functions.js";
import { prototypeMismatch } from "./prototype-match.js";
import { type FunctionState, type StateParam, StateFlag } from "./unit-functions.js";

export type SelectionSkip = "inconsistent" | "unexpected-register" | "uncertain-location" | "reordered" | "optimized-parameters" | "ambiguous-address";

export interface SelectionFeatures {
  readonly consistentFunc: boolean;
  readonly optimizedFunc: boolean;
  readonly trueSignature: boolean;
}

/** One FUNC to emit. */
export interface SelectedFunction {
  /** The FUNC's name: the function's, or (true_signature) its copy's symbol. */
  readonly name: string;
  readonly state: FunctionState;
  readonly params: readonly StateParam[];
  /** The ELF function it stands for (kfunc flags are looked up by its name). */
  readonly function: string;
}

export interface Selection {
  readonly functions: SelectedFunction[];
  /** Functions left out, by reason (one reason per function: the last check that failed, as pahole reports). */
  readonly skipped: Partial<Record<SelectionSkip, number>>;
  /** Names left out and why (filled when tracing). */
  readonly trace: string[];
}

/** Flags combined over states[0..j] (pahole shares them forward as it compares). */
interface Combined {
  unexpected: boolean;
  uncertain: boolean;
  reordered: boolean;
  inconsistent: boolean;
  why: string | undefined;
}

const has = (s: FunctionState, flag: number) => (s.flags & flag) !== 0;

/** Weighs every function's states; `states` in unit order. */
export function selectFunctions(states: readonly FunctionState[], elf: ElfFunctions, table: BtfTable, features: SelectionFeatures, tracing: boolean): Selection {
  const byName = new Map<string, FunctionState[]>();
  for (const s of states) {
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
  }
  // By name, as pahole emits them (for ASCII identifiers, code unit order is strcmp's).
  const names = [...byName.keys()].sort();
  const functions: SelectedFunction[] = [];
  const skipped: Partial<Record<SelectionSkip, number>> = {};
  const trace: string[] = [];
  for (const name of names) {
    const group = byName.get(name)!;
    const fn = elf.get(name);
    const prefix = combine(group, table);
    const last = prefix[prefix.length - 1]!;
    if (features.trueSignature && fn) {
      const copy = trueSignatureState(group, prefix, fn);
      if (copy) {
        functions.push({ name: copy.symbol, state: copy.state, params: copy.state.params, function: name });
        continue;
      }
    }
    const canonical = fn ? canonicalState(group, fn, elf, features) : group[0]!;
    let reason: SelectionSkip | undefined;
    const first = prefix[0]!;
    // The checks in pahole's order; the last that fails is the reason given.
    if (features.consistentFunc && last.unexpected) reason = "unexpected-register";
    if (features.consistentFunc && last.inconsistent) reason = "inconsistent";
    if (features.consistentFunc && last.uncertain) reason = "uncertain-location";
    if (features.optimizedFunc && last.reordered) reason = "reordered";
    if (features.optimizedFunc && fn && skipsOptimized(canonical, fn, features)) reason = "optimized-parameters";
    if (features.consistentFunc && fn?.ambiguousAddress) reason = "ambiguous-address";
    if (reason) {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      if (tracing) trace.push(`skipped ${name}: ${reason}${reason === "inconsistent" && first.why ? ` (${first.why})` : ""}`);
      continue;
    }
    functions.push({ name, state: canonical, params: canonical.params, function: name });
  }
  return { functions, skipped, trace };
}

/** The combined verdicts after each state, comparing the first state's prototype with each later one. */
function combine(group: readonly FunctionState[], table: BtfTable): Combined[] {
  const a = group[0]!;
  const acc: Combined = {
    unexpected: has(a, StateFlag.UNEXPECTED_REGISTER),
    uncertain: has(a, StateFlag.UNCERTAIN_LOCATION),
    reordered: has(a, StateFlag.REORDERED),
    inconsistent: false,
    why: undefined,
  };
  // Groups of one (most functions) need no comparing.
  const out: Combined[] = [{ ...acc }];
  for (let j = 1; j < group.length; j++) {
    const b = group[j]!;
    acc.unexpected ||= has(b, StateFlag.UNEXPECTED_REGISTER);
    acc.uncertain ||= has(b, StateFlag.UNCERTAIN_LOCATION);
    acc.reordered ||= has(b, StateFlag.REORDERED);
    if (!acc.unexpected && !acc.inconsistent && !acc.reordered) {
      const why = prototypeMismatch(table, a, b);
      if (why) {
        acc.inconsistent = true;
        acc.why = why;
      }
    }
    out.push({ ...acc });
  }
  out[0]!.why = acc.why;
  return out;
}

/** The state a symbol of `fn` points at, preferring one whose optimized parameters do not rule it out. */
function canonicalState(group: readonly FunctionState[], fn: ElfFunction, elf: ElfFunctions, features: SelectionFeatures): FunctionState {
  let first: FunctionState | undefined;
  for (const s of group) {
    if (elf.symbolAt(fn, s.address) === undefined) continue;
    first ??= s;
    if (!skipsOptimized(s, fn, features)) return s;
  }
  return first ?? group[0]!;
}

/** A definition at an optimized copy's address (or one clang rewrote) that lost parameters: its prototype is not what callers pass. */
function skipsOptimized(s: FunctionState, fn: ElfFunction, features: SelectionFeatures): boolean {
  if (features.trueSignature || !has(s, StateFlag.OPTIMIZED_PARAMETERS)) return false;
  if (has(s, StateFlag.SIGNATURE_CHANGED)) return true;
  return s.address !== undefined && fn.symbols.some((x) => x.address === s.address && isOptimizedCopy(x.name));
}

/** true_signature: the first state sitting exactly at a suffixed symbol that is safe to attach to. */
function trueSignatureState(group: readonly FunctionState[], prefix: readonly Combined[], fn: ElfFunction): { state: FunctionState; symbol: string } | undefined {
  for (let j = 0; j < group.length; j++) {
    const s = group[j]!;
    if (s.address === undefined) continue;
    const sym = fn.symbols.find((x) => x.address === s.address && hasSuffix(x.name));
    if (!sym) continue;
    if (prefix[j]!.unexpected || prefix[j]!.uncertain) continue;
    return { state: s, symbol: sym.name };
  }
  return undefined;
}
