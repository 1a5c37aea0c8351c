// The per-unit half of the functions feature: every unit-level DW_TAG_subprogram of one unit that
// could become a FUNC, read into plain records ("function states", in upstream pahole's word), with
// its prototype as BTF ids and its verdicts on the calling convention. Nothing here looks at other
// units, so units can be read in any order (or in parallel) and the states collected in unit order.
//
// A definition is read from its own DIE: an out-of-line copy of an inlined function (or a clone
// such as foo.isra.0) lists the parameters it really has, each pointing at the abstract instance's
// parameter for its name and type (DW_AT_abstract_origin). Where a copy keeps a parameter (its
// location), the abstract instance learns it too, so the abstract instance's own state describes
// what its copies did. That sharing stays within the unit, as the references do.
import { BtfKind, type BtfTable, resolveTypeSize } from "@btforge/btf";
import { DW_AT, DW_TAG, type DieCursor, type DwarfFile, type UnitHeader } from "@btforge/dwarf";
import { type DieTypes, NO_TYPE } from "../die-types.js";
import { isValidIdentifier } from "../names.js";
import type { CallingConvention } from "./abi.js";
import { readDeclTags, type DeclTag } from "./decl-tags.js";
import type { ElfFunctions } from "./elf-functions.js";
import { isPackedStruct } from "./packed.js";
import { analyzeParameters, type ParameterFacts } from "./parameter-analysis.js";
import { ParameterLocationReader, UNKNOWN_REGISTER } from "./parameter-location.js";
import { DieSeeker } from "../die-seeker.js";

/** DW_CC_nocall: clang's mark of a function whose calling convention it changed. */
const DW_CC_NOCALL = 3;

/** A function state's verdicts (bits). */
export const StateFlag = {
  /** Some parameter is optimized out (no location, or a constant). */
  OPTIMIZED_PARAMETERS: 1,
  /** Some parameter is not in the register the ABI gives it. */
  UNEXPECTED_REGISTER: 2,
  /** A packed struct is passed by value on the stack. */
  UNCERTAIN_LOCATION: 4,
  /** The copy lists its parameters in another order than the source. */
  REORDERED: 8,
  /** clang changed the calling convention (DW_CC_nocall). */
  SIGNATURE_CHANGED: 16,
} as const;

export interface StateParam {
  readonly name: string;
  readonly type: number;
}

/** One definition of a function, as one unit describes it. */
export interface FunctionState {
  /** The function's name (the ELF function it matched). */
  readonly name: string;
  readonly unit: number;
  readonly die: number;
  /** DW_AT_low_pc: where this definition's code starts (undefined for an abstract instance). */
  readonly address: bigint | undefined;
  readonly returnType: number;
  /** The parameters its FUNC_PROTO lists; varargs as a last parameter with no name and type 0. */
  readonly params: readonly StateParam[];
  readonly flags: number;
  readonly declTags: readonly DeclTag[];
}

/** Why a subprogram gives no state. */
export type UnitSkip = "declaration" | "invalid-name" | "unnamed-param" | "no-symbol" | "not-external" | "unresolved-type";

export interface UnitFunctions {
  readonly states: FunctionState[];
  readonly skipped: Partial<Record<UnitSkip, number>>;
  /** Names skipped and why, when tracing. */
  readonly trace: string[];
}

export interface UnitReaderOptions {
  readonly convention: CallingConvention;
  /** true_signature: a parameter clang dropped is dropped from the prototype, a split aggregate becomes its member. */
  readonly trueSignature: boolean;
  readonly tracing: boolean;
}

/** One formal parameter as read, with its location facts (a class: one shape for every record). */
class ParamRecord implements ParameterFacts {
  hasLocation = false;
  register = UNKNOWN_REGISTER;
  onStack = false;
  constant = false;
  firstRegisterBytes = 0;
  secondRegisterBytes = 0;
  hasConstValue = false;
  byteSize = 0;
  inMemory = false;
  isStruct = false;
  optimized = false;
  unexpectedRegister = false;
  member: { name: string; type: number } | undefined = undefined;
  memberApplied = false;

  constructor(
    public name: string | undefined,
    public type: number,
    /** Its DIE offset (the key abstract instances are found by). */
    readonly die: number,
    /** Same-unit DIE of its abstract origin when it has no type of its own, else -1. */
    readonly origin: number,
    /** Its position among the function's parameters. */
    readonly position: number,
  ) {}
}

interface FunctionRecord {
  name: string;
  die: number;
  address: bigint | undefined;
  returnType: number;
  params: ParamRecord[];
  varargs: boolean;
  flags: number;
  declTags: DeclTag[];
}

export class UnitFunctionReader {
  private readonly candidates: DieSeeker;
  private readonly origins: DieSeeker;
  private readonly paramOrigins: DieSeeker;
  private readonly tags: DieSeeker;
  private readonly chain: DieSeeker;
  private readonly locations: ParameterLocationReader;
  /** Names by DieCursor.strKey: each .debug_str name decoded once. */
  private readonly names = new Map<number, string>();
  /** Whether a name (by strKey) is an ELF function: one lookup per distinct name. */
  private readonly known = new Map<number, boolean>();

  constructor(
    private readonly dwarf: DwarfFile,
    private readonly types: DieTypes,
    private readonly table: BtfTable,
    private readonly elf: ElfFunctions,
    private readonly options: UnitReaderOptions,
  ) {
    this.candidates = new DieSeeker(dwarf);
    this.origins = new DieSeeker(dwarf);
    this.paramOrigins = new DieSeeker(dwarf);
    this.tags = new DieSeeker(dwarf);
    this.chain = new DieSeeker(dwarf);
    const cc = options.convention;
    this.locations = new ParameterLocationReader({ file: dwarf, addressSize: cc.addressSize, aggregatesInTwoRegisters: cc.aggregatesInTwoRegisters });
  }

  /**
   * Reads the subprograms at `offsets` (unit-level DIEs of `unit`, in DIE order). `annotated` says
   * which units hold annotation DIEs: only their functions may carry decl tags worth looking for.
   */
  read(unit: UnitHeader, offsets: ArrayLike<number>, from = 0, to = offsets.length, annotated: (unit: number) => boolean = () => true): UnitFunctions {
    const skipped: Partial<Record<UnitSkip, number>> = {};
    const trace: string[] = [];
    const skip = (reason: UnitSkip, name: string | undefined) => {
      skipped[reason] = (skipped[reason] ?? 0) + 1;
      if (this.options.tracing) trace.push(`skipped ${name ?? "(unnamed)"}: ${reason}`);
    };
    const clang = unitIsClang(this.dwarf, unit);
    const records: FunctionRecord[] = [];
    const paramsByDie = new Map<number, ParamRecord>();
    for (let i = from; i < to; i++) {
      const c = this.candidates.at(unit, offsets[i]!);
      const r = this.readOne(c, clang, annotated, skip);
      if (!r) continue;
      records.push(r);
      for (const p of r.params) paramsByDie.set(p.die, p);
    }
    // What a copy knows about a parameter's location, its abstract instance learns (pahole's recode).
    for (const r of records) {
      for (const p of r.params) {
        if (p.origin < 0) continue;
        const o = paramsByDie.get(p.origin);
        if (!o) continue;
        if (p.position !== o.position) r.flags |= StateFlag.REORDERED;
        shareLocation(p, o);
      }
    }
    const states: FunctionState[] = [];
    for (const r of records) {
      const signatureChanged = (r.flags & StateFlag.SIGNATURE_CHANGED) !== 0;
      const verdict = analyzeParameters(r.params, this.options.convention, { clang, signatureChanged, trueSignature: this.options.trueSignature });
      if (verdict.optimizedParameters) r.flags |= StateFlag.OPTIMIZED_PARAMETERS;
      if (verdict.unexpectedRegister) r.flags |= StateFlag.UNEXPECTED_REGISTER;
      if (this.packedOnStack(r.params)) r.flags |= StateFlag.UNCERTAIN_LOCATION;
      states.push({ name: r.name, unit: unit.index, die: r.die, address: r.address, returnType: r.returnType, params: this.prototypeParams(r), flags: r.flags, declTags: r.declTags });
    }
    return { states, skipped, trace };
  }

  /** The subprogram under `c` as a record, or undefined (and a skip) when it cannot be a FUNC. */
  private readOne(c: DieCursor, clang: boolean, annotated: (unit: number) => boolean, skip: (reason: UnitSkip, name: string | undefined) => void): FunctionRecord | undefined {
    const die = c.offset;
    const unit = c.unit;
    if (c.flag(DW_AT.declaration)) {
      skip("declaration", this.options.tracing ? c.str(DW_AT.name) : undefined);
      return undefined;
    }
    const inlined = (c.uint(DW_AT.inline) ?? 0) !== 0;
    const address = c.addr(DW_AT.low_pc);
    let name = this.nameOf(c);
    let nameKey = c.strKey(DW_AT.name);
    let external = c.flag(DW_AT.external);
    // void unless some DIE of the chain names a return type.
    let returnType = c.has(DW_AT.type) ? this.types.typeOf(c) : 0;
    let typed = c.has(DW_AT.type);
    const hasOrigin = c.has(DW_AT.abstract_origin);
    let convention = hasOrigin ? 0 : (c.uint(DW_AT.calling_convention) ?? 0);
    // Name, return type and linkage from the abstract instance or declaration when this DIE lacks them.
    let declUnit: UnitHeader = unit;
    let declOffset = die;
    for (let hops = 0, at: DieCursor = c; hops < 4; hops++) {
      const next = this.origins.follow(at, DW_AT.abstract_origin) ?? this.origins.follow(at, DW_AT.specification);
      if (!next) break;
      if (hops === 0 && hasOrigin) convention = next.uint(DW_AT.calling_convention) ?? 0;
      if (name === undefined) {
        name = this.nameOf(next);
        nameKey = next.strKey(DW_AT.name);
      }
      external ||= next.flag(DW_AT.external);
      if (!typed && next.has(DW_AT.type)) {
        returnType = this.types.typeOf(next);
        typed = true;
      }
      declUnit = next.unit;
      declOffset = next.offset;
      at = next;
    }
    if (name === undefined) {
      skip("declaration", undefined);
      return undefined;
    }
    if (!isValidIdentifier(name)) {
      skip("invalid-name", name);
      return undefined;
    }
    if (this.elf.size > 0 ? !this.isElfFunction(name, nameKey) : !external) {
      skip(this.elf.size > 0 ? "no-symbol" : "not-external", name);
      return undefined;
    }
    const { params, varargs } = this.readParams(c);
    if (params.some((p) => p.name === undefined)) {
      skip("unnamed-param", name);
      return undefined;
    }
    if (returnType === NO_TYPE || params.some((p) => p.type === NO_TYPE)) {
      skip("unresolved-type", name);
      return undefined;
    }
    let flags = 0;
    if (clang && !inlined && convention === DW_CC_NOCALL) flags |= StateFlag.SIGNATURE_CHANGED;
    const declTags = annotated(declUnit.index) ? readDeclTags(this.tags, this.chain, declUnit, declOffset) : [];
    return { name, die, address, returnType, params, varargs, flags, declTags };
  }

  private isElfFunction(name: string, key: number): boolean {
    if (key < 0) return this.elf.get(name) !== undefined;
    let known = this.known.get(key);
    if (known === undefined) {
      known = this.elf.get(name) !== undefined;
      this.known.set(key, known);
    }
    return known;
  }

  private nameOf(c: DieCursor): string | undefined {
    const key = c.strKey(DW_AT.name);
    if (key < 0) return c.str(DW_AT.name);
    let name = this.names.get(key);
    if (name === undefined) {
      name = c.str(DW_AT.name);
      if (name !== undefined) this.names.set(key, name);
    }
    return name;
  }

  /** The subprogram's own formal parameters (cursor `c` on it; moved past them). */
  private readParams(c: DieCursor): { params: ParamRecord[]; varargs: boolean } {
    const params: ParamRecord[] = [];
    let varargs = false;
    if (!c.hasChildren) return { params, varargs };
    const depth = c.depth;
    const cc = this.options.convention;
    while (c.next() && c.depth > depth) {
      if (c.depth !== depth + 1) continue;
      if (c.tag === DW_TAG.formal_parameter) {
        params.push(this.readParam(c, params.length, cc));
      } else if (c.tag === DW_TAG.unspecified_parameters) {
        varargs = true;
      }
      if (c.hasChildren) c.skipChildren();
    }
    return { params, varargs };
  }

  private readParam(c: DieCursor, position: number, cc: CallingConvention): ParamRecord {
    let name = this.nameOf(c);
    let type = c.has(DW_AT.type) ? this.types.typeOf(c) : NO_TYPE;
    let origin = -1;
    if (type === NO_TYPE && c.has(DW_AT.abstract_origin)) {
      const target = c.ref(DW_AT.abstract_origin);
      if (target !== undefined && c.refUnit(DW_AT.abstract_origin) === c.unit) origin = target;
      const o = this.paramOrigins.follow(c, DW_AT.abstract_origin);
      if (o) {
        // The abstract instance's name wins, as pahole takes both from there.
        name = this.nameOf(o) ?? name;
        type = o.has(DW_AT.type) ? this.types.typeOf(o) : 0;
      }
    } else if (type === NO_TYPE && !c.has(DW_AT.type)) {
      type = 0;
    }
    const byteSize = type > 0 ? Math.max(0, resolveTypeSize(this.table, type, cc.addressSize)) : 0;
    const p = new ParamRecord(name, type, c.offset, origin, position);
    p.hasConstValue = c.has(DW_AT.const_value);
    p.byteSize = byteSize;
    p.inMemory = byteSize > (cc.aggregatesInTwoRegisters ? 2 : 1) * cc.addressSize;
    p.isStruct = type > 0 && isStructParam(this.table, type);
    this.locations.read(c, byteSize, p);
    if (this.options.trueSignature) p.member = singleMember(this.table, type, p, cc.addressSize);
    return p;
  }

  /** A packed struct passed by value past the argument registers (pahole: "uncertain parameter location"). */
  private packedOnStack(params: readonly ParamRecord[]): boolean {
    const cc = this.options.convention;
    if (params.length < cc.registerArgs) return false;
    for (let i = cc.registerArgs; i < params.length; i++) {
      const type = params[i]!.type;
      if (type > 0 && this.table.kind(type) === BtfKind.STRUCT && this.table.nameOff(type) !== 0 && isPackedStruct(this.table, type, cc.addressSize)) return true;
    }
    return false;
  }

  /** The parameters the FUNC_PROTO lists (pahole's btf_encoder__save_func). */
  private prototypeParams(r: FunctionRecord): StateParam[] {
    const reordered = (r.flags & StateFlag.REORDERED) !== 0;
    const rewrite = this.options.trueSignature && (r.flags & StateFlag.SIGNATURE_CHANGED) !== 0;
    const out: StateParam[] = [];
    for (const p of r.params) {
      // A reordered copy's parameter with no location is one the copy does not take.
      if (reordered && (!p.hasLocation || p.optimized)) continue;
      if (rewrite && p.optimized) continue;
      if (rewrite && p.memberApplied && p.member) out.push({ name: `${p.name}__${p.member.name}`, type: p.member.type });
      else out.push({ name: p.name!, type: p.type });
    }
    if (r.varargs) out.push({ name: "", type: 0 });
    return out;
  }
}

/** Copies what a concrete copy's parameter knows into its abstract origin's (only what it knows). */
function shareLocation(from: ParamRecord, to: ParamRecord): void {
  if (from.hasLocation) to.hasLocation = true;
  if (from.hasConstValue) to.hasConstValue = true;
  if (from.constant) to.constant = true;
  if (from.onStack) to.onStack = true;
  if (from.register >= 0) to.register = from.register;
  if (from.byteSize !== 0) to.byteSize = from.byteSize;
  if (from.inMemory) to.inMemory = true;
  to.firstRegisterBytes |= from.firstRegisterBytes;
  to.secondRegisterBytes |= from.secondRegisterBytes;
  if (from.member && !to.member) to.member = from.member;
}

/** A struct, through const and typedef (pahole's param__is_struct). */
function isStructParam(t: BtfTable, id: number): boolean {
  for (let depth = 0; depth < 32 && id > 0; depth++) {
    const k = t.kind(id);
    if (k === BtfKind.STRUCT) return true;
    if (k === BtfKind.FWD) return !t.kindFlag(id);
    if (k !== BtfKind.CONST && k !== BtfKind.TYPEDEF) return false;
    id = t.sizeOrType(id);
  }
  return false;
}

/**
 * When an aggregate's pieces show one member alone reaching the function (one byte offset in one
 * register), that member: what true_signature names the parameter after.
 */
function singleMember(t: BtfTable, type: number, p: ParameterFacts, addressSize: number): { name: string; type: number } | undefined {
  const first = p.firstRegisterBytes;
  const second = p.secondRegisterBytes;
  if ((first === 0) === (second === 0)) return undefined;
  const bits = first || second;
  if ((bits & (bits - 1)) !== 0) return undefined;
  const offset = (first ? 0 : addressSize) + Math.log2(bits);
  let id = type;
  for (let depth = 0; depth < 32 && id > 0; depth++) {
    const k = t.kind(id);
    if (k === BtfKind.STRUCT) break;
    if (k !== BtfKind.TYPEDEF && k !== BtfKind.CONST && k !== BtfKind.VOLATILE && k !== BtfKind.RESTRICT && k !== BtfKind.TYPE_TAG) return undefined;
    id = t.sizeOrType(id);
  }
  if (id <= 0 || t.kind(id) !== BtfKind.STRUCT) return undefined;
  const bitfields = t.kindFlag(id);
  for (let i = 0; i < t.vlen(id); i++) {
    const word = t.word(id, 3 * i + 2);
    const bitOffset = bitfields ? word & 0xffffff : word;
    const name = t.strings.get(t.word(id, 3 * i));
    if (bitOffset === offset * 8 && name) return { name, type: t.word(id, 3 * i + 1) };
  }
  return undefined;
}

/** Whether the unit's producer is clang (pahole checks DW_AT_producer for "clang"). */
function unitIsClang(dwarf: DwarfFile, unit: UnitHeader): boolean {
  const c = dwarf.cursor(unit);
  if (!c.next()) return false;
  return c.str(DW_AT.producer)?.includes("clang") ?? false;
}
