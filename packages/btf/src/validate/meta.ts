// Pass 1 of the kernel's loader (btf_check_all_metas): walks the type section record by
// record, checks each one on its own and learns where each id's record starts. Builds the
// TypeSpace the resolve pass works on.

import { BTF_MAX_TYPE, btfInfo } from "../constants.js";
import type { KindDescriptor } from "../kinds/descriptor.js";
import { bareProblem, typeProblem } from "./describe.js";
import type { RawHeader } from "./header.js";
import { KERNEL_META_CHECKS } from "./meta-kinds.js";
import type { ProblemList } from "./problems.js";
import { TypeSpace } from "./space.js";
import type { KernelRules } from "./targets.js";
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What a split blob continues: the base's records and strings, already checked. */
export interface BaseSpace {
  space: TypeSpace;
  resolvedIds: Uint32Array;
  resolvedSizes: Uint32Array;
}

export interface MetaResult {
  space: TypeSpace;
  /** Ids of types whose kind a plugin registered; their rules run once a table exists. */
  pluginTypes: number[];
}

/** Copies little-endian type-section bytes into `dst` starting at word `at`. */
function copyWords(dst: Uint32Array, at: number, src: Uint8Array): void {
  const whole = src.length >>> 2;
  if (HOST_LITTLE_ENDIAN && ((src.byteOffset & 3) === 0)) {
    dst.set(new Uint32Array(src.buffer, src.byteOffset, whole), at);
  } else {
    const v = new DataView(src.buffer, src.byteOffset, src.length);
    for (let i = 0; i < whole; i++) dst[at + i] = v.getUint32(i * 4, true);
  }
  for (let b = whole * 4; b < src.length; b++) dst[at + whole] = dst[at + whole]! | (src[b]! << (8 * (b & 3)));
}

function concatStrings(base: Uint8Array | undefined, own: Uint8Array): Uint8Array {
  if (!base) return own;
  const all = new Uint8Array(base.length + own.length);
  all.set(base);
  all.set(own, base.length);
  return all;
}

/**
 * Walks the records of `bytes` (header already checked). Problems go to `out`; the walk stops
 * where the kernel's would lose track of record boundaries (short record, bad info or kind).
 */
export function checkAllMetas(
  bytes: Uint8Array,
  h: RawHeader,
  base: BaseSpace | undefined,
  pluginKind: (kind: number) => KindDescriptor | undefined,
  out: ProblemList,
  rules: KernelRules,
): MetaResult {
  const typeStart = h.hdrLen + h.typeOff;
  const typeLen = h.typeLen;
  const ownBytes = bytes.subarray(typeStart, typeStart + typeLen);
  const strStart = h.hdrLen + h.strOff;
  const strings = concatStrings(base?.space.strings, bytes.subarray(strStart, strStart + h.strLen));

  // Void's zero record comes first; a split blob's records follow the base's.
  const baseWords = base ? base.space.words : new Uint32Array(3);
  const ownFirstWord = baseWords.length;
  const words = new Uint32Array(ownFirstWord + ((typeLen + 3) >>> 2));
  words.set(baseWords);
  copyWords(words, ownFirstWord, ownBytes);

  const firstId = base ? base.space.count : 1;
  const starts = new Uint32Array(firstId + Math.floor(typeLen / 12) + 1);
  if (base) starts.set(base.space.starts.subarray(0, firstId));
  const space = new TypeSpace(words, starts, firstId, firstId, strings, typeStart, ownFirstWord);
  const pluginTypes: number[] = [];

  let pos = 0;
  let id = firstId;
  while (pos < typeLen && !out.full) {
    const metaLeft = typeLen - pos;
    if (metaLeft < 12) {
      out.add(bareProblem(id, `meta_left:${metaLeft} meta_needed:12`, typeStart + pos));
      break;
    }
    starts[id] = ownFirstWord + (pos >>> 2);
    space.count = id + 1;
    const info = space.info(id);
    // The target's BTF_INFO_MASK: before the wide fields, bits 16..23 and 29..30 must be clear.
    if ((info & ~rules.infoMask) >>> 0) {
      out.add(bareProblem(id, `Invalid btf_info:${info.toString(16)}`, typeStart + pos + 4));
      break;
    }
    const kind = btfInfo.kind(info);
    const check = rules.hasKind(kind) ? KERNEL_META_CHECKS[kind] : undefined;
    const plugin = check ? undefined : pluginKind(kind);
    if (!check && !plugin) {
      out.add(bareProblem(id, `Invalid kind:${kind}`, typeStart + pos + 4));
      break;
    }
    const nameOff = space.nameOff(id);
    if (!space.validNameOffset(nameOff)) {
      out.add(bareProblem(id, `Invalid name_offset:${nameOff}`, typeStart + pos));
      break;
    }
    let trailing: number;
    if (check) {
      trailing = check(space, id, metaLeft - 12, out, rules);
    } else {
      trailing = plugin!.trailingWords(btfInfo.vlen(info), btfInfo.kindFlag(info)) * 4;
      if (metaLeft - 12 < trailing) {
        out.add(typeProblem(space, id, `meta_left:${metaLeft - 12} meta_needed:${trailing}`, false));
        trailing = -1;
      } else {
        pluginTypes.push(id);
      }
    }
    if (trailing < 0) break;
    // The kernel's type array holds at most BTF_MAX_TYPE entries, void included.
    if (id >= BTF_MAX_TYPE) {
      out.add(bareProblem(id, "Exceeded max num of types", typeStart + pos));
      break;
    }
    pos += 12 + trailing;
    id++;
  }
  return { space, pluginTypes };
}
