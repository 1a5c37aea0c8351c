// Relocation (libbpf's btf__relocate, which the kernel also runs when it loads a module with a
// .BTF.base section): a split BTF built on a distilled base is moved onto a full base, another
// build of the kernel the module was built against.
//
// Each distilled base type is matched with a type of the full base:
// - by name, and by size for INT, FLOAT, ENUM and ENUM64 (an ENUM of the distilled base matches
//   an ENUM or an ENUM64; an INT must also have the same encoding);
// - a STRUCT or UNION by name; by size too when the full base has several composites of that name,
//   or when a split struct or union embeds it (through typedefs, qualifiers and arrays, not
//   pointers): its layout then depends on that size;
// - a FWD by name, to a FWD of the same flavour or to a definition.
// The kernel's code has two quirks kept here so that what relocates here relocates there: a FWD's
// flavour is compared with the kind_flag of the candidate STRUCT or UNION (its bitfield flag,
// not a struct/union flag), and a distilled STRUCT or UNION accepts any candidate of its name that
// passes the size rules, whatever its kind. Two candidates for one distilled type, or none, are
// errors. The split types then get ids after the full base's, and their strings are interned
// again on the full base's string section.

import { BtfKind } from "./constants.js";
import { copyType } from "./copy-type.js";
import { BtfError } from "./errors.js";
import { intWord } from "./kinds/builtin/scalars.js";
import { kindDescriptor } from "./kinds/registry.js";
import { forEachTypeRef } from "./refs.js";
import { BtfTable } from "./table.js";

export interface RelocatedBtf {
  /** The split BTF on the full base. */
  readonly split: BtfTable;
  /** Id in the distilled split (distilled base ids and split ids) → id on the full base; 0 → 0. */
  readonly idMap: Uint32Array;
}

const DISTILLED_KINDS = new Set<number>([BtfKind.INT, BtfKind.FLOAT, BtfKind.ENUM, BtfKind.STRUCT, BtfKind.UNION, BtfKind.FWD]);
const isComposite = (kind: number) => kind === BtfKind.STRUCT || kind === BtfKind.UNION;

function kindName(kind: number): string {
  return kindDescriptor(kind)?.name ?? `kind ${kind}`;
}

function describe(table: BtfTable, id: number): string {
  const kind = table.kind(id);
  const size = kind === BtfKind.FWD ? "" : `, size ${table.sizeOrType(id)}`;
  return `'${table.name(id)}' [${id}] (${kindName(kind)}${size})`;
}

/** A distilled base holds named INT, FLOAT, ENUM, STRUCT, UNION and FWD only. */
function checkDistilledBase(dist: BtfTable, file: string | undefined): void {
  for (let id = 1; id <= dist.lastId; id++) {
    const kind = dist.kind(id);
    if (!DISTILLED_KINDS.has(kind)) throw new BtfError("BTF_RELOCATE", `the distilled base has a ${kindName(kind)}, which a distilled base never holds`, { file, typeId: id });
    if (dist.nameOff(id) === 0) throw new BtfError("BTF_RELOCATE", `the distilled base has an anonymous ${kindName(kind)}, and only named types can be matched`, { file, typeId: id });
  }
}

/**
 * Distilled STRUCT and UNION types that a split struct or union holds by value (through typedefs,
 * qualifiers, type tags and arrays): their size must match in the full base.
 */
function embeddedComposites(split: BtfTable): Uint8Array {
  const dist = split.base!;
  const embedded = new Uint8Array(dist.lastId + 1);
  for (let id = split.firstId; id <= split.lastId; id++) {
    if (!isComposite(split.kind(id))) continue;
    forEachTypeRef(split, id, (ref) => {
      for (let hops = 0; ref !== 0 && hops <= split.lastId; hops++) {
        const kind = split.kind(ref);
        if (kind === BtfKind.CONST || kind === BtfKind.VOLATILE || kind === BtfKind.RESTRICT || kind === BtfKind.TYPEDEF || kind === BtfKind.TYPE_TAG) ref = split.sizeOrType(ref);
        else if (kind === BtfKind.ARRAY) ref = split.word(ref, 0);
        else {
          if (isComposite(kind) && ref <= dist.lastId) embedded[ref] = 1;
          break;
        }
      }
    });
  }
  return embedded;
}

/**
 * Why full-base type `b`, of the same name, cannot stand for distilled type `d` (undefined: it
 * can). `needsSize`: the rules above ask for the same size.
 */
function mismatch(dist: BtfTable, d: number, base: BtfTable, b: number, needsSize: boolean, embedded: boolean): string | undefined {
  const dk = dist.kind(d);
  const bk = base.kind(b);
  const sizes = () => `size ${base.sizeOrType(b)}, not ${dist.sizeOrType(d)}`;
  if (needsSize && dist.sizeOrType(d) !== base.sizeOrType(b)) return sizes();
  switch (dk) {
    case BtfKind.FWD:
      if (bk === BtfKind.FWD) return dist.kindFlag(d) === base.kindFlag(b) ? undefined : `a ${base.kindFlag(b) ? "union" : "struct"} forward declaration`;
      // As the kernel does: the candidate's own kind_flag, not the FWD's flavour.
      if (bk === BtfKind.STRUCT) return base.kindFlag(b) ? "a struct with bitfields (kind_flag), which the kernel does not match with a FWD" : undefined;
      if (bk === BtfKind.UNION) return base.kindFlag(b) ? undefined : "a union without bitfields (kind_flag 0), which the kernel does not match with a FWD";
      return `a ${kindName(bk)}`;
    case BtfKind.INT: {
      if (bk !== BtfKind.INT) return `a ${kindName(bk)}`;
      const [have, want] = [intWord.encoding(base.word(b, 0)), intWord.encoding(dist.word(d, 0))];
      return have === want ? undefined : `encoding ${intEncodingName(have)}, not ${intEncodingName(want)}`;
    }
    case BtfKind.FLOAT:
      return bk === BtfKind.FLOAT ? undefined : `a ${kindName(bk)}`;
    case BtfKind.ENUM:
      return bk === BtfKind.ENUM || bk === BtfKind.ENUM64 ? undefined : `a ${kindName(bk)}`;
    case BtfKind.STRUCT:
    case BtfKind.UNION:
      // As the kernel does: any kind of that name, the size only when embedded.
      return embedded && base.sizeOrType(b) !== dist.sizeOrType(d) ? `${sizes()} (a split struct or union holds it by value)` : undefined;
    default:
      return `a ${kindName(bk)}`;
  }
}

function intEncodingName(encoding: number): string {
  return ["none", "SIGNED", "CHAR", "SIGNED|CHAR", "BOOL"][encoding] ?? `0x${encoding.toString(16)}`;
}

/** Distilled base id → full base id, by libbpf's matching rules (see the top of this file). */
function matchDistilledBase(split: BtfTable, base: BtfTable, file: string | undefined): Uint32Array {
  const dist = split.base!;
  const embedded = embeddedComposites(split);
  const byName = new Map<string, number[]>();
  for (let id = 1; id <= dist.lastId; id++) {
    const name = dist.name(id);
    const list = byName.get(name);
    if (list) list.push(id);
    else byName.set(name, [id]);
  }
  // Composites whose name the full base uses more than once must also match by size.
  const composites = new Map<number, number>();
  for (let id = 1; id <= base.lastId; id++) {
    if (isComposite(base.kind(id)) && base.nameOff(id) !== 0) composites.set(base.nameOff(id), (composites.get(base.nameOff(id)) ?? 0) + 1);
  }

  const map = new Uint32Array(dist.lastId + 1);
  // For the error message: the first same-name candidate turned down, and why.
  const turnedDown = new Map<number, string>();
  for (let b = 1; b <= base.lastId; b++) {
    const nameOff = base.nameOff(b);
    if (nameOff === 0) continue;
    const kind = base.kind(b);
    let needsSize: boolean;
    if (kind === BtfKind.INT || kind === BtfKind.FLOAT || kind === BtfKind.ENUM || kind === BtfKind.ENUM64) needsSize = true;
    else if (kind === BtfKind.FWD) needsSize = false;
    else if (isComposite(kind)) needsSize = (composites.get(nameOff) ?? 0) > 1;
    else continue;
    const candidates = byName.get(base.name(b));
    if (!candidates) continue;
    for (const d of candidates) {
      const why = mismatch(dist, d, base, b, needsSize, embedded[d] === 1);
      if (why !== undefined) {
        if (!turnedDown.has(d)) turnedDown.set(d, `[${b}] ${kindName(kind)} '${base.name(b)}' is ${why}`);
        continue;
      }
      if (map[d] !== 0) {
        throw new BtfError("BTF_RELOCATE", `distilled base type ${describe(dist, d)} matches two base types, [${map[d]}] and [${b}]: which one the split BTF means is ambiguous`, { file, typeId: d });
      }
      map[d] = b;
    }
  }
  for (let d = 1; d <= dist.lastId; d++) {
    if (map[d] !== 0) continue;
    const seen = turnedDown.get(d);
    const why = seen ? `: ${seen}` : embedded[d] ? " (a split struct or union holds it by value, so its size must match too)" : ": the base has no type of that name";
    throw new BtfError("BTF_RELOCATE", `distilled base type ${describe(dist, d)} has no match in the base${why}`, { file, typeId: d });
  }
  return map;
}

/**
 * Moves `split`, a split BTF on a distilled base (its `.BTF` with `.BTF.base` as base), onto
 * `base`, the full base BTF. Neither input is changed. `name` names the split BTF in errors.
 */
export function relocateSplitBtf(split: BtfTable, base: BtfTable, options: { name?: string } = {}): RelocatedBtf {
  const file = options.name;
  const dist = split.base;
  if (!dist) throw new BtfError("BTF_RELOCATE", "only split BTF can be relocated, and this BTF has no base", { file });
  if (dist === base) throw new BtfError("BTF_RELOCATE", "the split BTF is already on this base", { file });
  if (dist.base) throw new BtfError("BTF_RELOCATE", "the split BTF's base is itself split BTF, not a distilled base", { file });
  checkDistilledBase(dist, file);
  const idMap = new Uint32Array(split.lastId + 1);
  idMap.set(matchDistilledBase(split, base, file));
  const shift = base.lastId - dist.lastId;
  for (let id = split.firstId; id <= split.lastId; id++) idMap[id] = id + shift;

  const out = new BtfTable({ base, expectedTypes: split.count });
  const mapId = (ref: number) => idMap[ref]!;
  for (let id = split.firstId; id <= split.lastId; id++) copyType(split, id, out, mapId);
  return { split: out, idMap };
}
