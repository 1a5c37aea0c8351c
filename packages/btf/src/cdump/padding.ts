// Explicit padding between struct members: anonymous bitfields (`long: 64;`, `int: 3;`) that
// put the next member exactly at its BTF offset whatever the compiler's alignment rules would
// do on their own. Same choices as libbpf: pad with the widest of long/int/short/char that
// reaches an aligned boundary, and add a zero-width `type: 0;` marker only where the compiler
// would otherwise not align to the boundary we need.

import type { DumpState } from "./state.js";
import { indent } from "./text.js";

/**
 * Print padding from bit `curOff` to bit `nextOff`. `nextAlign` is the next member's
 * alignment in bytes; `inBitfield` means the previous member was a bitfield too, so the gap
 * must be filled with exact bit counts.
 */
export function emitBitPadding(s: DumpState, curOff: number, nextOff: number, nextAlign: number, inBitfield: boolean, lvl: number): void {
  if (curOff >= nextOff) return;
  const pads: readonly (readonly [string, number])[] = [
    ["long", s.layout.ptrSize * 8],
    ["int", 32],
    ["short", 16],
    ["char", 8],
  ];
  const pfx = indent(lvl);
  let padType = "";
  let padBits = 0;
  let newOff = 0;
  for (const [name, bits] of pads) {
    padType = name;
    padBits = bits;
    newOff = roundUp(curOff, bits);
    if (newOff <= nextOff) break;
  }

  if (newOff > curOff && newOff <= nextOff) {
    const needMarker =
      inBitfield ||
      (newOff === nextOff && roundUp(curOff, nextAlign * 8) !== newOff) ||
      (newOff !== nextOff && nextOff - newOff <= newOff - curOff);
    if (needMarker) s.print(`\n${pfx}${padType}: ${inBitfield ? newOff - curOff : 0};`);
    curOff = newOff;
  }

  // From an aligned offset, whole pad units, then the smallest type that covers the rest.
  while (curOff !== nextOff) {
    const bits = Math.min(nextOff - curOff, padBits);
    if (bits === padBits) {
      s.print(`\n${pfx}${padType}: ${padBits};`);
      curOff += bits;
      continue;
    }
    for (let i = pads.length - 1; i >= 0; i--) {
      const [name, width] = pads[i]!;
      padType = name;
      padBits = width;
      if (width < bits) continue;
      s.print(`\n${pfx}${name}: ${bits};`);
      curOff += bits;
      break;
    }
  }
}

/** `roundup(x, y)` of the kernel: x rounded up to a multiple of y (0 stays 0 for y = 0). */
function roundUp(x: number, y: number): number {
  return y === 0 ? 0 : Math.ceil(x / y) * y;
}
