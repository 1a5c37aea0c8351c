// BtfTable: the type table (./store.ts) plus typed builders, one per built-in kind, and an
// object view per type. Builders take names as strings (interned here) or as string offsets
// already in the table, and return the new type id.

import { BtfKind, BtfFuncLinkage, BtfVarLinkage } from "./constants.js";
import { BtfError } from "./errors.js";
import { memberOffset } from "./kinds/builtin/aggregates.js";
import { intWord } from "./kinds/builtin/scalars.js";
import { kindDescriptor } from "./kinds/registry.js";
import { BtfTypeStore } from "./store.js";
import type { BtfStrings } from "./strings.js";

/** A name: a string to intern, or an offset already in the string table (0 = anonymous). */
export type NameRef = string | number;

export interface BtfMember {
  name: NameRef;
  type: number;
  bitOffset: number;
  /** Bits of a bitfield member; 0 or absent for an ordinary member. */
  bitfieldSize?: number;
}
export interface BtfEnumValue {
  name: NameRef;
  value: number;
}
export interface BtfEnum64Value {
  name: NameRef;
  value: bigint;
}
export interface BtfParam {
  name: NameRef;
  type: number;
}
export interface BtfDatasecEntry {
  type: number;
  offset: number;
  size: number;
}

/** A plain-object picture of one type, for tests, printing and debugging. */
export interface BtfTypeView {
  id: number;
  kind: string;
  name: string | undefined;
  [field: string]: unknown;
}

export class BtfTable extends BtfTypeStore {
  declare readonly base: BtfTable | undefined;

  constructor(options: { base?: BtfTable; strings?: BtfStrings; expectedTypes?: number; expectedWords?: number } = {}) {
    super(options);
  }

  /** Intern a name (or pass an offset through). */
  nameRef(name: NameRef): number {
    return typeof name === "number" ? name : this.strings.add(name);
  }

  addInt(name: NameRef, size: number, encoding: number, bitOffset: number, bits: number): number {
    return this.add(BtfKind.INT, this.nameRef(name), 0, false, size, [intWord.make(encoding, bitOffset, bits)]);
  }

  addPtr(type: number): number {
    return this.add(BtfKind.PTR, 0, 0, false, type);
  }

  addArray(elemType: number, indexType: number, nelems: number): number {
    return this.add(BtfKind.ARRAY, 0, 0, false, 0, [elemType, indexType, nelems]);
  }

  addStruct(name: NameRef, size: number, members: readonly BtfMember[]): number {
    return this.addComposite(BtfKind.STRUCT, name, size, members);
  }

  addUnion(name: NameRef, size: number, members: readonly BtfMember[]): number {
    return this.addComposite(BtfKind.UNION, name, size, members);
  }

  addEnum(name: NameRef, size: number, signed: boolean, values: readonly BtfEnumValue[]): number {
    const words: number[] = [];
    for (const v of values) words.push(this.nameRef(v.name), v.value >>> 0);
    return this.add(BtfKind.ENUM, this.nameRef(name), values.length, signed, size, words);
  }

  addEnum64(name: NameRef, size: number, signed: boolean, values: readonly BtfEnum64Value[]): number {
    const words: number[] = [];
    for (const v of values) {
      const u = BigInt.asUintN(64, v.value);
      words.push(this.nameRef(v.name), Number(u & 0xffffffffn), Number(u >> 32n));
    }
    return this.add(BtfKind.ENUM64, this.nameRef(name), values.length, signed, size, words);
  }

  addFwd(name: NameRef, isUnion: boolean): number {
    return this.add(BtfKind.FWD, this.nameRef(name), 0, isUnion, 0);
  }

  addTypedef(name: NameRef, type: number): number {
    return this.add(BtfKind.TYPEDEF, this.nameRef(name), 0, false, type);
  }

  addVolatile(type: number): number {
    return this.add(BtfKind.VOLATILE, 0, 0, false, type);
  }

  addConst(type: number): number {
    return this.add(BtfKind.CONST, 0, 0, false, type);
  }

  addRestrict(type: number): number {
    return this.add(BtfKind.RESTRICT, 0, 0, false, type);
  }

  addFunc(name: NameRef, proto: number, linkage: number = BtfFuncLinkage.STATIC): number {
    return this.add(BtfKind.FUNC, this.nameRef(name), linkage, false, proto);
  }

  /** A prototype; pass a last parameter `{ name: 0, type: 0 }` for varargs. */
  addFuncProto(returnType: number, params: readonly BtfParam[]): number {
    const words: number[] = [];
    for (const p of params) words.push(this.nameRef(p.name), p.type);
    return this.add(BtfKind.FUNC_PROTO, 0, params.length, false, returnType, words);
  }

  addVar(name: NameRef, type: number, linkage: number = BtfVarLinkage.STATIC): number {
    return this.add(BtfKind.VAR, this.nameRef(name), 0, false, type, [linkage]);
  }

  addDatasec(name: NameRef, size: number, entries: readonly BtfDatasecEntry[]): number {
    const words: number[] = [];
    for (const e of entries) words.push(e.type, e.offset, e.size);
    return this.add(BtfKind.DATASEC, this.nameRef(name), entries.length, false, size, words);
  }

  addFloat(name: NameRef, size: number): number {
    return this.add(BtfKind.FLOAT, this.nameRef(name), 0, false, size);
  }

  /** componentIdx -1 tags the declaration itself; attribute sets kind_flag (Linux 6.14). */
  addDeclTag(name: NameRef, type: number, componentIdx: number, attribute = false): number {
    return this.add(BtfKind.DECL_TAG, this.nameRef(name), 0, attribute, type, [componentIdx >>> 0]);
  }

  addTypeTag(name: NameRef, type: number, attribute = false): number {
    return this.add(BtfKind.TYPE_TAG, this.nameRef(name), 0, attribute, type);
  }

  /** The type as a plain object: id, kind name, name, and the kind's own fields (raw fields for an opaque kind). */
  typeView(id: number): BtfTypeView {
    const kind = this.kind(id);
    const d = kindDescriptor(kind);
    const name = this.strings.tryGet(this.nameOff(id));
    if (!d) {
      // Known only from the layout section: its raw fields, named as bpftool names it.
      return { id, kind: "UNKNOWN", name, opaque: true, kindNumber: kind, vlen: this.vlen(id), kindFlag: this.kindFlag(id), sizeOrType: this.sizeOrType(id), words: [...this.words(id)] };
    }
    return { id, kind: d.name, name, ...d.toView(this, id) };
  }

  private addComposite(kind: number, name: NameRef, size: number, members: readonly BtfMember[]): number {
    // kind_flag (bitfield sizes in the offset word) is only needed when some member is a bitfield.
    const kflag = members.some((m) => (m.bitfieldSize ?? 0) !== 0);
    const words: number[] = [];
    for (const m of members) {
      const bits = m.bitfieldSize ?? 0;
      if (kflag && (m.bitOffset > 0xffffff || bits > 0xff)) {
        throw new BtfError("BTF_BAD_ARGUMENT", `member bit offset ${m.bitOffset} / bitfield size ${bits} does not fit the kind_flag encoding`);
      }
      words.push(this.nameRef(m.name), m.type, kflag ? memberOffset.make(m.bitOffset, bits) : m.bitOffset);
    }
    return this.add(kind, this.nameRef(name), members.length, kflag, size, words);
  }
}
