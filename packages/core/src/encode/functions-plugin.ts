// The symbols phase, functions: a FUNC (linkage static, as pahole writes them) with its FUNC_PROTO
// for every function that is a real symbol of the ELF (STT_FUNC), one per name. What pahole 1.24
// skips is skipped here, each for a reason `--verbose` prints and the artifact counts:
//   declaration      — a prototype, not a definition
//   unnamed-param    — a parameter without a name (pahole requires all names)
//   no-symbol        — no STT_FUNC symbol of that name (inlined everywhere, or discarded)
//   not-external     — no function symbols at all in the ELF, and the function is static
//   duplicate        — a FUNC of that name is already encoded (one per name)
//   inconsistent     — (consistent_func) units disagree on the prototype of that name
//   unresolved-type  — a parameter or return type produced no BTF type
import { BtfFuncLinkage, BtfKind, type BtfTable } from "@btforge/btf";
import { STT } from "@btforge/elf";
import type { Encoder } from "../encoder.js";
import type { Encoding } from "../encoding.js";
import { dieTypesOf } from "./die-types.js";
import { type Subprogram, SubprogramSeekers, readSubprogram } from "./functions/subprogram.js";
import { isValidIdentifier } from "./names.js";
import { SUBPROGRAMS_ARTIFACT, type SubprogramList } from "./types/session.js";

export const FUNCTIONS_ARTIFACT = "functions";

export type FunctionSkip = "declaration" | "unnamed-param" | "no-symbol" | "not-external" | "duplicate" | "inconsistent" | "unresolved-type" | "invalid-name";

export interface FunctionsStats {
  candidates: number;
  encoded: number;
  elfFunctions: number;
  skipped: Partial<Record<FunctionSkip, number>>;
  ms: number;
}

/** Function symbol names of the ELF (any binding), or an empty set when it has none. */
function elfFunctionNames(encoding: Encoding): Set<string> {
  const symbols = encoding.elf.symbols();
  const names = new Set<string>();
  for (let i = 0; i < symbols.count; i++) {
    if (symbols.type(i) !== STT.FUNC) continue;
    const name = symbols.name(i);
    if (name) names.add(name);
  }
  return names;
}

/**
 * A prototype's shape by type names, to compare the same function across units before dedup:
 * "int(const struct sk_buff *,u32)". Qualifiers, pointers and arrays are spelled out; a named type
 * stops the walk.
 */
function shape(t: BtfTable, id: number, depth = 0): string {
  if (id === 0) return "void";
  if (depth > 8) return "…";
  const kind = t.kind(id);
  const name = t.name(id);
  switch (kind) {
    case BtfKind.PTR:
      return `${shape(t, t.sizeOrType(id), depth + 1)}*`;
    case BtfKind.CONST:
      return `const ${shape(t, t.sizeOrType(id), depth + 1)}`;
    case BtfKind.VOLATILE:
      return `volatile ${shape(t, t.sizeOrType(id), depth + 1)}`;
    case BtfKind.RESTRICT:
      return shape(t, t.sizeOrType(id), depth + 1);
    case BtfKind.ARRAY:
      return `${shape(t, t.word(id, 0), depth + 1)}[${t.word(id, 2)}]`;
    case BtfKind.FUNC_PROTO:
      return `fn(${t.vlen(id)})`;
    case BtfKind.STRUCT:
    case BtfKind.FWD:
      return `struct ${name}`;
    case BtfKind.UNION:
      return `union ${name}`;
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
      return `enum ${name}`;
    default:
      return name || `kind${kind}`;
  }
}

function signature(t: BtfTable, s: Subprogram): string {
  return `${shape(t, s.returnType)}(${s.paramTypes.map((p) => shape(t, p)).join(",")}${s.varargs ? ",..." : ""})`;
}

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
    const types = dieTypesOf(encoding);
    const dwarf = encoding.dwarf;
    const units = dwarf.units();
    const table = encoding.btf;
    const elfNames = elfFunctionNames(encoding);
    const consistent = encoding.features.consistent_func;
    const skipped: Partial<Record<FunctionSkip, number>> = {};
    const tracing = encoding.tracing;
    const skip = (reason: FunctionSkip, name: string | undefined) => {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      if (tracing) encoding.trace(`skipped ${name ?? "(unnamed)"}: ${reason}`, FunctionsPlugin.name);
    };

    // Pass 1: the eligible definitions, first per name in unit order, and (consistent_func) every
    // prototype seen for each name.
    const chosen = new Map<string, Subprogram>();
    const shapes = new Map<string, string>();
    const inconsistent = new Set<string>();
    const seekers = new SubprogramSeekers(dwarf);
    for (let i = 0; i < list.length; i++) {
      const unit = units[list.units.data[i]!]!;
      const s = readSubprogram(seekers, types, seekers.candidates.at(unit, list.offsets.data[i]!));
      if (s.declaration || s.name === undefined) {
        skip("declaration", s.name);
        continue;
      }
      if (!isValidIdentifier(s.name)) {
        skip("invalid-name", s.name);
        continue;
      }
      if (s.paramNames.some((n) => n === undefined)) {
        skip("unnamed-param", s.name);
        continue;
      }
      if (elfNames.size > 0 ? !elfNames.has(s.name) : !s.external) {
        skip(elfNames.size > 0 ? "no-symbol" : "not-external", s.name);
        continue;
      }
      if (s.unresolved) {
        skip("unresolved-type", s.name);
        continue;
      }
      if (consistent) {
        const sig = signature(table, s);
        const seen = shapes.get(s.name);
        if (seen === undefined) shapes.set(s.name, sig);
        else if (seen !== sig) inconsistent.add(s.name);
      }
      if (chosen.has(s.name)) {
        skip("duplicate", s.name);
        continue;
      }
      chosen.set(s.name, s);
    }

    // Pass 2: FUNC_PROTO + FUNC, in the order the definitions were met.
    let encoded = 0;
    for (const [name, s] of chosen) {
      if (inconsistent.has(name)) {
        skip("inconsistent", name);
        continue;
      }
      const params = s.paramTypes.map((type, i) => ({ name: s.paramNames[i]!, type }));
      if (s.varargs) params.push({ name: "", type: 0 });
      const proto = table.addFuncProto(s.returnType, params.map((p) => ({ name: p.name === "" ? 0 : p.name, type: p.type })));
      const func = table.addFunc(name, proto, BtfFuncLinkage.STATIC);
      // clang's btf_decl_tag on the function or its parameters (the decl_tag feature).
      if (encoding.features.decl_tag) for (const tag of s.declTags) table.addDeclTag(tag.value, func, tag.component);
      encoded++;
    }
    const stats: FunctionsStats = { candidates: list.length, encoded, elfFunctions: elfNames.size, skipped, ms: performance.now() - started };
    encoding.artifacts.set(FUNCTIONS_ARTIFACT, stats);
    encoding.trace(
      `${encoded} FUNCs from ${list.length} subprograms (${elfNames.size} ELF functions); skipped ${JSON.stringify(skipped)}, ${stats.ms.toFixed(0)} ms`,
      FunctionsPlugin.name,
    );
  }
}
