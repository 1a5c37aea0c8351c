// What the rest of the library needs to know about a BTF kind, described once per kind.
//
// Parsing, writing, dumping, reference remapping (dedup) and validation never switch on kind
// numbers: they ask the descriptor. That is what lets a plugin add a kind and have every tool
// handle it. The built-in kinds are described in ./builtin/.

import type { BtfTypeStore } from "../store.js";

/** What a validation rule sees: the table and a way to report a problem with one type. */
export interface KindRuleContext {
  readonly table: BtfTypeStore;
  /** Report a problem with type `id`, worded the way the kernel's BTF loader words it. */
  report(id: number, message: string): void;
}

/** Checks one type of a kind; reports problems through the context. */
export type KindRule = (ctx: KindRuleContext, id: number) => void;

export interface KindDescriptor {
  /** The kind number carried in bits 24..30 of `info` (1..127; kernels before the wide info field take 1..31). */
  readonly kind: number;
  /** Upper-case name as bpftool prints it: "INT", "STRUCT", ... */
  readonly name: string;
  /** The kernel version that introduced the kind ("4.18", "5.13", ...), or "plugin". */
  readonly since: string;
  /**
   * Number of 32-bit words that follow the 12-byte common header. Must depend only on vlen
   * and kind_flag, and be a small multiple of vlen at most, so a parser can bound it.
   */
  trailingWords(vlen: number, kindFlag: boolean): number;
  /** Whether the common size/type field holds a type id (PTR, TYPEDEF, FUNC, VAR, ...). */
  readonly sizeIsType: boolean;
  /** Calls `visit` with the index of every trailing word that holds a type id. */
  trailingTypeRefs?(table: BtfTypeStore, id: number, visit: (wordIndex: number) => void): void;
  /**
   * Calls `visit` with the index of every trailing word that holds a string offset (a plugin kind
   * with named records); without it the trailing words hold none. Built-in kinds: ../string-refs.ts.
   */
  trailingStringRefs?(table: BtfTypeStore, id: number, visit: (wordIndex: number) => void): void;
  /**
   * The `bpftool btf dump` raw text for the type after its `[id] KIND 'name'` prefix,
   * including member lines ("\n\t..."), without the final newline.
   */
  dumpRaw(table: BtfTypeStore, id: number): string;
  /** The kind-specific fields of the type as a plain object (tests, printing, debugging). */
  toView(table: BtfTypeStore, id: number): Record<string, unknown>;
  /** Validation rule; the validator fills these in for built-in kinds, a plugin brings its own. */
  validate?: KindRule;
}
