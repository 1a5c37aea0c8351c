// BTF as a C header, the `vmlinux.h` of `bpftool btf dump file X format c`: every type in id
// order, each preceded by the definitions and forward declarations it needs, wrapped in the
// include guard and the clang `preserve_access_index` pragma that makes CO-RE relocations of
// every struct access. For split BTF every type is dumped, base ones included, as bpftool
// does: a header must stand on its own.

import { BtfError } from "../errors.js";
import type { BtfTypeStore } from "../store.js";
import { emitType } from "./emit.js";
import { pointerSize } from "./layout.js";
import { orderType } from "./order.js";
import { DumpState } from "./state.js";

export interface DumpCOptions {
  /** Dump only these types (and what they need), in this order; default: every type. */
  ids?: Iterable<number>;
  /** Pointer size of the target in bytes (4 or 8); default: the size of the BTF's `long`, else 8. */
  pointerSize?: number;
  /** Leave out the include guard and pragma preamble and the matching end. */
  bare?: boolean;
  /** Told about oddities libbpf would warn about (unexpected kinds in declarations, ...). */
  warn?: (message: string) => void;
  /** A file name for error messages. */
  name?: string;
}

const PREAMBLE =
  "#ifndef __VMLINUX_H__\n" +
  "#define __VMLINUX_H__\n" +
  "\n" +
  "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n" +
  "#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n" +
  "#endif\n" +
  "\n";

const EPILOGUE =
  "#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n" + //
  "#pragma clang attribute pop\n" +
  "#endif\n" +
  "\n" +
  "#endif /* __VMLINUX_H__ */\n";

/**
 * The C header for a table (or for the types `options.ids` names). Throws a BtfError naming
 * the type when the BTF cannot be printed as C (reference cycles, dangling ids, bad names).
 */
export function dumpC(table: BtfTypeStore, options: DumpCOptions = {}): string {
  try {
    return dump(table, options);
  } catch (e) {
    throw withFile(e, options.name);
  }
}

function dump(table: BtfTypeStore, options: DumpCOptions): string {
  const ptrSize = options.pointerSize ?? pointerSize(table);
  // Padding is built from `long`, so its width must be a real one (libbpf accepts these two).
  if (ptrSize !== 4 && ptrSize !== 8) throw new BtfError("BTF_BAD_ARGUMENT", `pointer size ${ptrSize} is neither 4 nor 8`);
  const s = new DumpState(table, ptrSize, options.warn ?? (() => {}));
  if (!options.bare) s.print(PREAMBLE);
  const dumpOne = (id: number) => {
    s.queue.length = 0;
    orderType(s, id, false);
    for (const queued of s.queue) emitType(s, queued, 0);
    s.flush();
  };
  if (options.ids) for (const id of options.ids) dumpOne(id);
  else for (let id = 1; id <= table.lastId; id++) dumpOne(id);
  if (!options.bare) s.print(EPILOGUE);
  return s.text();
}

/** The error with the file named in its location (the table does not know its file). */
function withFile(e: unknown, file: string | undefined): unknown {
  if (!(e instanceof BtfError) || file === undefined || e.location.file !== undefined) return e;
  const prefix = new BtfError(e.code, "", e.location).message; // "type 7: " (the place, as BtfError prints it)
  const detail = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  return new BtfError(e.code, detail, { ...e.location, file });
}
