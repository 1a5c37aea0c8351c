// Where the type references and the string offsets of each built-in kind sit, so the hot loops
// read them without calling into descriptors. Kinds a plugin registers are described by their
// registry descriptor instead (type references only: dedup keeps such types as they are).

import { BtfKind, builtinKinds, kindDescriptor } from "@btforge/btf";

export interface KindLayout {
  /** A kernel kind whose layout is known here. */
  readonly builtin: boolean;
  /** The common size/type field holds a type id. */
  readonly sizeIsType: boolean;
  /** Words per trailing record (0: no records). */
  readonly stride: number;
  /** Index of the string offset inside a record, -1 when none. */
  readonly nameAt: number;
  /** Index of the type id inside a record, -1 when none. */
  readonly refAt: number;
}

const rec = (sizeIsType: boolean, stride = 0, nameAt = -1, refAt = -1): KindLayout => ({ builtin: true, sizeIsType, stride, nameAt, refAt });

const BUILTIN: Partial<Record<number, KindLayout>> = {
  [BtfKind.INT]: rec(false),
  [BtfKind.FLOAT]: rec(false),
  [BtfKind.FWD]: rec(false),
  [BtfKind.PTR]: rec(true),
  [BtfKind.TYPEDEF]: rec(true),
  [BtfKind.VOLATILE]: rec(true),
  [BtfKind.CONST]: rec(true),
  [BtfKind.RESTRICT]: rec(true),
  [BtfKind.TYPE_TAG]: rec(true),
  [BtfKind.FUNC]: rec(true),
  [BtfKind.VAR]: rec(true),
  [BtfKind.DECL_TAG]: rec(true),
  // ARRAY: words 0 (element) and 1 (index) are type ids; handled by name where it matters.
  [BtfKind.ARRAY]: rec(false),
  [BtfKind.STRUCT]: rec(false, 3, 0, 1),
  [BtfKind.UNION]: rec(false, 3, 0, 1),
  [BtfKind.ENUM]: rec(false, 2, 0, -1),
  [BtfKind.ENUM64]: rec(false, 3, 0, -1),
  [BtfKind.FUNC_PROTO]: rec(true, 2, 0, 1),
  [BtfKind.DATASEC]: rec(false, 3, -1, 0),
};

const builtinDescriptors = new Set(Object.values(builtinKinds));

/**
 * The layout of every kind number as the registry stands now (one lookup table per dedup run);
 * a kind a plugin registered is not `builtin`, and unregistered numbers are undefined.
 */
export function layoutTable(): (KindLayout | undefined)[] {
  const table: (KindLayout | undefined)[] = [];
  for (let kind = 0; kind < 32; kind++) {
    const d = kindDescriptor(kind);
    const known = BUILTIN[kind];
    if (!d) table.push(undefined);
    else if (known && builtinDescriptors.has(d)) table.push(known);
    else table.push({ builtin: false, sizeIsType: d.sizeIsType, stride: 0, nameAt: -1, refAt: -1 });
  }
  return table;
}
