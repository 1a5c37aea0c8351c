// btf_decl_tag annotations of a function and of its parameters, from either compiler's DWARF:
// clang writes DW_TAG_LLVM_annotation children under the annotated DIE; GCC 16 writes a
// DW_AT_GNU_annotation reference to a DW_TAG_GNU_annotation DIE, which names the next annotation
// the same way (a chain). Both carry DW_AT_name "btf_decl_tag" and the tag in DW_AT_const_value.
import { DW_AT, DW_TAG, type DieCursor, type UnitHeader } from "@btforge/dwarf";
import type { DieSeeker } from "../die-seeker.js";
import { forEachGnuAnnotation } from "../gnu-annotations.js";

export interface DeclTag {
  readonly value: string;
  /** -1: the function itself; else the parameter's index. */
  readonly component: number;
}

/** The decl tags of the subprogram at `offset` of `unit` and of its formal parameters. */
export function readDeclTags(seeker: DieSeeker, chain: DieSeeker, unit: UnitHeader, offset: number): DeclTag[] {
  const tags: DeclTag[] = [];
  const c = seeker.at(unit, offset);
  const add = (component: number) => (value: string) => tags.push({ value, component });
  const gnu = (at: DieCursor, component: number) =>
    forEachGnuAnnotation(chain, at, (name, value) => {
      if (name === "btf_decl_tag" && value !== undefined) tags.push({ value, component });
    });
  gnu(c, -1);
  if (!c.hasChildren) return tags;
  const depth = c.depth;
  let param = -1;
  while (c.next() && c.depth > depth) {
    const isAnnotation = c.tag === DW_TAG.LLVM_annotation;
    if (c.depth === depth + 2 && isAnnotation && param >= 0) {
      if (c.str(DW_AT.name) === "btf_decl_tag") addValue(c, add(param));
      continue;
    }
    if (c.depth !== depth + 1) continue;
    if (isAnnotation) {
      if (c.str(DW_AT.name) === "btf_decl_tag") addValue(c, add(-1));
    } else if (c.tag === DW_TAG.formal_parameter) {
      param++;
      gnu(c, param);
      // Only annotations below a parameter are worth reading.
      continue;
    }
    if (c.hasChildren) c.skipChildren();
  }
  return tags;
}

function addValue(c: DieCursor, out: (value: string) => void): void {
  const value = c.str(DW_AT.const_value);
  if (value !== undefined) out(value);
}
