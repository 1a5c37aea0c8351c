// Reads one unit-level DW_TAG_subprogram into what a FUNC needs: its name, whether it is a
// definition, external, and its prototype as BTF type ids. Concrete out-of-line copies of inlined
// functions (DW_AT_abstract_origin) and definitions of earlier declarations (DW_AT_specification)
// take name, return type and parameters from the DIE they point at: the abstract instance keeps
// every parameter even when the optimizer dropped some from the concrete copy.
import { DW_AT, DW_TAG, type DieCursor, type DwarfFile, type UnitHeader } from "@btforge/dwarf";
import { type DieTypes, NO_TYPE, refSection } from "../die-types.js";

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

/** Positions a cursor on any DIE of the file, reusing one cursor per unit. */
export class DieSeeker {
  private readonly cursors = new Map<number, DieCursor>();

  constructor(private readonly dwarf: DwarfFile) {}

  at(unit: UnitHeader, offset: number): DieCursor {
    let c = this.cursors.get(unit.index);
    if (!c) {
      c = this.dwarf.cursor(unit);
      this.cursors.set(unit.index, c);
    }
    c.seek(offset);
    return c;
  }

  /** The DIE the reference attribute `at` of `c` points to, or undefined. */
  follow(c: DieCursor, at: number): DieCursor | undefined {
    const target = c.ref(at);
    if (target === undefined) return undefined;
    const unit = c.refUnit(at);
    if (!unit) return undefined;
    // A fresh cursor: `c` may be one of ours and must stay where it is.
    const other = this.dwarf.cursor(unit);
    other.seek(target);
    return other;
  }

  clear(): void {
    this.cursors.clear();
  }
}

/** Follows DW_AT_abstract_origin / DW_AT_specification to the DIE that holds the declaration. */
function origin(seeker: DieSeeker, c: DieCursor): DieCursor | undefined {
  return seeker.follow(c, DW_AT.abstract_origin) ?? seeker.follow(c, DW_AT.specification);
}

function typeOf(types: DieTypes, c: DieCursor): number {
  const target = c.ref(DW_AT.type);
  if (target === undefined) return c.has(DW_AT.type) ? NO_TYPE : 0;
  return types.typeId(refSection(c, DW_AT.type), target);
}

/** Reads the subprogram under `c` (a cursor positioned on it, which this moves). */
export function readSubprogram(seeker: DieSeeker, types: DieTypes, c: DieCursor): Subprogram {
  const declaration = c.flag(DW_AT.declaration);
  let external = c.flag(DW_AT.external);
  let name = c.str(DW_AT.name);
  let decl: DieCursor = c;
  for (let hops = 0; hops < 4; hops++) {
    const next = origin(seeker, decl);
    if (!next) break;
    decl = next;
    name ??= decl.str(DW_AT.name);
    external ||= decl.flag(DW_AT.external);
  }
  const returnType = typeOf(types, decl);
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
        let ptype = holder.has(DW_AT.type) ? typeOf(types, holder) : NO_TYPE;
        if ((pname === undefined || ptype === NO_TYPE) && holder.has(DW_AT.abstract_origin)) {
          const o = seeker.follow(holder, DW_AT.abstract_origin);
          if (o) {
            pname ??= o.str(DW_AT.name);
            if (ptype === NO_TYPE) ptype = typeOf(types, o);
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
