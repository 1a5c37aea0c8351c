// Reads one unit-level DW_TAG_subprogram into what a FUNC needs: its name, whether it is a
// definition, external, and its prototype as BTF type ids. Concrete out-of-line copies of inlined
// functions (DW_AT_abstract_origin) and definitions of earlier declarations (DW_AT_specification)
// take name, return type and parameters from the DIE they point at: the abstract instance keeps
// every parameter even when the optimizer dropped some from the concrete copy.
import { DW_AT, DW_TAG, type DieCursor, type DwarfFile } from "@btforge/dwarf";
import { type DieTypes, NO_TYPE } from "../die-types.js";
import { DieSeeker } from "../die-seeker.js";

export interface Subprogram {
  name: string | undefined;
  declaration: boolean;
  external: boolean;
  returnType: number;
  paramNames: (string | undefined)[];
  paramTypes: number[];
  varargs: boolean;
  /** A parameter or the return type names no encoded type. */
  unresolved: boolean;
  /** clang's btf_decl_tag annotations: on the function (component -1) or on parameter `component`. */
  declTags: { value: string; component: number }[];
}

/** The cursors reading subprograms: the candidate, its declaration chain, its parameters' origins. */
export class SubprogramSeekers {
  readonly candidates: DieSeeker;
  readonly declarations: DieSeeker;
  readonly parameters: DieSeeker;

  constructor(dwarf: DwarfFile) {
    this.candidates = new DieSeeker(dwarf);
    this.declarations = new DieSeeker(dwarf);
    this.parameters = new DieSeeker(dwarf);
  }
}

/** Follows DW_AT_abstract_origin / DW_AT_specification to the DIE that holds the declaration. */
function origin(seeker: DieSeeker, c: DieCursor): DieCursor | undefined {
  return seeker.follow(c, DW_AT.abstract_origin) ?? seeker.follow(c, DW_AT.specification);
}

/** Reads the subprogram under `c` (a cursor positioned on it, which this moves). */
export function readSubprogram(seekers: SubprogramSeekers, types: DieTypes, c: DieCursor): Subprogram {
  const declaration = c.flag(DW_AT.declaration);
  let external = c.flag(DW_AT.external);
  let name = c.str(DW_AT.name);
  let decl: DieCursor = c;
  for (let hops = 0; hops < 4; hops++) {
    const next = origin(seekers.declarations, decl);
    if (!next) break;
    decl = next;
    name ??= decl.str(DW_AT.name);
    external ||= decl.flag(DW_AT.external);
  }
  const returnType = types.typeOf(decl);
  const paramNames: (string | undefined)[] = [];
  const paramTypes: number[] = [];
  let varargs = false;
  let unresolved = returnType === NO_TYPE;
  const declTags: { value: string; component: number }[] = [];
  const annotation = (component: number) => {
    if (holder.str(DW_AT.name) !== "btf_decl_tag") return;
    const value = holder.str(DW_AT.const_value);
    if (value !== undefined) declTags.push({ value, component });
  };
  // Parameters: the declaring DIE's own children when it has any, else (a plain definition) ours.
  const holder = decl;
  if (holder.hasChildren) {
    const depth = holder.depth;
    while (holder.next() && holder.depth > depth) {
      if (holder.depth === depth + 2 && holder.tag === DW_TAG.LLVM_annotation) {
        // An annotation of the parameter just read (its only children worth reading).
        annotation(paramTypes.length - 1);
        continue;
      }
      if (holder.depth !== depth + 1) continue;
      if (holder.tag === DW_TAG.LLVM_annotation) annotation(-1);
      if (holder.tag === DW_TAG.formal_parameter) {
        let pname = holder.str(DW_AT.name);
        let ptype = holder.has(DW_AT.type) ? types.typeOf(holder) : NO_TYPE;
        if ((pname === undefined || ptype === NO_TYPE) && holder.has(DW_AT.abstract_origin)) {
          const o = seekers.parameters.follow(holder, DW_AT.abstract_origin);
          if (o) {
            pname ??= o.str(DW_AT.name);
            if (ptype === NO_TYPE) ptype = types.typeOf(o);
          }
        }
        if (ptype === NO_TYPE) unresolved = true;
        paramNames.push(pname);
        paramTypes.push(ptype);
        continue;
      } else if (holder.tag === DW_TAG.unspecified_parameters) {
        varargs = true;
      }
      if (holder.hasChildren) holder.skipChildren();
    }
  }
  return { name, declaration, external, returnType, paramNames, paramTypes, varargs, unresolved, declTags };
}
