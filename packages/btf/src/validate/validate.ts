// validateBtf: the checks of the kernel's BTF loader (kernel/bpf/btf.c, btf_parse), offline, by
// the rules of a target kernel (./targets.ts; default the newest known).
//
//   header and section placement → string section → layout section (7.1+) → pass 1, each record on its own
//   (check_meta) → rules of plugin kinds → pass 2, resolve every reference (check_all_types)
//   → type tags before modifiers (check_type_tags)
//
// The verdict is the kernel's, and the first problem is the one the kernel logs; pass 1 may
// add more. The work is on raw bytes with typed arrays (see space.ts): pass 1 has to walk
// records the table parser would refuse, and pass 2 needs O(1) access by id.

import { BtfKind } from "../constants.js";
import { kindDescriptor } from "../kinds/registry.js";
import { parseBtf } from "../parse.js";
import type { BtfTable } from "../table.js";
import { writeBtf } from "../write.js";
import { bigEndianToLittle } from "./byte-order.js";
import { checkAllTypes, checkTypeTags } from "./check-types.js";
import { bareProblem, typeProblem } from "./describe.js";
import { checkHeader, checkLayoutSection, checkStringSection, checkTypeSectionPlacement, isBigEndianBtf, type RawHeader } from "./header.js";
import { checkAllMetas, type BaseSpace } from "./meta.js";
import { ProblemList, type ValidationResult } from "./problems.js";
import { Resolver } from "./resolver.js";
import type { TypeSpace } from "./space.js";
import { structsWithSpecialFields } from "./special-fields.js";
import { kernelRules, type KernelRules } from "./targets.js";

export interface ValidateBtfOptions {
  /** The base BTF a split blob (a module's) continues: its ids and string offsets come first. */
  base?: BtfTable | Uint8Array;
  /** A file name, carried into the result for messages. */
  name?: string;
  /** Stop collecting after this many problems (default 100). */
  maxProblems?: number;
  /**
   * Check big-endian BTF too (as the kernel of a big-endian machine would), instead of
   * rejecting it as this machine's kernel does. Off by default: the verdict is this kernel's.
   */
  anyByteOrder?: boolean;
  /**
   * sizeof(void *) of the kernel that will load the BTF: 8 (this machine's, the default), or 4 to
   * check the BTF of a 32-bit target (its pointers make structs smaller than here).
   */
  pointerSize?: 4 | 8;
  /**
   * The kernel whose rules apply, as "6.1" or "7.1" (default: the newest btforge knows). Kinds,
   * the info field's width, the header's size and the layout section depend on it.
   */
  target?: string;
}

/** Kinds above the kernel's last one that a plugin registered. */
function pluginKind(kind: number) {
  return kind > BtfKind.ENUM64 ? kindDescriptor(kind) : undefined;
}

/** Runs the registered rules of plugin kinds, on a table parsed from the (pass-1 clean) blob. */
function runPluginRules(bytes: Uint8Array, space: TypeSpace, ids: number[], base: BtfTable | undefined, out: ProblemList): void {
  let table: BtfTable;
  try {
    table = parseBtf(bytes, { base });
  } catch (err) {
    out.add(bareProblem(ids[0], `cannot read the blob for the rules of plugin kinds: ${(err as Error).message}`));
    return;
  }
  const ctx = {
    table,
    report: (id: number, message: string) => out.add(typeProblem(space, id, message)),
  };
  for (const id of ids) kindDescriptor(space.kind(id))!.validate?.(ctx, id);
}

/** A string section that is well terminated but does not start with "": what split BTF looks like. */
function looksSplit(bytes: Uint8Array, h: RawHeader): boolean {
  const start = h.hdrLen + h.strOff;
  return h.strLen > 0 && bytes[start] !== 0 && bytes[start + h.strLen - 1] === 0;
}

interface Checked {
  space: TypeSpace;
  resolver: Resolver;
}

/** Every check on one blob; undefined when a problem was found (they are in `out`). */
function checkBlob(
  bytes: Uint8Array,
  base: BaseSpace | undefined,
  baseTable: () => BtfTable | undefined,
  out: ProblemList,
  pointerSize: 4 | 8,
  rules: KernelRules,
): Checked | undefined {
  const split = base !== undefined;
  const hdr = checkHeader(bytes, split, rules);
  if (!hdr.ok) {
    const p = bareProblem(undefined, hdr.problem.reason, hdr.problem.offset);
    if (isBigEndianBtf(bytes)) p.message += " (the blob is big-endian BTF; the kernel loads only its own byte order)";
    out.add(p);
    return undefined;
  }
  const h = hdr.header;
  const sectionProblem = checkStringSection(bytes, h, split, rules) ?? checkLayoutSection(bytes, h, rules) ?? checkTypeSectionPlacement(h, split);
  if (sectionProblem) {
    const p = bareProblem(undefined, sectionProblem.reason, sectionProblem.offset);
    if (!split && sectionProblem.reason === "Invalid string section" && looksSplit(bytes, h)) {
      p.message += " (the strings do not start with \"\": split BTF? give its base)";
    }
    out.add(p);
    return undefined;
  }
  const { space, pluginTypes } = checkAllMetas(bytes, h, base, pluginKind, out, rules);
  if (out.count) return undefined;
  if (pluginTypes.length) {
    runPluginRules(bytes, space, pluginTypes, baseTable(), out);
    if (out.count) return undefined;
  }
  const resolver = new Resolver(space, out, base, pointerSize);
  if (!checkAllTypes(resolver) || !checkTypeTags(resolver)) return undefined;
  return { space, resolver };
}

/** What the verdict does not cover: the kernel's BPF special-field rules, where they apply. */
function specialFieldNotes(space: TypeSpace): string[] {
  const structs = structsWithSpecialFields(space);
  if (!structs.length) return [];
  return [
    `the kernel also applies its BPF special-field rules (spin locks, lists, rbtrees, refcounts, kptrs) to ${structs.join(", ")}` +
      `${structs.length === 3 ? " and maybe more" : ""}; those rules depend on the running kernel and are not checked offline`,
  ];
}

/** Checked bases (per target), so validating many modules against one vmlinux checks it once. */
const checkedBases = new WeakMap<BtfTable | Uint8Array, Map<string, BaseSpace>>();

/** The base, checked as the kernel checks vmlinux, ready for a split blob to continue. */
function checkBase(base: BtfTable | Uint8Array, out: ProblemList, rules: KernelRules): BaseSpace | undefined {
  const known = checkedBases.get(base)?.get(rules.version);
  if (known) return known;
  // A table is serialized in this machine's order: its own layout may be big-endian.
  const bytes = base instanceof Uint8Array ? base : writeBtf(base, { endianness: "little" });
  const baseOut = new ProblemList(1);
  const checked = checkBlob(bytes, undefined, () => undefined, baseOut, 8, rules);
  if (!checked) {
    const p = baseOut.items[0]!;
    out.add({ ...p, typeId: undefined, offset: undefined, message: `base BTF is invalid: ${p.typeId !== undefined ? `[${p.typeId}] ` : ""}${p.message}` });
    return undefined;
  }
  const { space, resolver } = checked;
  const ready = { space, resolvedIds: resolver.resolvedIds, resolvedSizes: resolver.resolvedSizes };
  const perTarget = checkedBases.get(base) ?? new Map<string, BaseSpace>();
  perTarget.set(rules.version, ready);
  checkedBases.set(base, perTarget);
  return ready;
}

/**
 * Checks a raw BTF blob the way the target kernel's BPF_BTF_LOAD does. `ok` is that kernel's
 * verdict; `problems[0]` is the problem it reports. An unknown target is a BtfError.
 */
export function validateBtf(bytes: Uint8Array, options: ValidateBtfOptions = {}): ValidationResult {
  const rules = kernelRules(options.target);
  const out = new ProblemList(options.maxProblems ?? 100);
  const hostOrder = (b: Uint8Array) => (options.anyByteOrder && isBigEndianBtf(b) ? bigEndianToLittle(b) ?? b : b);
  bytes = hostOrder(bytes);
  let base: BaseSpace | undefined;
  if (options.base) base = checkBase(options.base instanceof Uint8Array ? hostOrder(options.base) : options.base, out, rules);
  let notes: string[] = [];
  if (!options.base || base) {
    const given = options.base;
    const baseTable = () => (given instanceof Uint8Array ? parseBtf(given) : given);
    const checked = checkBlob(bytes, base, baseTable, out, options.pointerSize ?? 8, rules);
    if (checked && !base) notes = specialFieldNotes(checked.space);
  }
  return {
    ok: out.count === 0,
    problems: out.items,
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(notes.length ? { notes } : {}),
  };
}
