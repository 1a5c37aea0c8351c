// What the types phase shares across compilation units: the BTF table being filled, the DIE→id
// index, references that leave their unit (resolved once every unit is encoded), the subprograms
// the functions plugin will look at, and the clang annotations the tag plugins will turn into BTF.
import type { BtfTable } from "@btforge/btf";
import type { UnitSection } from "@btforge/dwarf";
import { DieTypes } from "../die-types.js";
import { IntList } from "../int-list.js";
import type { PackedRef } from "../refs.js";

export interface TypeEncodingOptions {
  /** DW_ATE_float as FLOAT (else INT, as pahole without --btf_gen_floats). */
  float: boolean;
  /** Enums wider than 32 bits as ENUM64 (else ENUM with values truncated, as pahole --skip_encoding_btf_enum64). */
  enum64: boolean;
  /** Invalid names and dangling type references become warnings instead of errors. */
  force: boolean;
}

/** A clang `btf_decl_tag` / `btf_type_tag` annotation (DW_TAG_LLVM_annotation) and what it annotates. */
export interface DwarfAnnotation {
  /** "btf_decl_tag" or "btf_type_tag". */
  readonly name: string;
  readonly value: string;
  /** The BTF type the annotation belongs to: the struct, typedef, pointer, FUNC... */
  readonly typeId: number;
  /** -1 for the type itself, else the member or parameter index. */
  readonly component: number;
  /** DIE offset of the annotation, for messages. */
  readonly die: number;
}

/** `encoding.artifacts.get(ANNOTATIONS_ARTIFACT)`: DwarfAnnotation[] found by the types and functions plugins. */
export const ANNOTATIONS_ARTIFACT = "dwarf-annotations";

/** `encoding.artifacts.get(SUBPROGRAMS_ARTIFACT)`: the unit-level subprogram DIEs, as SubprogramList. */
export const SUBPROGRAMS_ARTIFACT = "dwarf-subprograms";

/** Unit-level DW_TAG_subprogram DIEs in walk order: (unit index, DIE offset) pairs. */
export class SubprogramList {
  readonly units = new IntList(1 << 12);
  readonly offsets = new IntList(1 << 12);
  /** Units holding annotation DIEs (LLVM or GNU) the walk met outside types: only their functions can carry decl tags. */
  readonly annotatedUnits = new Set<number>();

  get length(): number {
    return this.units.length;
  }
}

export class TypeSession {
  readonly dieTypes = new DieTypes();
  readonly subprograms = new SubprogramList();
  readonly annotations: DwarfAnnotation[] = [];
  /** Cross-unit references: the BTF id and slot to patch, the target, and the referring DIE. */
  readonly deferredIds: number[] = [];
  readonly deferredSlots: number[] = [];
  readonly deferredTargets: PackedRef[] = [];
  readonly deferredFrom: number[] = [];
  /** Per-unit DIEs that alias another type (atomic, immutable): offset → packed target. */
  readonly aliases = new Map<number, PackedRef>();
  /** DWARF string key (DieCursor.strKey) → BTF string offset: free-text names, valid identifiers. */
  readonly names = new Map<number, number>();
  readonly identifiers = new Map<number, number>();
  /** The array index type once one is known: the first unit's `int`, or __ARRAY_SIZE_TYPE__. */
  indexType = 0;

  constructor(
    readonly table: BtfTable,
    readonly options: TypeEncodingOptions,
  ) {}

  defer(id: number, slot: number, target: PackedRef, from: number): void {
    this.deferredIds.push(id);
    this.deferredSlots.push(slot);
    this.deferredTargets.push(target);
    this.deferredFrom.push(from);
  }

  /** Key for `aliases`: distinct per section. */
  aliasKey(section: UnitSection, offset: number): number {
    return section === "debug_info" ? offset : -1 - offset;
  }
}
