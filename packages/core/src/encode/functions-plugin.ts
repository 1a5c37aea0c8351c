// The symbols phase, functions: a FUNC (linkage static, as pahole writes them) with its FUNC_PROTO
// for every function that is a real symbol of the ELF, one per name, when it is safe to describe.
// Two halves (see functions/):
//   per unit  — each unit-level subprogram that could be a FUNC becomes a "function state": its
//               prototype and its verdicts on the calling convention (unit-functions.ts);
//   program   — the states of one function are weighed together: which definition the symbol points
//               at, whether units agree, whether its address is ambiguous (selection.ts).
// Feature switches (pahole's --btf_features names): optimized_func (clone symbols count for their
// function; optimized copies that lost parameters are left out), consistent_func (inconsistent
// prototypes, unexpected registers, packed structs on the stack, ambiguous addresses are left out),
// true_signature, decl_tag_kfuncs (bpf_kfunc / bpf_fastcall DECL_TAGs from .BTF_ids) and
// attributes (address_space(1) TYPE_TAGs on BPF arena kfunc pointers).
// Every function left out is counted by reason; `--verbose` names each.
import { BtfFuncLinkage, BtfKind, type BtfTable } from "@btforge/btf";
import type { Encoder } from "../encoder.js";
import type { Encoding } from "../encoding.js";
import { dieTypesOf } from "./die-types.js";
import { callingConvention } from "./functions/abi.js";
import { ElfFunctions } from "./functions/elf-functions.js";
import { type SelectedFunction, type SelectionSkip, selectFunctions } from "./functions/selection.js";
import { type FunctionState, type StateParam, type UnitSkip, UnitFunctionReader } from "./functions/unit-functions.js";
import { collectKfuncs, KF_ARENA_ARG1, KF_ARENA_ARG2, KF_ARENA_RET, KF_FASTCALL } from "./kfuncs/btf-ids.js";
import { SUBPROGRAMS_ARTIFACT, type SubprogramList } from "./types/session.js";

export const FUNCTIONS_ARTIFACT = "functions";

export type FunctionSkip = UnitSkip | SelectionSkip;

export interface FunctionsStats {
  /** Unit-level subprograms looked at. */
  candidates: number;
  /** Definitions that matched an ELF function (pahole's "function states"). */
  states: number;
  encoded: number;
  /** Functions of the ELF (after clone matching). */
  elfFunctions: number;
  /** Subprograms (unit reasons) and functions (program reasons) left out, by reason. */
  skipped: Partial<Record<FunctionSkip, number>>;
  /** kfuncs found in .BTF_ids, and FUNCs that got a bpf_kfunc tag. */
  kfuncs: number;
  kfuncTags: number;
  /** BPF arena pointers tagged address_space(1) (attributes). */
  arenaTags: number;
  ms: number;
}

/** The attribute upstream pahole gives BPF arena pointers of kfuncs. */
export const BPF_ARENA_ATTRIBUTE = "address_space(1)";

export class FunctionsPlugin {
  static readonly name = "functions";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    encoder.hooks.symbols.tap(FunctionsPlugin.name, (encoding) => {
      if (encoding.features.functions) this.run(encoding);
    });
  }

  private run(encoding: Encoding): void {
    const started = performance.now();
    const list = encoding.artifacts.get(SUBPROGRAMS_ARTIFACT) as SubprogramList | undefined;
    if (!list) return;
    const f = encoding.features;
    const elf = ElfFunctions.collect(encoding.elf, { clones: f.optimized_func });
    const kfuncs = f.decl_tag_kfuncs ? collectKfuncs(encoding.elf) : new Map<string, number>();
    const table = encoding.btf;
    const units = encoding.dwarf.units();
    const addressSize = units[0]?.addressSize ?? (encoding.elf.is64 ? 8 : 4);
    const reader = new UnitFunctionReader(encoding.dwarf, dieTypesOf(encoding), table, elf, {
      convention: callingConvention(encoding.elf.machine, addressSize),
      trueSignature: f.true_signature,
      tracing: encoding.tracing,
    });
    const skipped: Partial<Record<FunctionSkip, number>> = {};
    const count = (reasons: Partial<Record<FunctionSkip, number>>) => {
      for (const [k, n] of Object.entries(reasons) as [FunctionSkip, number][]) skipped[k] = (skipped[k] ?? 0) + n;
    };
    const trace = (lines: readonly string[]) => {
      for (const line of lines) encoding.trace(line, FunctionsPlugin.name);
    };

    // Per unit: the list holds (unit, DIE) pairs in walk order, so each unit's are contiguous.
    const states: FunctionState[] = [];
    const unitIds = list.units.data;
    const annotated = (unit: number) => list.annotatedUnits.has(unit);
    for (let i = 0; i < list.length; ) {
      const u = unitIds[i]!;
      let j = i + 1;
      while (j < list.length && unitIds[j] === u) j++;
      const result = reader.read(units[u]!, list.offsets.data, i, j, annotated);
      for (const s of result.states) states.push(s);
      count(result.skipped);
      trace(result.trace);
      i = j;
    }

    // Whole program: one decision per function.
    const selection = selectFunctions(states, elf, table, {
      consistentFunc: f.consistent_func,
      optimizedFunc: f.optimized_func,
      trueSignature: f.true_signature,
    }, encoding.tracing);
    count(selection.skipped);
    trace(selection.trace);

    let kfuncTags = 0;
    let arenaTags = 0;
    for (const chosen of selection.functions) {
      const flags = kfuncs.get(chosen.function);
      let { returnType } = chosen.state;
      let params: StateParam[] = [...chosen.params];
      if (flags !== undefined && f.attributes) {
        const tagged = tagArenaPointers(table, returnType, params, flags, (m) => encoding.warn(`${chosen.name}: ${m}`, { location: { file: encoding.path } }));
        returnType = tagged.returnType;
        params = tagged.params;
        arenaTags += tagged.count;
      }
      const func = emitFunc(table, chosen, returnType, params);
      if (f.decl_tag) {
        for (const tag of chosen.state.declTags) table.addDeclTag(tag.value, func, tag.component);
        if (flags !== undefined) {
          table.addDeclTag("bpf_kfunc", func, -1);
          if (flags & KF_FASTCALL) table.addDeclTag("bpf_fastcall", func, -1);
          kfuncTags++;
        }
      }
    }
    const stats: FunctionsStats = {
      candidates: list.length,
      states: states.length,
      encoded: selection.functions.length,
      elfFunctions: elf.size,
      skipped,
      kfuncs: kfuncs.size,
      kfuncTags,
      arenaTags,
      ms: performance.now() - started,
    };
    encoding.artifacts.set(FUNCTIONS_ARTIFACT, stats);
    encoding.trace(
      `${stats.encoded} FUNCs from ${stats.states} definitions of ${list.length} subprograms (${elf.size} ELF functions, ${kfuncs.size} kfuncs); ` +
        `skipped ${JSON.stringify(skipped)}, ${stats.ms.toFixed(0)} ms`,
      FunctionsPlugin.name,
    );
  }
}

function emitFunc(table: BtfTable, chosen: SelectedFunction, returnType: number, params: readonly StateParam[]): number {
  const proto = table.addFuncProto(returnType, params.map((p) => ({ name: p.name === "" ? 0 : p.name, type: p.type })));
  return table.addFunc(chosen.name, proto, BtfFuncLinkage.STATIC);
}

/**
 * BPF arena kfuncs (KF_ARENA_RET / _ARG1 / _ARG2) take or return pointers into the arena: each such
 * pointer becomes PTR → TYPE_TAG "address_space(1)" (kind_flag 1, an attribute) → pointee, as
 * upstream pahole writes them.
 */
function tagArenaPointers(table: BtfTable, returnType: number, params: StateParam[], flags: number, warn: (m: string) => void) {
  let count = 0;
  const tag = (type: number, what: string): number => {
    if (type <= 0 || table.kind(type) !== BtfKind.PTR) {
      warn(`${what} is flagged as a BPF arena pointer but is not a pointer; left untagged`);
      return type;
    }
    count++;
    return table.addPtr(table.addTypeTag(BPF_ARENA_ATTRIBUTE, table.sizeOrType(type), true));
  };
  if (flags & KF_ARENA_RET) returnType = tag(returnType, "the return type");
  for (const [flag, index] of [[KF_ARENA_ARG1, 0], [KF_ARENA_ARG2, 1]] as const) {
    const p = params[index];
    if (flags & flag && p) params[index] = { name: p.name, type: tag(p.type, `argument ${index + 1}`) };
  }
  return { returnType, params, count };
}
