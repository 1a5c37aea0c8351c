// C names for BTF types, unique within their C namespace. Two different types may carry the
// same name (a module's `struct foo` next to vmlinux's, or two static structs from different
// compilation units); C cannot have both, so the second one met gets `foo___2`, the third
// `foo___3`, as libbpf's btf_dump does. The count is taken when a name is first printed, so
// the suffixes depend on the order types are emitted in — the same order bpftool uses.
//
// Tags (struct/union/enum names) and ordinary identifiers (typedef names and enumerators,
// which share one namespace) are counted separately.

import { BtfKind } from "../constants.js";
import type { BtfTypeStore } from "../store.js";

export class NameResolver {
  private readonly tagCounts = new Map<string, number>();
  private readonly identCounts = new Map<string, number>();
  /** The name each type was given, once resolved (undefined until then). */
  private readonly resolved: (string | undefined)[];

  constructor(private readonly table: BtfTypeStore) {
    this.resolved = new Array<string | undefined>(table.lastId + 1);
  }

  /** The unique tag name of a struct, union, enum or FWD ("" when anonymous). */
  tagName(id: number): string {
    return this.resolve(id, this.tagCounts);
  }

  /** The unique identifier of a typedef. */
  identName(id: number): string {
    return this.resolve(id, this.identCounts);
  }

  /** Count one more use of an enumerator name; returns how many times it has been used. */
  countEnumerator(name: string): number {
    return bump(this.identCounts, name);
  }

  private resolve(id: number, counts: Map<string, number>): string {
    const cached = this.resolved[id];
    if (cached !== undefined) return cached;
    const t = this.table;
    const nameOff = t.nameOff(id);
    if (nameOff === 0) return "";
    const name = t.strings.get(nameOff);
    const kind = t.kind(id);
    // Forward declarations and empty enums declare nothing new: they take the name as is.
    const declaresNothing = kind === BtfKind.FWD || (kind === BtfKind.ENUM && t.vlen(id) === 0);
    const uses = declaresNothing ? 1 : bump(counts, name);
    const unique = uses > 1 ? `${name}___${uses}` : name;
    this.resolved[id] = unique;
    return unique;
  }
}

function bump(counts: Map<string, number>, name: string): number {
  const n = (counts.get(name) ?? 0) + 1;
  counts.set(name, n);
  return n;
}
