// A DWARF type reference captured from the cursor as one number, so that a struct's member types
// can be read while walking its children and bound to BTF slots once the struct has an id.
// Packing: 0 = absent (void); otherwise section offset * 4 + section code (1 .debug_info,
// 2 .debug_types). Offsets stay far below 2^51, so the number is exact.
import { DW_AT, type DieCursor, type UnitSection } from "@btforge/dwarf";
import { refSection } from "./die-types.js";

export type PackedRef = number;

export const VOID_REF: PackedRef = 0;

/** Where a type id goes: the size_or_type word (SLOT_TYPE) or trailing word `slot`. */
export const SLOT_TYPE = -1;

export function packRef(section: UnitSection, offset: number): PackedRef {
  return offset * 4 + (section === "debug_info" ? 1 : 2);
}

export function refOffset(ref: PackedRef): number {
  return Math.floor(ref / 4);
}

export function refSectionOf(ref: PackedRef): UnitSection {
  return ref % 4 === 1 ? "debug_info" : "debug_types";
}

/**
 * The reference attribute `at` of the current DIE: VOID_REF when absent, undefined when present
 * but in a form that names no DIE of this file (supplementary files).
 */
export function captureRef(c: DieCursor, at: number = DW_AT.type): PackedRef | undefined {
  const target = c.ref(at);
  if (target === undefined) return c.has(at) ? undefined : VOID_REF;
  return packRef(refSection(c, at), target);
}
