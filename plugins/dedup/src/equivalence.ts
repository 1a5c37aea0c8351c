// The hypothetical-equivalence walk: is the type graph under `cand` the same as the one under a
// canonical `canon`? Both graphs are walked in step; each canonical node is paired with the
// candidate node it would stand for (the hypothetical map). A node met again must meet the same
// partner, which is how cycles through pointers (struct list_head) are handled: assuming the
// pair equal while it is being checked is consistent exactly when the whole walk succeeds.
//
// A FWD on one side matches a struct/union of its kind and name on the other. When the walk
// succeeds, `merge` turns what it learned into merges: FWDs into their definitions, and structs
// of the candidate graph into canonical structs they were paired with (so each compilation unit's
// copy of a large graph is decided in one walk).
//
// Base types never change, but as in libbpf a base FWD matches a split definition of its name and
// kind: a module whose headers complete `struct sctp_mib` still shares the base's `struct sk_buff`
// (whose graph only declares it). The base FWD stays a FWD; the split definition stays in the
// split part for the module's own uses of it.
//
// The walk uses an explicit stack (no recursion: kernel graphs are deep) and visits pairs in the
// order a depth-first recursion over members would.

import { BtfKind } from "@btforge/btf";
import { UNPROCESSED, type DedupState } from "./state.js";

const NONE = -1;

export class Equivalence {
  private readonly hypot: Int32Array;
  private hypotList: Int32Array;
  private hypotLen = 0;
  private stack: Int32Array;

  constructor(private readonly d: DedupState) {
    this.hypot = new Int32Array(d.g.size).fill(NONE);
    this.hypotList = new Int32Array(1024);
    this.stack = new Int32Array(1024);
  }

  /** Whether the graph under `cand` is equivalent to the one under `canon`. */
  isEquivalent(cand: number, canon: number): boolean {
    this.clear();
    const d = this.d;
    const g = d.g;
    const words = g.words;
    let stack = this.stack;
    let sp = 0;
    const push = (a: number, b: number) => {
      if (sp + 2 > stack.length) this.stack = stack = grow(stack);
      stack[sp++] = a;
      stack[sp++] = b;
    };
    push(cand, canon);
    while (sp > 0) {
      let k = stack[--sp]!;
      const c = stack[--sp]!;
      if (d.resolve(c) === d.resolve(k)) continue;
      k = d.resolveFwd(k);
      const seen = this.hypot[k]!;
      if (seen !== NONE) {
        if (seen === c || this.identicalArrays(seen, c)) continue;
        return false;
      }
      this.remember(k, c);
      if (g.name[c] !== g.name[k]) return false;
      const ck = g.kind(c);
      const kk = g.kind(k);
      if (ck !== kk && (ck === BtfKind.FWD || kk === BtfKind.FWD)) {
        if (!this.fwdMatches(c, k)) return false;
        continue;
      }
      if (ck !== kk && !(isEnum(ck) && isEnum(kk))) return false;
      switch (ck) {
        case BtfKind.INT:
          if (!d.equalRecord(c, k)) return false;
          break;
        case BtfKind.ENUM:
        case BtfKind.ENUM64:
          if (!compatibleEnums(d, c, k)) return false;
          break;
        case BtfKind.FWD:
        case BtfKind.FLOAT:
          if (!d.equalCommon(c, k)) return false;
          break;
        case BtfKind.PTR:
        case BtfKind.TYPEDEF:
        case BtfKind.CONST:
        case BtfKind.VOLATILE:
        case BtfKind.RESTRICT:
        case BtfKind.TYPE_TAG:
        case BtfKind.FUNC:
          if (g.info[c] !== g.info[k]) return false;
          push(g.sizeOrType[c]!, g.sizeOrType[k]!);
          break;
        case BtfKind.ARRAY: {
          const wc = g.wordStart[c]!;
          const wk = g.wordStart[k]!;
          if (!d.equalCommon(c, k) || words[wc + 2] !== words[wk + 2]) return false;
          push(words[wc]!, words[wk]!);
          push(words[wc + 1]!, words[wk + 1]!);
          break;
        }
        case BtfKind.STRUCT:
        case BtfKind.UNION: {
          if (!d.equalShape(c, k)) return false;
          const wc = g.wordStart[c]!;
          const wk = g.wordStart[k]!;
          for (let at = g.wordStart[c + 1]! - wc - 3; at >= 0; at -= 3) push(words[wc + at + 1]!, words[wk + at + 1]!);
          break;
        }
        case BtfKind.FUNC_PROTO: {
          if (g.info[c] !== g.info[k]) return false;
          const wc = g.wordStart[c]!;
          const wk = g.wordStart[k]!;
          const n = g.wordStart[c + 1]! - wc;
          for (let at = 0; at < n; at += 2) if (words[wc + at] !== words[wk + at]) return false;
          for (let at = n - 2; at >= 0; at -= 2) push(words[wc + at + 1]!, words[wk + at + 1]!);
          push(g.sizeOrType[c]!, g.sizeOrType[k]!);
          break;
        }
        default:
          // VAR, DATASEC, DECL_TAG and plugin kinds are only equal to themselves.
          return false;
      }
    }
    return true;
  }

  /** Records the merges a successful walk justifies. */
  merge(): void {
    const d = this.d;
    const g = d.g;
    const map = d.map;
    for (let i = 0; i < this.hypotLen; i++) {
      const canon = this.hypotList[i]!;
      const t = d.resolve(this.hypot[canon]!);
      const c = d.resolve(canon);
      const tk = g.kind(t);
      const ck = g.kind(c);
      // A canonical FWD now stands for the definition it was paired with (in split BTF this
      // may be a base FWD: the split part's FWDs resolve through it).
      const own = g.firstOwn;
      if (tk !== BtfKind.FWD && ck === BtfKind.FWD) {
        if (c >= own) map[c] = t;
      } else if (tk === BtfKind.FWD && ck !== BtfKind.FWD) {
        if (t >= own) map[t] = c;
      }
      else if ((tk === BtfKind.STRUCT || tk === BtfKind.UNION) && ck !== BtfKind.FWD && map[c]! >= 0 && map[t] === UNPROCESSED) {
        map[t] = c;
      }
    }
  }

  /** A FWD on one side, a struct/union on the other: equal when the FWD declares that kind. */
  private fwdMatches(c: number, k: number): boolean {
    const g = this.d.g;
    const candIsFwd = g.kind(c) === BtfKind.FWD;
    const fwd = candIsFwd ? c : k;
    const real = g.kind(candIsFwd ? k : c);
    const declared = g.kindFlag(fwd) ? BtfKind.UNION : BtfKind.STRUCT;
    return real === declared;
  }

  /** Two array types a compiler emitted twice for one declaration. */
  private identicalArrays(a: number, b: number): boolean {
    const d = this.d;
    const g = d.g;
    if (g.kind(a) !== BtfKind.ARRAY || g.kind(b) !== BtfKind.ARRAY) return false;
    const wa = g.wordStart[a]!;
    const wb = g.wordStart[b]!;
    return g.words[wa + 2] === g.words[wb + 2] &&
      d.resolve(g.words[wa]!) === d.resolve(g.words[wb]!) &&
      d.resolve(g.words[wa + 1]!) === d.resolve(g.words[wb + 1]!);
  }

  private remember(canon: number, cand: number): void {
    this.hypot[canon] = cand;
    if (this.hypotLen === this.hypotList.length) this.hypotList = grow(this.hypotList);
    this.hypotList[this.hypotLen++] = canon;
  }

  private clear(): void {
    for (let i = 0; i < this.hypotLen; i++) this.hypot[this.hypotList[i]!] = NONE;
    this.hypotLen = 0;
  }
}

function isEnum(kind: number): boolean {
  return kind === BtfKind.ENUM || kind === BtfKind.ENUM64;
}

/** Equal enums, or an enum without values (a forward declaration) and any enum of its name. */
export function compatibleEnums(d: DedupState, a: number, b: number): boolean {
  const g = d.g;
  if (g.vlen(a) !== 0 && g.vlen(b) !== 0) return d.equalRecord(a, b);
  return g.name[a] === g.name[b] && isEnum(g.kind(a)) && isEnum(g.kind(b));
}

function grow(a: Int32Array): Int32Array {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}
