// What the variable emitter did, left on the encoding as the "variables" artifact: how many VARs
// and DATASECs it made, per-section figures, and every skip counted by its reason.

/** `encoding.artifacts.get(VARIABLES_ARTIFACT)`: a VariablesStats. */
export const VARIABLES_ARTIFACT = "variables";

/**
 * Why a variable (a DWARF definition) or a symbol (in an included section) was not encoded. The
 * first group is about DWARF variables, the second about ELF symbols no DWARF variable claimed.
 */
export const SKIP_REASONS = Object.freeze({
  "language-excluded": "its compilation unit is in a language lang_exclude leaves out",
  "no-address": "its DW_AT_location does not start with an address (DW_OP_addr/addrx): TLS, register or location list",
  "no-symbol": "no object symbol of that name at its address",
  discarded: "its address is 0 in a linked file and no symbol of its name is there: the linker discarded its section",
  "section-excluded": "its section is not included by any plugin",
  "zero-size": "its symbol has size 0",
  "out-of-section": "its symbol does not fit in its section (or its offset does not fit in 32 bits)",
  "invalid-name": "its name is not a C identifier of at most 127 bytes",
  "invalid-section-name": "its section's name is not one a DATASEC may have",
  "no-type": "its type produced no BTF",
  "void-type": "it has no type (void)",
  "type-larger-than-symbol": "its type is larger than its symbol, which the kernel rejects",
  duplicate: "another description of the same variable (same section and offset) was encoded",
  overlap: "it overlaps the variable before it in its section",
  "variable-excluded": "a plugin excluded it (includeVariable)",
  "section-symbol": "a section symbol",
  "not-object": "a symbol that is not a data object (no type, function, TLS, ...): e.g. __per_cpu_start",
  "generated-symbol": "a compiler/macro-generated object (__UNIQUE_ID*, __ADDRESSABLE*, __exitcall_*, __initcall*, ...) with no DWARF variable",
  "zero-size-symbol": "an object symbol of size 0 with no DWARF variable",
  "local-static": "a function-local static (name.N): not a file-scope variable",
  "no-dwarf": "an object symbol that no DWARF variable describes",
} as const);

export type SkipReason = keyof typeof SKIP_REASONS;

export interface SectionFigures {
  /** VARs in this section's DATASEC. */
  vars: number;
  /** Bytes the DATASEC entries cover. */
  bytes: number;
  /** The section's size (the DATASEC size). */
  size: number;
}

export interface VariablesStats {
  /** VARs emitted. */
  vars: number;
  /** DATASECs emitted (one per section holding any VAR). */
  datasecs: number;
  /** By section name, the sections that got a DATASEC, in emission order. */
  sections: Record<string, SectionFigures>;
  /** The sections whose variables were asked for (includeSection answered true), by name. */
  includedSections: string[];
  /** Skips by reason; a reason that never happened is absent. */
  skipped: Partial<Record<SkipReason, number>>;
  /** DWARF variable definitions (file-scope DIEs with a location) looked at. */
  definitions: number;
  /** Wall time of the emitter, in ms. */
  ms: number;
}

export function emptyVariablesStats(): VariablesStats {
  return { vars: 0, datasecs: 0, sections: {}, includedSections: [], skipped: {}, definitions: 0, ms: 0 };
}

/** Counts one skip and, under --verbose, says what was skipped and why. */
export class SkipLog {
  constructor(
    private readonly stats: VariablesStats,
    private readonly trace: ((line: string) => void) | undefined,
  ) {}

  get tracing(): boolean {
    return this.trace !== undefined;
  }

  /** `what` is only called when tracing, so callers pay for the description only then. */
  skip(reason: SkipReason, what?: () => string): void {
    this.stats.skipped[reason] = (this.stats.skipped[reason] ?? 0) + 1;
    if (this.trace !== undefined && what !== undefined) this.trace(`skip ${what()}: ${SKIP_REASONS[reason]}`);
  }
}
