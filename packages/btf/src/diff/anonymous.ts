// Which anonymous structs, unions and enums are held by something (a struct/union member, a
// typedef, a variable) and which types hold one: computed once per side in one pass over its types.

import { BtfKind } from "../constants.js";
import type { BtfTypeStore } from "../store.js";

const MAX_CHAIN = 64;

export interface Anonymity {
  /** By own index (id - firstId): 1 for an anonymous type something holds. */
  held: Uint8Array;
  /** By own index: 1 for a struct, union, typedef or variable that holds an anonymous type. */
  holds: Uint8Array;
}

/** The anonymous struct, union or enum a type reaches through pointers, arrays and qualifiers, else 0. */
export function anonymousTarget(t: BtfTypeStore, id: number): number {
  for (let depth = 0; depth < MAX_CHAIN && id !== 0 && t.has(id); depth++) {
    switch (t.kind(id)) {
      case BtfKind.PTR:
      case BtfKind.CONST:
      case BtfKind.VOLATILE:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG:
        id = t.sizeOrType(id);
        continue;
      case BtfKind.ARRAY:
        id = t.word(id, 0);
        continue;
      case BtfKind.STRUCT:
      case BtfKind.UNION:
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        return t.nameOff(id) === 0 ? id : 0;
      default:
        return 0;
    }
  }
  return 0;
}

export function findAnonymity(t: BtfTypeStore): Anonymity {
  const held = new Uint8Array(t.count);
  const holds = new Uint8Array(t.count);
  const mark = (holder: number, type: number) => {
    const id = anonymousTarget(t, type);
    if (id === 0) return;
    holds[holder - t.firstId] = 1;
    if (t.isOwn(id)) held[id - t.firstId] = 1;
  };
  for (let id = t.firstId; id <= t.lastId; id++) {
    const kind = t.kind(id);
    if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) {
      const n = t.wordCount(id);
      for (let at = 1; at < n; at += 3) mark(id, t.word(id, at));
    } else if (kind === BtfKind.TYPEDEF || kind === BtfKind.VAR) {
      mark(id, t.sizeOrType(id));
    }
  }
  return { held, holds };
}
