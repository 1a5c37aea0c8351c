// The raw text format of `bpftool btf dump file X` (format raw): one `[id] KIND 'name'` line
// per type followed by the kind's own fields and member lines. For split BTF only the split
// part is printed, with ids continuing the base's, as `bpftool btf dump file mod -B vmlinux`.
//
// The text is assembled as UTF-8 bytes, one type at a time: joining ~130k small strings into
// one giant string costs more (rope flattening, GC) than encoding each as it is made.

import { GrowableBytes } from "./growable.js";
import { dumpKindName, dumpName } from "./kinds/builtin/format.js";
import { kindDescriptor } from "./kinds/registry.js";
import type { BtfTypeStore } from "./store.js";

export interface DumpRawOptions {
  /** Dump only these ids (bpftool's `root_id`), in the order given. */
  ids?: Iterable<number>;
}

/** One type's text, without the final newline. */
export function dumpRawType(table: BtfTypeStore, id: number): string {
  const kind = table.kind(id);
  const head = `[${id}] ${dumpKindName(kind)} '${dumpName(table, table.nameOff(id))}'`;
  const d = kindDescriptor(kind);
  return d ? head + d.dumpRaw(table, id) : head;
}

const encoder = new TextEncoder();

/** The whole dump as UTF-8 bytes, each type's text ending in a newline (for writing to a stream). */
export function dumpRawBytes(table: BtfTypeStore, options: DumpRawOptions = {}): Uint8Array {
  const out = new GrowableBytes(Math.max(4096, table.typeSectionSize * 2));
  const emit = (id: number) => {
    const text = dumpRawType(table, id) + "\n";
    out.reserve(text.length * 3);
    out.length += encoder.encodeInto(text, out.data.subarray(out.length)).written;
  };
  if (options.ids) for (const id of options.ids) emit(id);
  else for (let id = table.firstId; id <= table.lastId; id++) emit(id);
  return out.view();
}

/** The whole dump as text, each type's text ending in a newline. */
export function dumpRaw(table: BtfTypeStore, options: DumpRawOptions = {}): string {
  return new TextDecoder().decode(dumpRawBytes(table, options));
}
