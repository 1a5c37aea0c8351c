// Small helpers shared by the built-in kind descriptors' dumpers and views.

import type { BtfTypeStore } from "../../store.js";
import { kindDescriptor } from "../registry.js";

/** A name as bpftool prints it: "(anon)" for offset 0, "(invalid)" when outside the strings. */
export function dumpName(table: BtfTypeStore, off: number): string {
  if (off === 0) return "(anon)";
  return table.strings.tryGet(off) ?? "(invalid)";
}

/** A kind's name as bpftool prints it; kinds nothing is registered for print as UNKNOWN. */
export function dumpKindName(kind: number): string {
  return kindDescriptor(kind)?.name ?? "UNKNOWN";
}

/** A name for views: the string, or undefined when the offset is outside the strings. */
export function viewName(table: BtfTypeStore, off: number): string | undefined {
  return table.strings.tryGet(off);
}

/** Trailing words laid out as vlen records of `stride` words. */
export function forEachRecord(table: BtfTypeStore, id: number, stride: number, fn: (words: Uint32Array, at: number, index: number) => void): void {
  const words = table.words(id);
  for (let i = 0, at = 0; at + stride <= words.length; i++, at += stride) fn(words, at, i);
}

/** Visit word `offset` of each `stride`-word record (the type-id field of each record). */
export function recordRefs(stride: number, offset: number) {
  return (table: BtfTypeStore, id: number, visit: (wordIndex: number) => void): void => {
    const n = table.wordCount(id);
    for (let at = offset; at < n; at += stride) visit(at);
  };
}
