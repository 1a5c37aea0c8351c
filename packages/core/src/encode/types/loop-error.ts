// A loop the types phase found in its BTF table, told in DWARF terms: the DIE of each type of the
// loop (as llvm-dwarfdump --debug-info=0x... finds it), its tag and name, and the file and unit in
// the error's location. BTF ids of a table that is never written mean nothing to the user.
import { BtfKind, type BtfTable, kindDescriptor } from "@btforge/btf";
import { DW_TAG, type DwarfFile, tagName } from "@btforge/dwarf";
import { type BtforgeError, type BtforgeLocation, btforgeError } from "../../errors/btforge-error.js";
import type { DieRef, DieTypes } from "../die-types.js";
import { type PackedRef, VOID_REF, refOffset, refSectionOf } from "../refs.js";
import { LoopKind, type TypeLoop } from "./loops.js";
import type { TypeSession } from "./session.js";

const hex = (n: number) => `0x${n.toString(16)}`;

/** The DWARF tags whose DIEs become a BTF type of `kind` (an alias DIE shares its target's id but not its kind). */
function tagsOf(kind: number): readonly number[] {
  switch (kind) {
    case BtfKind.PTR:
      return [DW_TAG.pointer_type, DW_TAG.reference_type, DW_TAG.rvalue_reference_type, DW_TAG.ptr_to_member_type];
    case BtfKind.CONST:
      return [DW_TAG.const_type];
    case BtfKind.VOLATILE:
      return [DW_TAG.volatile_type];
    case BtfKind.RESTRICT:
      return [DW_TAG.restrict_type];
    case BtfKind.TYPEDEF:
      return [DW_TAG.typedef];
    case BtfKind.ARRAY:
      return [DW_TAG.array_type];
    case BtfKind.FUNC_PROTO:
      return [DW_TAG.subroutine_type];
    case BtfKind.STRUCT:
    case BtfKind.UNION:
    case BtfKind.FWD:
      return [DW_TAG.structure_type, DW_TAG.class_type, DW_TAG.union_type];
    default:
      return [];
  }
}

/** The tag of the DIE at `die`, or undefined when it cannot be read. */
function tagAt(dwarf: DwarfFile, die: DieRef): number | undefined {
  const unit = dwarf.unitAt(die.section, die.offset);
  if (!unit) return undefined;
  try {
    const c = dwarf.cursor(unit);
    c.seek(die.offset);
    return c.tag;
  } catch {
    return undefined;
  }
}

interface LoopStep {
  id: number;
  die: DieRef | undefined;
  tag: number | undefined;
}

/** The DIE each id of the loop came from: the one whose tag makes that kind when an alias shares the id. */
function stepsOf(table: BtfTable, dieTypes: DieTypes, dwarf: DwarfFile, ids: readonly number[]): LoopStep[] {
  const dies = dieTypes.diesOf(ids);
  return ids.map((id) => {
    const candidates = dies.get(id) ?? [];
    const wanted = tagsOf(table.kind(id));
    let chosen: LoopStep = { id, die: candidates[0], tag: candidates[0] && tagAt(dwarf, candidates[0]) };
    for (const die of candidates) {
      const tag = tagAt(dwarf, die);
      if (tag !== undefined && wanted.includes(tag)) {
        chosen = { id, die, tag };
        break;
      }
    }
    return chosen;
  });
}

/** `DIE 0x72 (DW_TAG_pointer_type)`, with its section when not .debug_info, its unit when not `firstUnit`, and `named`. */
function dieText(dwarf: DwarfFile, die: DieRef, tag: number | undefined, firstUnit: number | undefined, named = ""): string {
  const unit = dwarf.unitAt(die.section, die.offset)?.offset;
  const where = [die.section === "debug_types" ? " of .debug_types" : "", unit !== undefined && unit !== firstUnit ? ` in unit ${hex(unit)}` : ""].join("");
  return `DIE ${hex(die.offset)}${where} (${tag !== undefined ? tagName(tag) : "unreadable DIE"}${named})`;
}

function describeStep(table: BtfTable, step: LoopStep, firstUnit: number | undefined, dwarf: DwarfFile): string {
  const name = table.name(step.id);
  const named = name ? ` '${name}'` : "";
  // A type no DIE recorded (a plugin's): its BTF id and kind are all there is.
  if (!step.die) return `type ${step.id} (${kindDescriptor(table.kind(step.id))?.name ?? table.kind(step.id)}${named})`;
  return dieText(dwarf, step.die, step.tag, firstUnit, named);
}

/**
 * The TYPE_LOOP or REFERENCE_LOOP error for `loop`: located at the first DIE of the loop (file,
 * section, unit, DIE), its message the whole loop as DIEs.
 */
export function typeLoopError(loop: TypeLoop, table: BtfTable, dieTypes: DieTypes, dwarf: DwarfFile, file: string): BtforgeError {
  const steps = stepsOf(table, dieTypes, dwarf, loop.ids);
  const first = steps[0]!.die;
  const firstUnit = first && dwarf.unitAt(first.section, first.offset)?.offset;
  const chain = steps.map((s) => describeStep(table, s, firstUnit, dwarf)).join(" → ");
  const location = first
    ? { file, section: `.${first.section}`, unit: firstUnit, die: first.offset }
    : { file, typeId: loop.ids[0] };
  return btforgeError(loop.kind === LoopKind.SIZE ? "TYPE_LOOP" : "REFERENCE_LOOP", [chain], { location });
}

/**
 * The loop that following alias DIEs (atomic, immutable, unnamed typedefs: each stands for its
 * target) from `start` runs into, as DIEs with the first repeated at the end; undefined when the
 * chain ends (at a type, void, or a DIE that is neither). Error path only.
 */
function aliasLoop(session: TypeSession, start: PackedRef): DieRef[] | undefined {
  const seen: PackedRef[] = [];
  for (let ref = start; ref !== VOID_REF; ) {
    const at = seen.indexOf(ref);
    if (at >= 0) return [...seen.slice(at), ref].map((r) => ({ section: refSectionOf(r), offset: refOffset(r) }));
    seen.push(ref);
    const next = session.aliases.get(session.aliasKey(refSectionOf(ref), refOffset(ref)));
    if (next === undefined) return undefined;
    ref = next;
  }
  return undefined;
}

/**
 * TYPE_LOOP for a reference (at `location`) that leads into a loop of alias DIEs, or undefined
 * when the aliases from `start` do not loop (a chain longer than the resolver follows).
 */
export function aliasLoopError(session: TypeSession, start: PackedRef, dwarf: DwarfFile, location: BtforgeLocation): BtforgeError | undefined {
  const loop = aliasLoop(session, start);
  if (!loop) return undefined;
  const firstUnit = dwarf.unitAt(loop[0]!.section, loop[0]!.offset)?.offset;
  const chain = loop.map((die) => dieText(dwarf, die, tagAt(dwarf, die), firstUnit)).join(" → ");
  return btforgeError("TYPE_LOOP", [`${chain}, none of which has a BTF type of its own`], { location });
}
