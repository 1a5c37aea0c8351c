// Whether a struct is packed, inferred from its layout as upstream pahole infers it
// (class__infer_packed_attributes): DWARF does not say __attribute__((packed)), but a struct with
// no holes and no tail padding that has a member at an offset its type's alignment would not allow,
// or whose size is not a multiple of its largest member alignment, can only be packed. Such a struct
// passed by value on the stack has no layout the BPF trampoline can rely on.
import { BtfKind, type BtfTable, resolveTypeSize } from "@btforge/btf";

const MAX_DEPTH = 32;

/** Follows typedefs, qualifiers and type tags. */
function strip(t: BtfTable, id: number): number {
  for (let depth = 0; depth < MAX_DEPTH && id !== 0; depth++) {
    const k = t.kind(id);
    if (k !== BtfKind.TYPEDEF && k !== BtfKind.CONST && k !== BtfKind.VOLATILE && k !== BtfKind.RESTRICT && k !== BtfKind.TYPE_TAG) return id;
    id = t.sizeOrType(id);
  }
  return id;
}

/** The alignment a type has without attributes (pahole's tag__natural_alignment). */
export function naturalAlignment(t: BtfTable, id: number, pointerSize: number, depth = 0): number {
  id = strip(t, id);
  if (id === 0 || depth > MAX_DEPTH) return 1;
  switch (t.kind(id)) {
    case BtfKind.PTR:
      return pointerSize;
    case BtfKind.INT:
    case BtfKind.FLOAT:
    case BtfKind.ENUM:
    case BtfKind.ENUM64:
      return t.sizeOrType(id) || 1;
    case BtfKind.STRUCT:
    case BtfKind.UNION: {
      let align = 1;
      for (let i = 0; i < t.vlen(id); i++) align = Math.max(align, naturalAlignment(t, t.word(id, 3 * i + 1), pointerSize, depth + 1));
      return align;
    }
    case BtfKind.ARRAY:
      return naturalAlignment(t, t.word(id, 0), pointerSize, depth + 1);
    default:
      return 1;
  }
}

/** Whether STRUCT `id` is packed by pahole's inference. */
export function isPackedStruct(t: BtfTable, id: number, pointerSize: number): boolean {
  if (t.kind(id) !== BtfKind.STRUCT) return false;
  const size = t.sizeOrType(id);
  const bitfields = t.kindFlag(id);
  const n = t.vlen(id);
  // A hole or tail padding means the compiler laid it out freely: not packed.
  let end = 0;
  for (let i = 0; i < n; i++) {
    const word = t.word(id, 3 * i + 2);
    const bits = bitfields ? word >>> 24 : 0;
    const bitOffset = bitfields ? word & 0xffffff : word;
    const start = Math.floor(bitOffset / 8);
    if (start > end) return false;
    const memberEnd = bits ? Math.ceil((bitOffset + bits) / 8) : start + Math.max(0, resolveTypeSize(t, t.word(id, 3 * i + 1), pointerSize));
    end = Math.max(end, memberEnd);
  }
  if (end < size) return false;
  let maxAlign = 1;
  for (let i = 0; i < n; i++) {
    const word = t.word(id, 3 * i + 2);
    if (bitfields && word >>> 24 !== 0) continue;
    const align = naturalAlignment(t, t.word(id, 3 * i + 1), pointerSize);
    if (align === 1) continue;
    maxAlign = Math.max(maxAlign, align);
    const byteOffset = Math.floor((bitfields ? word & 0xffffff : word) / 8);
    if (byteOffset % align !== 0) return true;
  }
  return size % maxAlign !== 0;
}
