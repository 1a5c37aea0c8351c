// Encodes the types of one DWARF unit into the session's BTF table in a single pre-order walk.
// Each type DIE becomes its BTF type as soon as it is read; its type references are queued as
// (BTF id, slot, target DIE) and patched when the unit ends (targets in this unit, through a dense
// offset→id array) or when the phase ends (targets in other units: ref_addr, type units).
// Subtrees BTF never needs (inlined instances, call sites) are skipped through DW_AT_sibling.
import { DW_AT, DW_TAG, type DieCursor, type DwarfFile, type UnitHeader } from "@btforge/dwarf";
import { btforgeError } from "../../errors/btforge-error.js";
import { DieSeeker } from "../die-seeker.js";
import { forEachGnuAnnotation } from "../gnu-annotations.js";
import { IntList } from "../int-list.js";
import { isCLanguage, languageName } from "../languages.js";
import { isValidIdentifier } from "../names.js";
import { type PackedRef, VOID_REF, packRef, refOffset, refSectionOf } from "../refs.js";
import { describeDie } from "./describe-die.js";
import { aliasLoopError } from "./loop-error.js";
import type { TypeSession } from "./session.js";
import { TYPE_ENCODERS } from "./tag-encoders.js";

/** Local map values besides BTF ids. */
const UNSET = -1;
const ALIAS = -2;

/** followLocal's answers besides BTF ids. */
const NOT_A_TYPE = -1;
const LEAVES_UNIT = -2;
const LOOP = -3;

/** Largest unit whose offset→id map is a dense array; bigger ones (never seen) fall back to a Map. */
const DENSE_LIMIT = 1 << 28;

let sharedMap = new Int32Array(1 << 16);

export interface PendingAnnotation {
  name: string;
  value: string;
  component: number;
  die: number;
}

export type Warn = (message: string, die: number) => void;

const ROOT_TAGS = new Set<number>([DW_TAG.compile_unit, DW_TAG.partial_unit, DW_TAG.type_unit, DW_TAG.skeleton_unit]);

export class UnitEncoder {
  readonly table;
  readonly littleEndian: boolean;
  /**
   * The unit is in a language other than C (C++, Rust, Go...): names BTF cannot carry (templates,
   * paths) are dropped and references to non-types made void, counted and reported once for the
   * unit, never an error; members are put in offset order (Rust reorders fields, and BTF wants
   * them ascending, as pahole sorts them). What remains is what BTF can say of those types.
   */
  foreign = false;
  private language: number | undefined;
  private unitName: string | undefined;
  private droppedNames = 0;
  private voidedRefs = 0;
  /** Id of this unit's `int`, the index type of its arrays (as pahole does). */
  intId = 0;
  private readonly arrays = new IntList(64);
  private readonly fixIds = new IntList(1024);
  private readonly fixSlots = new IntList(1024);
  private readonly fixTargets = new IntList(1024);
  private readonly fixFrom = new IntList(1024);
  private readonly definedOffsets = new IntList(1024);
  private readonly definedIds = new IntList(1024);
  private readonly map: Int32Array;
  /** Where followLocal ended when it gave no id. */
  private endOffset = 0;
  private endRef: PackedRef = VOID_REF;
  private readonly sparse: Map<number, number> | undefined;
  /** Follows GCC's annotation chains (made on first use). */
  private annotationSeeker: DieSeeker | undefined;

  constructor(
    readonly file: DwarfFile,
    readonly unit: UnitHeader,
    readonly session: TypeSession,
    readonly path: string,
    private readonly warn: Warn,
  ) {
    this.table = session.table;
    this.littleEndian = file.littleEndian;
    const length = unit.end - unit.offset;
    if (length <= DENSE_LIMIT) {
      if (sharedMap.length < length) sharedMap = new Int32Array(Math.max(length, sharedMap.length * 2));
      this.map = sharedMap;
      this.map.fill(UNSET, 0, length);
    } else {
      this.map = new Int32Array(0);
      this.sparse = new Map();
    }
  }

  /** Walks the unit and resolves what it can; cross-unit references wait in the session. */
  run(): void {
    const c = this.file.cursor(this.unit);
    let more = c.next();
    if (more && ROOT_TAGS.has(c.tag)) {
      this.language = c.uint(DW_AT.language);
      this.foreign = !isCLanguage(this.language);
      if (this.foreign) this.unitName = c.str(DW_AT.name);
    }
    while (more) more = this.visit(c);
    this.finish();
    this.reportForeign();
  }

  /** One warning for what a foreign-language unit lost (encode_force warns per DIE instead). */
  private reportForeign(): void {
    if (this.droppedNames === 0 && this.voidedRefs === 0) return;
    const lost: string[] = [];
    if (this.droppedNames > 0) lost.push(`${this.droppedNames} name${this.droppedNames === 1 ? "" : "s"} BTF cannot carry dropped (the types stay, anonymous)`);
    if (this.voidedRefs > 0) lost.push(`${this.voidedRefs} reference${this.voidedRefs === 1 ? "" : "s"} to non-types made void`);
    const lang = languageName(this.language);
    const unit = `unit ${this.unitName === undefined ? `at 0x${this.unit.offset.toString(16)}` : JSON.stringify(this.unitName)}`;
    this.warn(`${unit} (${lang}): ${lost.join(", ")}; lang_exclude=${lang} leaves such units out`, this.unit.offset);
  }

  /** Handles the DIE under the cursor (and its subtree when it owns it); returns c.next()'s answer for what follows. */
  visit(c: DieCursor): boolean {
    const encode = TYPE_ENCODERS[c.tag];
    if (encode !== undefined) return encode(this, c);
    switch (c.tag) {
      case DW_TAG.subprogram:
        if (c.depth === 1) {
          this.session.subprograms.units.push(this.unit.index);
          this.session.subprograms.offsets.push(c.offset);
        }
        return c.next();
      case DW_TAG.LLVM_annotation:
      case DW_TAG.GNU_annotation:
        // Annotations of functions and parameters (those of types are read by their encoders).
        this.session.subprograms.annotatedUnits.add(this.unit.index);
        return c.next();
      case DW_TAG.inlined_subroutine:
      case DW_TAG.call_site:
      case DW_TAG.GNU_call_site:
        // Concrete inlined copies and call sites declare no types of their own.
        c.skipChildren();
        return c.next();
      default:
        // Compile units, lexical blocks, namespaces, variables...: walk on; their children may be types.
        return c.next();
    }
  }

  /** Visits the children of the current DIE with `child` (which must return c.next()'s answer); returns what follows the subtree. */
  eachChild(c: DieCursor, child: (c: DieCursor) => boolean): boolean {
    if (!c.hasChildren) return c.next();
    const depth = c.depth;
    let more = c.next();
    while (more && c.depth > depth) more = child(c);
    return more;
  }

  /** Skips the current DIE's subtree; returns c.next()'s answer. */
  skip(c: DieCursor): boolean {
    c.skipChildren();
    return c.next();
  }

  /** The DIE at `offset` became BTF type `id`. */
  define(offset: number, id: number): void {
    const rel = offset - this.unit.offset;
    if (this.sparse) this.sparse.set(rel, id);
    else this.map[rel] = id;
    this.definedOffsets.push(offset);
    this.definedIds.push(id);
  }

  /** The DIE at `offset` produces no type of its own but stands for its target (atomic, immutable). */
  alias(offset: number, target: PackedRef): void {
    const rel = offset - this.unit.offset;
    if (this.sparse) this.sparse.set(rel, ALIAS);
    else this.map[rel] = ALIAS;
    this.session.aliases.set(this.session.aliasKey(this.unit.section, offset), target);
    this.definedOffsets.push(offset);
    this.definedIds.push(ALIAS);
  }

  /** Array types get the unit's index type when the unit ends. */
  addArray(id: number): void {
    this.arrays.push(id);
  }

  /** Patch slot `slot` of type `id` with the BTF id of `ref` once it is known. */
  bind(id: number, slot: number, ref: PackedRef, from: number): void {
    if (ref === VOID_REF) return;
    const offset = refOffset(ref);
    if (refSectionOf(ref) === this.unit.section && offset >= this.unit.offset && offset < this.unit.end) {
      this.fixIds.push(id);
      this.fixSlots.push(slot);
      this.fixTargets.push(offset - this.unit.offset);
      this.fixFrom.push(from);
    } else {
      this.session.defer(id, slot, ref, from);
    }
  }

  /** A reference attribute in a form that names no DIE here (supplementary files). */
  danglingRef(from: number): PackedRef {
    this.notAType(from, "a DIE outside this file", "its form refers to a supplementary object file");
    return VOID_REF;
  }

  /**
   * The BTF string offset of DW_AT_name (0 when absent), free text (INT and FLOAT names). Names in
   * .debug_str are decoded and interned once per string, not once per DIE.
   */
  nameOff(c: DieCursor): number {
    const key = c.strKey(DW_AT.name);
    const names = this.session.names;
    const known = key >= 0 ? names.get(key) : undefined;
    if (known !== undefined) return known;
    const name = c.str(DW_AT.name);
    const off = name ? this.table.strings.add(name) : 0;
    if (key >= 0) names.set(key, off);
    return off;
  }

  /**
   * The BTF string offset of a name that must be a C identifier: 0 when absent; when invalid, an
   * error, or with encode_force a warning and 0 (the type goes anonymous or the caller skips it).
   * `what` names the DIE's role for that message (a function, so the hot path builds no string).
   */
  identifierOff(c: DieCursor, what: () => string): number {
    const key = c.strKey(DW_AT.name);
    const valid = this.session.identifiers;
    const known = key >= 0 ? valid.get(key) : undefined;
    if (known !== undefined) return known;
    const name = c.str(DW_AT.name);
    if (name === undefined || name === "") return 0;
    if (isValidIdentifier(name)) {
      const off = this.table.strings.add(name);
      if (key >= 0) valid.set(key, off);
      return off;
    }
    if (this.foreign && !this.session.options.force) {
      this.droppedNames++;
      return 0;
    }
    const where = `${what()} at DIE 0x${c.offset.toString(16)}`;
    if (!this.session.options.force) throw btforgeError("INVALID_NAME", [where, name], { location: this.location(c.offset) });
    this.warn(`${where}: invalid name ${JSON.stringify(name)} dropped (encode_force)`, c.offset);
    return 0;
  }

  /**
   * A DW_TAG_LLVM_annotation child (clang's btf_decl_tag / btf_type_tag): kept for the tag plugins
   * once `typeId` is known; returns c.next()'s answer.
   */
  annotation(c: DieCursor, pending: PendingAnnotation[], component: number): boolean {
    const name = c.str(DW_AT.name);
    const value = c.str(DW_AT.const_value);
    if (name !== undefined && value !== undefined) pending.push({ name, value, component, die: c.offset });
    return this.skip(c);
  }

  /**
   * GCC's annotations of the DIE under `c` (its DW_AT_GNU_annotation chain), kept like clang's.
   * With `typeTagsOnly` (pointers) the chain ends at the first annotation that is not a type tag.
   */
  gnuAnnotations(c: DieCursor, pending: PendingAnnotation[], component: number, typeTagsOnly = false): void {
    this.annotationSeeker ??= new DieSeeker(this.file);
    forEachGnuAnnotation(this.annotationSeeker, c, (name, value, die) => {
      if (typeTagsOnly && name !== "btf_type_tag") return true;
      if (name !== undefined && value !== undefined) pending.push({ name, value, component, die });
    });
  }

  /** Pending annotations now belong to type `typeId`. */
  annotate(typeId: number, pending: readonly PendingAnnotation[]): void {
    for (const a of pending) this.session.annotations.push({ ...a, typeId });
  }

  location(die: number) {
    return { file: this.path, section: `.${this.unit.section}`, unit: this.unit.offset, die };
  }

  /** Reports a reference to something that is not a type; with encode_force the slot stays void. */
  notAType(from: number, to: string, why: string): void {
    if (this.foreign && !this.session.options.force) {
      this.voidedRefs++;
      return;
    }
    if (!this.session.options.force) throw btforgeError("DWARF_NOT_A_TYPE", [from, to, why], { location: this.location(from) });
    this.warn(`DIE 0x${from.toString(16)} refers to ${to}: ${why}; void used (encode_force)`, from);
  }

  private local(rel: number): number {
    return this.sparse ? (this.sparse.get(rel) ?? UNSET) : this.map[rel]!;
  }

  /** The id of the DIE at unit-relative `rel`, following aliases (which may leave the unit: then undefined after deferring). */
  /**
   * Follows the DIE at unit-relative `rel` through alias DIEs: a BTF id (>= 0), or NOT_A_TYPE
   * (`endOffset` names the DIE), LEAVES_UNIT (`endRef` is the target elsewhere) or LOOP.
   * Numbers, not objects: this runs once per type reference.
   */
  private followLocal(rel: number): number {
    for (let hops = 0; hops < 64; hops++) {
      const v = this.local(rel);
      if (v >= 0) return v;
      const offset = this.unit.offset + rel;
      if (v !== ALIAS) {
        this.endOffset = offset;
        return NOT_A_TYPE;
      }
      const target = this.session.aliases.get(this.session.aliasKey(this.unit.section, offset))!;
      if (target === VOID_REF) return 0;
      const t = refOffset(target);
      if (refSectionOf(target) !== this.unit.section || t < this.unit.offset || t >= this.unit.end) {
        this.endRef = target;
        return LEAVES_UNIT;
      }
      rel = t - this.unit.offset;
    }
    return LOOP;
  }

  /** The id for a reference from `from` to unit-relative `rel`; undefined when it was deferred to the phase's end. */
  private resolveLocal(rel: number, id: number, slot: number, from: number): number | undefined {
    const r = this.followLocal(rel);
    if (r >= 0) return r;
    if (r === LEAVES_UNIT) {
      this.session.defer(id, slot, this.endRef, from);
      return undefined;
    }
    if (r === LOOP) {
      const start = packRef(this.unit.section, this.unit.offset + rel);
      throw (
        aliasLoopError(this.session, start, this.file, this.location(from)) ??
        btforgeError("TYPE_LOOP", [`DIE 0x${from.toString(16)} → … (more than 64 types with no BTF type of their own in a row)`], { location: this.location(from) })
      );
    }
    this.notAType(from, `DIE 0x${this.endOffset.toString(16)}`, describeDie(this.file, this.unit, this.endOffset));
    return 0;
  }

  private finish(): void {
    const t = this.table;
    for (let i = 0; i < this.fixIds.length; i++) {
      const id = this.fixIds.data[i]!;
      const slot = this.fixSlots.data[i]!;
      const target = this.resolveLocal(this.fixTargets.data[i]!, id, slot, this.fixFrom.data[i]!);
      if (target === undefined) continue;
      if (slot < 0) t.setSizeOrType(id, target);
      else t.setWord(id, slot, target);
    }
    if (this.arrays.length > 0) {
      // pahole's choice: the unit's own `int`, else the first `int` of an earlier unit, else one
      // __ARRAY_SIZE_TYPE__ made for the whole run.
      const s = this.session;
      if (s.indexType === 0) s.indexType = this.intId !== 0 ? this.intId : t.addInt("__ARRAY_SIZE_TYPE__", 4, 0, 0, 32);
      const index = this.intId !== 0 ? this.intId : s.indexType;
      for (let i = 0; i < this.arrays.length; i++) t.setWord(this.arrays.data[i]!, 1, index);
    }
    if (this.intId !== 0 && this.session.indexType === 0) this.session.indexType = this.intId;
    this.recordDefinitions();
  }

  /** Hands (offset, id) pairs to the session's index in ascending offset order. */
  private recordDefinitions(): void {
    const n = this.definedOffsets.length;
    const offsets = this.definedOffsets.data.subarray(0, n);
    const ids = this.definedIds.data;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) sorted = offsets[i - 1]! < offsets[i]!;
    // Nested types are encoded before their parent, so a few units need this sort.
    const order = sorted ? undefined : new Int32Array(n).map((_, i) => i).sort((a, b) => offsets[a]! - offsets[b]!);
    const section = this.unit.section;
    for (let k = 0; k < n; k++) {
      const i = order ? order[k]! : k;
      const offset = offsets[i]!;
      let id = ids[i]!;
      if (id === ALIAS) {
        id = this.aliasTarget(offset);
        // An alias of a type in another unit is indexed when the phase ends.
        if (id < 0) continue;
      }
      this.session.dieTypes.record(section, offset, id);
    }
  }

  /** The id an alias DIE stands for when it ends inside this unit, else -1. */
  private aliasTarget(offset: number): number {
    const r = this.followLocal(offset - this.unit.offset);
    return r >= 0 ? r : -1;
  }
}
