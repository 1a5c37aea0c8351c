// After its type checks, the kernel parses "special fields" of BPF map values in user BTF
// (btf_parse_struct_metas): members of the BPF runtime types bpf_spin_lock, bpf_list_head,
// bpf_list_node, bpf_rb_root, bpf_rb_node, bpf_refcount, and kptrs (pointers tagged "kptr",
// "kptr_untrusted", "percpu_kptr", "uptr"). Those rules depend on the running kernel's own BTF
// and are not modelled here; this finds the structs they would apply to, so the result can say
// that its verdict does not cover them.

import { BtfKind } from "../constants.js";
import type { TypeSpace } from "./space.js";

const RUNTIME_STRUCTS = ["bpf_spin_lock", "bpf_list_head", "bpf_list_node", "bpf_rb_root", "bpf_rb_node", "bpf_refcount"];
const KPTR_TAGS = ["kptr", "kptr_untrusted", "percpu_kptr", "uptr"];

const latin1 = new TextDecoder("latin1");

function nameOf(s: TypeSpace, id: number): string {
  const off = s.nameOff(id);
  let end = off;
  while (s.strings[end] !== 0 && end < s.strings.length) end++;
  return latin1.decode(s.strings.subarray(off, end));
}

/** A pointer (maybe volatile) to a type tag naming a kptr flavour. */
function isKptr(s: TypeSpace, id: number): boolean {
  let t = id;
  if (s.kind(t) === BtfKind.VOLATILE) t = s.sizeType(t);
  if (t >= s.count || s.kind(t) !== BtfKind.PTR) return false;
  const tag = s.sizeType(t);
  return tag < s.count && s.kind(tag) === BtfKind.TYPE_TAG && !s.kflag(tag) && KPTR_TAGS.includes(nameOf(s, tag));
}

/** Names of the structs (at most `limit`) whose members the kernel's special-field rules would check. */
export function structsWithSpecialFields(s: TypeSpace, limit = 3): string[] {
  const special = new Set<number>();
  const wanted = new Set(RUNTIME_STRUCTS);
  for (let id = 1; id < s.count; id++) {
    const k = s.kind(id);
    if (k === BtfKind.STRUCT && wanted.size && wanted.delete(nameOf(s, id))) special.add(id);
    else if ((k === BtfKind.PTR || k === BtfKind.VOLATILE) && isKptr(s, id)) special.add(id);
  }
  if (!special.size) return [];
  const found: string[] = [];
  for (let id = s.firstId; id < s.count && found.length < limit; id++) {
    if (s.kind(id) !== BtfKind.STRUCT) continue;
    for (let m = 0, n = s.vlen(id); m < n; m++) {
      if (special.has(s.word(id, m * 3 + 1))) {
        found.push(`[${id}] ${s.nameAt(s.nameOff(id))}`);
        break;
      }
    }
  }
  return found;
}
