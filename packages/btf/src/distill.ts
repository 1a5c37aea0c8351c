// Distilled base BTF (libbpf's btf__distill_base rules): a split BTF (a module's, on vmlinux) is
// rewritten onto a minimal base that holds only what is needed to find its base types again in
// another build of the base (btf__relocate, or the kernel when it loads the module):
//
// - the base types the split refers to, directly or through other base types (but never through
//   a named struct or union: its members are not needed), are collected;
// - of those, named INT, FLOAT and FWD go to the distilled base as they are; named STRUCT and UNION
//   go as memberless types of the same size; named ENUM and ENUM64 as a memberless ENUM of the
//   same size (relocation matches either kind);
// - everything else collected (pointers, arrays, typedefs, qualifiers, prototypes, type tags and
//   anonymous structs, unions and enums) is copied into the split BTF, after its own types;
// - base types are taken in base id order, so the output does not depend on the walk.
//
// The split part keeps its types in order; ids and strings are renumbered onto the new base.

import { BtfKind } from "./constants.js";
import { copyType } from "./copy-type.js";
import { BtfError } from "./errors.js";
import { kindDescriptor } from "./kinds/registry.js";
import { forEachTypeRef } from "./refs.js";
import { BtfTable } from "./table.js";

export interface DistilledBtf {
  /** The distilled base: named INT, FLOAT, FWD, and memberless STRUCT, UNION and ENUM. */
  readonly base: BtfTable;
  /** The split BTF on `base`: the input's own types, then the base types it needed in full. */
  readonly split: BtfTable;
}

/** Base kinds a split BTF may refer to (what libbpf accepts); FUNC, VAR, DATASEC, DECL_TAG never are. */
const REFERABLE = new Set<number>([
  BtfKind.INT, BtfKind.FLOAT, BtfKind.FWD, BtfKind.ARRAY, BtfKind.STRUCT, BtfKind.UNION, BtfKind.TYPEDEF,
  BtfKind.ENUM, BtfKind.ENUM64, BtfKind.PTR, BtfKind.CONST, BtfKind.RESTRICT, BtfKind.VOLATILE,
  BtfKind.FUNC_PROTO, BtfKind.TYPE_TAG,
]);

const isComposite = (kind: number) => kind === BtfKind.STRUCT || kind === BtfKind.UNION;
const isEnum = (kind: number) => kind === BtfKind.ENUM || kind === BtfKind.ENUM64;

/** Where a collected base type goes. */
const enum Place {
  NONE = 0,
  BASE = 1,
  SPLIT = 2,
}

function kindName(kind: number): string {
  return kindDescriptor(kind)?.name ?? `kind ${kind}`;
}

function place(table: BtfTable, id: number): Place {
  const kind = table.kind(id);
  const named = table.nameOff(id) !== 0;
  if (kind === BtfKind.INT || kind === BtfKind.FLOAT || kind === BtfKind.FWD) return Place.BASE;
  if (isComposite(kind) || isEnum(kind)) return named ? Place.BASE : Place.SPLIT;
  return Place.SPLIT;
}

/**
 * Marks the base types `split` needs: the ones its own types refer to, and what those refer to
 * in turn, stopping at named structs and unions. Iterative (anonymous nestings can be deep).
 */
function collectBaseTypes(split: BtfTable, name: string | undefined): Uint8Array {
  const base = split.base!;
  const used = new Uint8Array(split.firstId);
  const stack: number[] = [];
  const visitRefs = (from: number) => {
    forEachTypeRef(split, from, (ref) => {
      if (ref === 0 || ref >= split.firstId || used[ref]) return;
      const kind = base.kind(ref);
      if (!REFERABLE.has(kind)) {
        throw new BtfError("BTF_DISTILL", `type ${from} refers to base type ${ref}, a ${kindName(kind)}, which a distilled base cannot describe`, {
          file: name,
          typeId: from,
        });
      }
      used[ref] = 1;
      // A named struct or union is kept memberless: what its members refer to is not needed.
      if (!(isComposite(kind) && base.nameOff(ref) !== 0)) stack.push(ref);
    });
  };
  for (let id = split.firstId; id <= split.lastId; id++) {
    visitRefs(id);
    while (stack.length > 0) visitRefs(stack.pop()!);
  }
  return used;
}

/**
 * Distills the base of a split BTF: returns the distilled base and the split BTF renumbered onto
 * it. `split` must be split BTF (it has a base); it is not changed. `name` names it in errors.
 */
export function distillBase(split: BtfTable, options: { name?: string } = {}): DistilledBtf {
  const original = split.base;
  if (!original) throw new BtfError("BTF_DISTILL", "a distilled base needs split BTF, and this BTF has no base", { file: options.name });
  const used = collectBaseTypes(split, options.name);

  // Distilled base first: its ids decide the split's.
  const newId = new Uint32Array(split.lastId + 1);
  const base = new BtfTable();
  const moved: number[] = [];
  for (let id = 1; id < split.firstId; id++) {
    if (!used[id]) continue;
    if (place(original, id) === Place.SPLIT) {
      moved.push(id);
      continue;
    }
    const kind = original.kind(id);
    const nameText = original.name(id);
    if (isComposite(kind)) newId[id] = kind === BtfKind.STRUCT ? base.addStruct(nameText, original.sizeOrType(id), []) : base.addUnion(nameText, original.sizeOrType(id), []);
    else if (isEnum(kind)) newId[id] = base.addEnum(nameText, original.sizeOrType(id), false, []);
    else newId[id] = copyType(original, id, base, () => 0);
  }
  const firstOwn = base.lastId + 1;
  for (let id = split.firstId; id <= split.lastId; id++) newId[id] = id - split.firstId + firstOwn;
  let next = firstOwn + split.count;
  for (const id of moved) newId[id] = next++;

  const out = new BtfTable({ base, expectedTypes: split.count + moved.length });
  const mapId = (ref: number) => newId[ref]!;
  for (let id = split.firstId; id <= split.lastId; id++) copyType(split, id, out, mapId);
  for (const id of moved) copyType(original, id, out, mapId);
  return { base, split: out };
}
