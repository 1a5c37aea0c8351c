// The file-scope variable definitions of the DWARF: DW_TAG_variable children of a compile unit's
// root that carry a DW_AT_location. Only the unit's top level is walked (subtrees are skipped
// through DW_AT_sibling), and a definition's name, type and linkage are read only when asked for,
// following DW_AT_specification / DW_AT_abstract_origin to the declaration that holds them.
import { DW_AT, DW_TAG, type DieCursor, type DwarfFile, locationAddress, type UnitHeader } from "@btforge/dwarf";
import type { DieTypes } from "../die-types.js";
import { DieSeeker } from "../die-seeker.js";

/** A definition points at its declaration, which may point further: more hops than this is a cycle. */
const MAX_ORIGIN_HOPS = 8;

/**
 * The definition under the walk. One object serves the whole walk; its accessors are valid only
 * inside the visit callback.
 */
export class VariableDefinition {
  /** The unit and section offset of the defining DIE. */
  unit!: UnitHeader;
  die = 0;
  /** The address of DW_OP_addr/addrx, or undefined when the location is anything else. */
  address: bigint | undefined;

  private cursor!: DieCursor;
  private origin: DieCursor | undefined;
  private originKnown = false;
  private readonly seeker: DieSeeker;

  constructor(
    dwarf: DwarfFile,
    private readonly dieTypes: DieTypes,
  ) {
    this.seeker = new DieSeeker(dwarf);
  }

  /** @internal the walk moves the definition to the cursor's DIE. */
  moveTo(cursor: DieCursor, address: bigint | undefined): void {
    this.cursor = cursor;
    this.unit = cursor.unit;
    this.die = cursor.offset;
    this.address = address;
    this.origin = undefined;
    this.originKnown = false;
  }

  name(): string | undefined {
    return this.cursor.str(DW_AT.name) ?? this.declaration()?.str(DW_AT.name);
  }

  /** DW_AT_external: the BTF linkage global-allocated rather than static. */
  external(): boolean {
    return this.cursor.flag(DW_AT.external) || (this.declaration()?.flag(DW_AT.external) ?? false);
  }

  /** The BTF id of the variable's type: 0 for none (void), NO_TYPE when its type produced none. */
  typeId(): number {
    // A definition may complete its declaration's type (int a[]; then int a[4];): its own wins.
    if (this.cursor.has(DW_AT.type)) return this.dieTypes.typeOf(this.cursor);
    const declaration = this.declaration();
    return declaration ? this.dieTypes.typeOf(declaration) : 0;
  }

  /** The DIE the definition's specification or abstract origin leads to, positioned on it. */
  private declaration(): DieCursor | undefined {
    if (this.originKnown) return this.origin;
    this.originKnown = true;
    let from = this.cursor;
    for (let hop = 0; hop < MAX_ORIGIN_HOPS; hop++) {
      const at = from.has(DW_AT.specification) ? DW_AT.specification : from.has(DW_AT.abstract_origin) ? DW_AT.abstract_origin : 0;
      const next = at === 0 ? undefined : this.seeker.follow(from, at);
      if (next === undefined) break;
      from = next;
    }
    this.origin = from === this.cursor ? undefined : from;
    return this.origin;
  }
}

const isCompileUnit = (tag: number): boolean => tag === DW_TAG.compile_unit || tag === DW_TAG.partial_unit;

/** Calls `visit` for every file-scope variable definition of every compile unit, in DWARF order. */
export function forEachVariableDefinition(dwarf: DwarfFile, dieTypes: DieTypes, visit: (definition: VariableDefinition) => void): void {
  const definition = new VariableDefinition(dwarf, dieTypes);
  for (const unit of dwarf.units()) {
    if (unit.section !== "debug_info") continue;
    const cursor = dwarf.cursor(unit);
    if (!cursor.next() || !isCompileUnit(cursor.tag)) continue;
    while (cursor.next()) {
      if (cursor.tag === DW_TAG.variable && cursor.depth === 1 && cursor.has(DW_AT.location)) {
        const expr = cursor.block(DW_AT.location);
        definition.moveTo(cursor, expr === undefined ? undefined : locationAddress(expr, unit, dwarf));
        visit(definition);
      }
      if (cursor.hasChildren) cursor.skipChildren();
    }
  }
}
