// Structural equivalence of two types that may live in different tables (different ids, different
// string offsets): same kind and info, same names and non-reference words, and references that are
// themselves equivalent. Cycles (a struct that points back to itself) are assumed equal while being
// compared; pass one `seen` set to many calls to compare each pair once. The same id of a base
// both tables share is the same type. Used to check that a relocated split BTF says what the
// original said.
import { SIZE_OR_TYPE_SLOT, forEachStringRef, forEachTypeRef, type BtfTypeStore } from "@btforge/btf";

/** Why type `x` of `a` and type `y` of `b` differ, or undefined when they are equivalent. */
export function typeDifference(a: BtfTypeStore, x: number, b: BtfTypeStore, y: number, seen = new Set<string>()): string | undefined {
  if (x === 0 || y === 0) return x === y ? undefined : `[${x}] vs [${y}]: one is void`;
  if (x === y && a.base !== undefined && a.base === b.base && x < a.firstId && x < b.firstId) return undefined;
  const key = `${x},${y}`;
  if (seen.has(key)) return undefined;
  seen.add(key);
  const here = `[${x}] vs [${y}]`;
  if (a.info(x) !== b.info(y)) return `${here}: info 0x${a.info(x).toString(16)} vs 0x${b.info(y).toString(16)}`;
  const strings = (t: BtfTypeStore, id: number) => {
    const slots = new Map<number, string>();
    forEachStringRef(t, id, (off, slot) => slots.set(slot, t.strings.get(off)));
    return slots;
  };
  const refs = (t: BtfTypeStore, id: number) => {
    const slots = new Map<number, number>();
    forEachTypeRef(t, id, (ref, slot) => slots.set(slot, ref));
    return slots;
  };
  const [sa, sb] = [strings(a, x), strings(b, y)];
  for (const [slot, text] of sa) if (sb.get(slot) !== text) return `${here}: string slot ${slot} ${JSON.stringify(text)} vs ${JSON.stringify(sb.get(slot))}`;
  const [ra, rb] = [refs(a, x), refs(b, y)];
  if (!ra.has(SIZE_OR_TYPE_SLOT) && a.sizeOrType(x) !== b.sizeOrType(y)) return `${here}: size ${a.sizeOrType(x)} vs ${b.sizeOrType(y)}`;
  const [wa, wb] = [a.words(x), b.words(y)];
  for (let i = 0; i < wa.length; i++) {
    if (ra.has(i) || sa.has(i)) continue;
    if (wa[i] !== wb[i]) return `${here}: word ${i} ${wa[i]} vs ${wb[i]}`;
  }
  for (const [slot, ref] of ra) {
    const why = typeDifference(a, ref, b, rb.get(slot)!, seen);
    if (why) return `${here} (${a.kind(x)} '${a.strings.get(a.nameOff(x))}') slot ${slot} → ${why}`;
  }
  return undefined;
}
