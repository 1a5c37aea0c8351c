// References that left their unit (DW_FORM_ref_addr, DW_FORM_ref_sig8 into type units): patched
// once every unit is encoded and the DIE→id index is complete.
import type { UnitSection } from "@btforge/dwarf";
import type { Encoding } from "../../encoding.js";
import { btforgeError } from "../../errors/btforge-error.js";
import { NO_TYPE } from "../die-types.js";
import { type PackedRef, VOID_REF, refOffset, refSectionOf } from "../refs.js";
import { describeDie } from "./describe-die.js";
import { aliasLoopError } from "./loop-error.js";
import type { TypeSession } from "./session.js";
import { type UnitFilter, unitFilterOf } from "../unit-filter.js";

/** Where resolve() stopped when it gave NO_TYPE: the DIE that is no type (the last one it looked at). */
let stoppedAt: PackedRef = VOID_REF;

/** The id `ref` names, following alias DIEs (atomic, immutable); NO_TYPE when it names no type. */
function resolve(session: TypeSession, ref: PackedRef): number {
  for (let hops = 0; hops < 64; hops++) {
    if (ref === VOID_REF) return 0;
    const section = refSectionOf(ref);
    const offset = refOffset(ref);
    const id = session.dieTypes.typeId(section, offset);
    if (id !== NO_TYPE) return id;
    stoppedAt = ref;
    const next = session.aliases.get(session.aliasKey(section, offset));
    if (next === undefined) return NO_TYPE;
    ref = next;
  }
  return NO_TYPE;
}

/**
 * What deferred reference `i`, which resolve() just found to name no type, becomes: an error for
 * a loop of aliases; void with a warning when it ends in a unit lang_exclude leaves out (what the
 * user left out stays out) or under encode_force; otherwise an error naming both DIEs.
 */
function unresolved(session: TypeSession, encoding: Encoding, i: number, filter: UnitFilter | undefined): number {
  const ref = session.deferredTargets[i]!;
  const from = session.deferredFrom[i]!;
  const location = { file: encoding.path, die: from };
  const loop = aliasLoopError(session, ref, encoding.dwarf, location);
  if (loop) throw loop;
  // The DIE the reference (through any aliases) ends at, which is what is not a type.
  const section = refSectionOf(stoppedAt);
  const offset = refOffset(stoppedAt);
  const to = `DIE 0x${offset.toString(16)} of .${section}`;
  const unit = encoding.dwarf.unitAt(section, offset);
  if (unit && filter?.isExcluded(unit)) {
    encoding.warn(`DIE 0x${from.toString(16)} refers to ${to}, in a unit lang_exclude leaves out; void used`, { location });
    return 0;
  }
  const why = describeDie(encoding.dwarf, unit, offset);
  if (!session.options.force) throw btforgeError("DWARF_NOT_A_TYPE", [from, to, why], { location });
  encoding.warn(`DIE 0x${from.toString(16)} refers to ${to}: ${why}; void used (encode_force)`, { location });
  return 0;
}

export function resolveDeferred(session: TypeSession, encoding: Encoding): void {
  const t = session.table;
  const n = session.deferredIds.length;
  const filter = unitFilterOf(encoding);
  for (let i = 0; i < n; i++) {
    let id = resolve(session, session.deferredTargets[i]!);
    if (id === NO_TYPE) id = unresolved(session, encoding, i, filter);
    const slot = session.deferredSlots[i]!;
    if (slot < 0) t.setSizeOrType(session.deferredIds[i]!, id);
    else t.setWord(session.deferredIds[i]!, slot, id);
  }
  // Aliases whose target was in another unit were left out of the index: add them now.
  for (const [key, target] of session.aliases) {
    const section: UnitSection = key >= 0 ? "debug_info" : "debug_types";
    const offset = key >= 0 ? key : -1 - key;
    if (session.dieTypes.typeId(section, offset) !== NO_TYPE) continue;
    const id = resolve(session, target);
    if (id !== NO_TYPE) session.dieTypes.recordLate(section, offset, id);
  }
}
