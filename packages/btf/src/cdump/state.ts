// Everything one C dump carries from type to type: per-type ordering and emission states
// (one byte each, indexed by id), the unique names, layout facts, the declarator stack the
// declaration printer works on, and the text produced so far.

import { BtfKind } from "../constants.js";
import { GrowableBytes } from "../growable.js";
import type { BtfTypeStore } from "../store.js";
import { TypeLayout } from "./layout.js";
import { NameResolver } from "./names.js";

/** Ordering state (topological sort): only types that are C definitions get past NONE. */
export const Order = { NONE: 0, ORDERING: 1, ORDERED: 2 } as const;

/** Emission state: EMITTING marks a definition whose dependencies are being printed. */
export const Emit = { NONE: 0, EMITTING: 1, EMITTED: 2 } as const;

/**
 * How deep type references may nest (pointer to const to array of struct embedding ...)
 * before we call it a cycle. Real kernels stay below 50; the walks recurse, so the bound also
 * keeps them well inside the JS stack.
 */
export const MAX_CHAIN = 1000;

export class DumpState {
  readonly order: Uint8Array;
  readonly emit: Uint8Array;
  /** A forward declaration (or, for a typedef, its definition) was printed early. */
  readonly fwdEmitted: Uint8Array;
  /** Some other type refers to this one (tells top-level anonymous enums from inline ones). */
  readonly referenced: Uint8Array;
  readonly names: NameResolver;
  readonly layout: TypeLayout;
  /** Definitions to print for the current root type, in dependency order. */
  readonly queue: number[] = [];
  /** Declarator chains of nested declarations, each in its own frame (see decl.ts). */
  readonly declStack: number[] = [];
  /** Text of the definition being printed; moved to `bytes` after each root type. */
  private pending = "";
  /** Everything printed before, as UTF-8: keeping millions of small strings alive costs GC time. */
  private readonly bytes: GrowableBytes;

  constructor(
    readonly table: BtfTypeStore,
    ptrSize: number,
    readonly warn: (message: string) => void,
  ) {
    const n = table.lastId + 1;
    this.order = new Uint8Array(n);
    this.emit = new Uint8Array(n);
    this.fwdEmitted = new Uint8Array(n);
    this.referenced = new Uint8Array(n);
    this.order[0] = Order.ORDERED; // void needs no definition
    this.emit[0] = Emit.EMITTED;
    this.names = new NameResolver(table);
    this.layout = new TypeLayout(table, ptrSize);
    markReferenced(table, this.referenced);
    this.bytes = new GrowableBytes(Math.max(4096, table.typeSectionSize));
  }

  print(s: string): void {
    this.pending += s;
  }

  /** Move the pending text to the byte buffer. */
  flush(): void {
    const text = this.pending;
    if (text === "") return;
    this.pending = "";
    this.bytes.reserve(text.length * 3);
    this.bytes.length += encoder.encodeInto(text, this.bytes.data.subarray(this.bytes.length)).written;
  }

  /** All text printed so far. */
  text(): string {
    this.flush();
    return decoder.decode(this.bytes.view());
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Mark every type some other type points at. As in libbpf, a prototype's return type does
 * not count: only its parameters do.
 */
function markReferenced(table: BtfTypeStore, referenced: Uint8Array): void {
  const mark = (ref: number) => {
    if (ref < referenced.length) referenced[ref] = 1;
  };
  for (let id = 1; id <= table.lastId; id++) {
    switch (table.kind(id)) {
      case BtfKind.PTR:
      case BtfKind.TYPEDEF:
      case BtfKind.VOLATILE:
      case BtfKind.CONST:
      case BtfKind.RESTRICT:
      case BtfKind.FUNC:
      case BtfKind.VAR:
      case BtfKind.DECL_TAG:
      case BtfKind.TYPE_TAG:
        mark(table.sizeOrType(id));
        break;
      case BtfKind.ARRAY:
        mark(table.word(id, 0));
        mark(table.word(id, 1));
        break;
      case BtfKind.STRUCT:
      case BtfKind.UNION: // members: name, type, offset
        markRecords(table, id, 3, 1, mark);
        break;
      case BtfKind.DATASEC: // entries: type, offset, size
        markRecords(table, id, 3, 0, mark);
        break;
      case BtfKind.FUNC_PROTO: // parameters: name, type
        markRecords(table, id, 2, 1, mark);
        break;
      default:
        break;
    }
  }
}

function markRecords(table: BtfTypeStore, id: number, stride: number, at: number, mark: (ref: number) => void): void {
  const w = table.words(id);
  for (let i = at; i < w.length; i += stride) mark(w[i]!);
}
