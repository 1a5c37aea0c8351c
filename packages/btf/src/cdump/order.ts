// Dependency order of C definitions: a depth-first walk from one root type that queues every
// definition it needs (named struct/union, enum, FWD, typedef) after the ones it depends on.
//
// C needs a type fully defined before another type embeds it, but only declared before a
// pointer to it is used. The walk therefore returns whether the path it came along is a
// strong link (the target must be defined first) or a weak one (a forward declaration will
// do): a pointer followed, further on, by a named type makes a weak link; anything else is
// strong. Anonymous structs, unions and enums are printed inline, so they pass their
// members' requirements on to whoever contains them.
//
// Only definitions get an ordering state; pointers, arrays, modifiers and prototypes are
// revisited because whether they are weak or strong depends on the path.

import { BtfKind } from "../constants.js";
import { BtfError } from "../errors.js";
import { DumpState, MAX_CHAIN, Order } from "./state.js";

const STRONG = 1;
const WEAK = 0;

/** Queue the definitions `id` needs (and `id` itself when it is one); returns STRONG or WEAK. */
export function orderType(s: DumpState, id: number, throughPtr: boolean, depth = 0): number {
  const state = s.order[id]!;
  if (state === Order.ORDERED) return STRONG;
  const t = s.table;
  if (depth > MAX_CHAIN) {
    throw new BtfError("BTF_BAD_TYPE_ID", `type references nest deeper than ${MAX_CHAIN} (a reference cycle?)`, { typeId: id });
  }
  const kind = t.kind(id);
  const named = t.nameOff(id) !== 0;
  const isComposite = kind === BtfKind.STRUCT || kind === BtfKind.UNION;

  if (state === Order.ORDERING) {
    // A loop is fine when a pointer and a forward declaration break it.
    if (isComposite && throughPtr && named) return WEAK;
    throw new BtfError("BTF_BAD_TYPE_ID", "unsatisfiable type cycle: the type contains itself", { typeId: id });
  }

  switch (kind) {
    case BtfKind.INT:
    case BtfKind.FLOAT:
      s.order[id] = Order.ORDERED;
      return WEAK;

    case BtfKind.PTR: {
      const link = orderType(s, t.sizeOrType(id), true, depth + 1);
      s.order[id] = Order.ORDERED;
      return link;
    }

    case BtfKind.ARRAY:
      return orderType(s, t.word(id, 0), false, depth + 1);

    case BtfKind.STRUCT:
    case BtfKind.UNION: {
      // Named and reached through a pointer: a forward declaration is enough.
      if (throughPtr && named) return WEAK;
      s.order[id] = Order.ORDERING;
      const w = t.words(id);
      for (let at = 1; at < w.length; at += 3) orderType(s, w[at]!, false, depth + 1);
      if (named) s.queue.push(id);
      s.order[id] = Order.ORDERED;
      return STRONG;
    }

    case BtfKind.ENUM:
    case BtfKind.ENUM64:
    case BtfKind.FWD:
      // Named or unreferenced (a top-level `enum { CONST = 1 };`) enums stand on their own.
      if (named || !s.referenced[id]) s.queue.push(id);
      s.order[id] = Order.ORDERED;
      return STRONG;

    case BtfKind.TYPEDEF: {
      const link = orderType(s, t.sizeOrType(id), throughPtr, depth + 1);
      if (throughPtr && link === WEAK) return WEAK;
      s.queue.push(id);
      s.order[id] = Order.ORDERED;
      return STRONG;
    }

    case BtfKind.VOLATILE:
    case BtfKind.CONST:
    case BtfKind.RESTRICT:
    case BtfKind.TYPE_TAG:
      return orderType(s, t.sizeOrType(id), throughPtr, depth + 1);

    case BtfKind.FUNC_PROTO: {
      let link = orderType(s, t.sizeOrType(id), throughPtr, depth + 1);
      const w = t.words(id);
      for (let at = 1; at < w.length; at += 2) {
        if (orderType(s, w[at]!, throughPtr, depth + 1) === STRONG) link = STRONG;
      }
      return link;
    }

    default:
      // FUNC, VAR, DATASEC, DECL_TAG and kinds plugins add have no C type definition.
      s.order[id] = Order.ORDERED;
      return WEAK;
  }
}
