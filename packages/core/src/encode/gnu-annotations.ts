// GCC 16 writes btf_decl_tag / btf_type_tag as DW_TAG_GNU_annotation DIEs reached through a
// DW_AT_GNU_annotation reference on the annotated DIE (a function, a parameter, a struct or union,
// a member, a pointer); each annotation names the next the same way. clang writes the same
// information as DW_TAG_LLVM_annotation children instead. This walks GCC's chain.
import { DW_AT, DW_TAG, type DieCursor } from "@btforge/dwarf";
import type { DieSeeker } from "./die-seeker.js";

/** Most annotations one chain may hold before it is taken for a loop. */
const MAX_CHAIN = 64;

/**
 * Visits the annotations chained from the DIE under `c`, in chain order: (name, value, DIE offset).
 * The visitor returns true to stop. `seeker` is moved along the chain; `c` is not.
 */
export function forEachGnuAnnotation(seeker: DieSeeker, c: DieCursor, visit: (name: string | undefined, value: string | undefined, die: number) => boolean | void): void {
  if (!c.has(DW_AT.GNU_annotation)) return;
  let at = seeker.follow(c, DW_AT.GNU_annotation);
  for (let n = 0; at !== undefined && n < MAX_CHAIN && at.tag === DW_TAG.GNU_annotation; n++) {
    if (visit(at.str(DW_AT.name), at.str(DW_AT.const_value), at.offset) === true) return;
    at = seeker.follow(at, DW_AT.GNU_annotation);
  }
}
