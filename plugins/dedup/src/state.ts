// What the dedup phases share: the graph, the canonical map and the candidate index, with the
// record-level hashes and equalities every phase uses.
//
// map[id] is UNPROCESSED until a phase decides the type; then it is the id the type merges into
// (itself when it is canonical). Chains are followed by `resolve`, so a merge made later (a FWD
// pointed at a struct that is itself merged afterwards) reaches the final representative.

import { BtfKind } from "@btforge/btf";
import type { TypeGraph } from "./graph.js";
import { HashIndex, mix } from "./hash-index.js";

export const UNPROCESSED = -1;
export const IN_PROGRESS = -2;
/** How many references deep a struct's shape hash looks into its members' types. */
const OUTLINE_DEPTH = 3;

export class DedupState {
  readonly map: Int32Array;
  readonly index: HashIndex;

  constructor(readonly g: TypeGraph) {
    this.map = new Int32Array(g.size).fill(UNPROCESSED);
    this.index = new HashIndex(g.size);
    this.map[0] = 0;
  }

  isMapped(id: number): boolean {
    return this.map[id]! >= 0;
  }

  /** The representative `id` currently merges into (itself when unprocessed). */
  resolve(id: number): number {
    const map = this.map;
    let m = map[id]!;
    while (m >= 0 && m !== id) {
      id = m;
      m = map[id]!;
    }
    return id;
  }

  /** A FWD's resolution when it resolved to a full definition; otherwise the FWD itself. */
  resolveFwd(id: number): number {
    if (this.g.kind(id) !== BtfKind.FWD) return id;
    const r = this.resolve(id);
    return this.g.kind(r) === BtfKind.FWD ? id : r;
  }

  /** Name, info and size/type equal. */
  equalCommon(a: number, b: number): boolean {
    const g = this.g;
    return g.name[a] === g.name[b] && g.info[a] === g.info[b] && g.sizeOrType[a] === g.sizeOrType[b];
  }

  /** The whole record equal, trailing words included (references compared as ids). */
  equalRecord(a: number, b: number): boolean {
    if (!this.equalCommon(a, b)) return false;
    const g = this.g;
    const sa = g.wordStart[a]!;
    const sb = g.wordStart[b]!;
    const n = g.wordStart[a + 1]! - sa;
    if (n !== g.wordStart[b + 1]! - sb) return false;
    const w = g.words;
    for (let k = 0; k < n; k++) if (w[sa + k] !== w[sb + k]) return false;
    return true;
  }

  hashCommon(id: number): number {
    const g = this.g;
    return mix(mix(mix(0x2545f491, g.name[id]!), g.info[id]!), g.sizeOrType[id]!);
  }

  /**
   * Maps `id` to the first indexed candidate with hash `h` that `matches(id, candidate)` accepts;
   * without one, `id` is canonical and joins the index. `matches` is made once per phase.
   */
  canonicalize(id: number, h: number, matches: (id: number, candidate: number) => boolean): void {
    for (let c = this.index.first(h); c !== 0; c = this.index.after(c, h)) {
      if (matches(id, c)) {
        this.map[id] = c;
        return;
      }
    }
    this.map[id] = id;
    this.index.add(id, h);
  }

  hashRecord(id: number): number {
    const g = this.g;
    let h = this.hashCommon(id);
    const e = g.wordStart[id + 1]!;
    for (let k = g.wordStart[id]!; k < e; k++) h = mix(h, g.words[k]!);
    return h;
  }

  /**
   * A struct/union's shape: common fields, each member's name and offset, and a shallow outline
   * of each member's type (see `outline`), so that structs of one layout whose member types
   * plainly differ (the hundreds of tracepoint unions { event; handler }) are not all candidates
   * for each other.
   */
  hashShape(id: number): number {
    const g = this.g;
    let h = this.hashCommon(id);
    const e = g.wordStart[id + 1]!;
    for (let k = g.wordStart[id]!; k < e; k += 3) h = mix(mix(mix(h, g.words[k]!), g.words[k + 2]!), this.outline(g.words[k + 1]!, OUTLINE_DEPTH));
    return h;
  }

  /**
   * What the equivalence walk will demand of a type, a few references deep: its kind class and
   * name, the whole record for INT and FLOAT, the element count of arrays, the parameter names
   * of prototypes. A FWD shares the class of structs and unions, an enum that of enum64, since
   * the walk lets them match; it stops at structs, so an outline is cheap.
   */
  outline(id: number, depth: number): number {
    const g = this.g;
    if (id === 0) return 0;
    const kind = g.kind(id);
    switch (kind) {
      case BtfKind.INT:
      case BtfKind.FLOAT:
        return this.hashRecord(id);
      case BtfKind.FWD:
      case BtfKind.STRUCT:
      case BtfKind.UNION:
        return mix(BtfKind.STRUCT, g.name[id]!);
      case BtfKind.ENUM:
      case BtfKind.ENUM64:
        return mix(BtfKind.ENUM, g.name[id]!);
      case BtfKind.PTR:
      case BtfKind.TYPEDEF:
      case BtfKind.CONST:
      case BtfKind.VOLATILE:
      case BtfKind.RESTRICT:
      case BtfKind.TYPE_TAG:
      case BtfKind.FUNC: {
        const h = mix(mix(kind, g.name[id]!), g.info[id]!);
        return depth > 0 ? mix(h, this.outline(g.sizeOrType[id]!, depth - 1)) : h;
      }
      case BtfKind.ARRAY: {
        const w = g.wordStart[id]!;
        const h = mix(kind, g.words[w + 2]!);
        return depth > 0 ? mix(h, this.outline(g.words[w]!, depth - 1)) : h;
      }
      case BtfKind.FUNC_PROTO: {
        let h = mix(kind, g.info[id]!);
        if (depth === 0) return h;
        h = mix(h, this.outline(g.sizeOrType[id]!, depth - 1));
        const e = g.wordStart[id + 1]!;
        for (let k = g.wordStart[id]!; k < e; k += 2) h = mix(mix(h, g.words[k]!), this.outline(g.words[k + 1]!, depth - 1));
        return h;
      }
      default:
        return mix(kind, id);
    }
  }

  equalShape(a: number, b: number): boolean {
    if (!this.equalCommon(a, b)) return false;
    const g = this.g;
    const sa = g.wordStart[a]!;
    const sb = g.wordStart[b]!;
    const n = g.wordStart[a + 1]! - sa;
    const w = g.words;
    for (let k = 0; k < n; k += 3) {
      if (w[sa + k] !== w[sb + k] || w[sa + k + 2] !== w[sb + k + 2]) return false;
    }
    return true;
  }
}
