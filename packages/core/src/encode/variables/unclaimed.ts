// The symbols of the included sections that no DWARF variable claimed, each counted under the
// reason it is not a variable: so every symbol of an included section is either a VAR or a stated
// skip (section symbols, __per_cpu_start/__per_cpu_end, macro-generated objects, ...).
import { STT } from "@btforge/elf";
import type { SkipLog, SkipReason } from "./stats.js";
import type { ObjectSymbolIndex } from "./symbol-index.js";

/** Objects the kernel's macros make (__ADDRESSABLE, __UNIQUE_ID, initcalls, exitcalls, ksymtab). */
const GENERATED = /^(__UNIQUE_ID|__ADDRESSABLE|__addressable_|__exitcall_|__initcall|__setup_|__ksymtab_|__kstrtab_|__kstrtabns_|__func_stack_frame_non_standard)/;

/** gcc names a function's static `name.N` (clang `func.name`, which no reason here tells apart). */
const LOCAL_STATIC = /^[A-Za-z_][A-Za-z0-9_]*\.\d+$/;

export function accountUnclaimedSymbols(index: ObjectSymbolIndex, claimed: Uint8Array, log: SkipLog): void {
  const symbols = index.symbols;
  for (let i = 1; i < symbols.count; i++) {
    if (claimed[i]) continue;
    const section = index.realSection(symbols.sectionIndex(i));
    if (section === undefined || !index.included[section.index]) continue;
    const type = symbols.type(i);
    let reason: SkipReason;
    if (type === STT.SECTION) reason = "section-symbol";
    else if (type !== STT.OBJECT) reason = "not-object";
    else if (GENERATED.test(symbols.name(i))) reason = "generated-symbol";
    else if (LOCAL_STATIC.test(symbols.name(i))) reason = "local-static";
    else if (symbols.size(i) === 0) reason = "zero-size-symbol";
    else reason = "no-dwarf";
    log.skip(reason, () => `symbol ${symbols.name(i) || "<unnamed>"} (${section.name}, value 0x${symbols.value(i).toString(16)}, ${symbols.size(i)} bytes)`);
  }
}
