// The kernel's kfuncs, read from its .BTF_ids section. The kernel's BTF_ID macros leave symbols
// there: `__BTF_ID__set8__<set>` marks a set (u32 count, u32 flags, then (u32 id, u32 flags) pairs,
// sized by the symbol) and `__BTF_ID__func__<name>__<n>` marks one pair. A set whose flags have
// BTF_SET8_KFUNCS lists kfuncs; each function pair inside such a set names a kfunc and its KF_*
// flags (include/linux/btf.h). resolve_btfids fills the ids in later; only names and flags count.
import type { ElfFile } from "@btforge/elf";

/** KF_* flags that change the BTF pahole writes for a kfunc. */
export const KF_FASTCALL = 1 << 12;
export const KF_ARENA_RET = 1 << 13;
export const KF_ARENA_ARG1 = 1 << 14;
export const KF_ARENA_ARG2 = 1 << 15;

/** btf_id_set8.flags: the set lists kfuncs. */
const BTF_SET8_KFUNCS = 1;

const SET8_PREFIX = "__BTF_ID__set8__";
const FUNC_PREFIX = "__BTF_ID__func__";

/** "__BTF_ID__func__vfs_close__12" → "vfs_close"; undefined for other symbols. */
export function kfuncNameOf(symbol: string): string | undefined {
  if (!symbol.startsWith(FUNC_PREFIX)) return undefined;
  const rest = symbol.slice(FUNC_PREFIX.length);
  if (!rest.includes("__")) return undefined;
  const last = rest.lastIndexOf("_");
  // The counter the macro appends follows a double underscore.
  if (last < 1 || rest[last - 1] !== "_") return undefined;
  return rest.slice(0, last - 1);
}

/** Every kfunc of the ELF by name, with its KF_* flags (the last set naming it wins). Empty when there is no .BTF_ids. */
export function collectKfuncs(elf: ElfFile): Map<string, number> {
  const kfuncs = new Map<string, number>();
  const section = elf.findSection(".BTF_ids");
  if (!section) return kfuncs;
  const bytes = elf.readSection(section);
  if (!bytes) return kfuncs;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = elf.littleEndian;
  const offsetOf = (value: bigint) => Number(value - section.addr);
  const word = (offset: number) => (offset >= 0 && offset + 4 <= bytes.length ? view.getUint32(offset, le) : undefined);
  const symbols = elf.symbols();
  // Pass 1: the address ranges of the kfunc sets.
  const ranges: { start: bigint; end: bigint }[] = [];
  for (let i = 0; i < symbols.count; i++) {
    if (symbols.sectionIndex(i) !== section.index) continue;
    const name = symbols.name(i);
    if (!name.startsWith(SET8_PREFIX)) continue;
    const flags = word(offsetOf(symbols.value(i)) + 4);
    if (flags === undefined || (flags & BTF_SET8_KFUNCS) === 0) continue;
    ranges.push({ start: symbols.value(i), end: symbols.value(i) + BigInt(symbols.size(i)) });
  }
  if (ranges.length === 0) return kfuncs;
  // Pass 2: the function entries inside them, with the flags of their pair.
  for (let i = 0; i < symbols.count; i++) {
    if (symbols.sectionIndex(i) !== section.index) continue;
    const name = kfuncNameOf(symbols.name(i));
    if (name === undefined) continue;
    const at = symbols.value(i);
    if (!ranges.some((r) => r.start <= at && at < r.end)) continue;
    const flags = word(offsetOf(at) + 4);
    if (flags !== undefined) kfuncs.set(name, flags);
  }
  return kfuncs;
}
