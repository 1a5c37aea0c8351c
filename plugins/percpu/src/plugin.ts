// The per-CPU variables plugin: it only answers core's variable emitter that the per-CPU section's
// variables belong in the BTF. The emitter then builds their VARs and the section's DATASEC, in a
// vmlinux (ET_EXEC) as in a module or object (ET_REL: the module's own .data..percpu).
import type { Encoder } from "@btforge/core";
import { schema } from "./schema.js";

/** The section the kernel's DEFINE_PER_CPU puts variables in (include/asm-generic/percpu.h, PER_CPU_BASE_SECTION). */
export const PERCPU_SECTION = ".data..percpu";

export interface PercpuVarsOptions {
  /** The per-CPU section's name; default PERCPU_SECTION. */
  section?: string;
}

export class PercpuVarsPlugin {
  static readonly name = "percpu-vars";
  static readonly schema = schema;
  readonly section: string;

  constructor(options: PercpuVarsOptions = {}) {
    this.section = options.section ?? PERCPU_SECTION;
  }

  apply(encoder: Encoder): void {
    // No opinion on other sections (undefined), so another plugin may include them. Every variable
    // of the section is wanted: core asks per variable too and takes no answer as a no.
    encoder.hooks.includeSection.tap(PercpuVarsPlugin.name, (_encoding, section) => (section.name === this.section ? true : undefined));
    encoder.hooks.includeVariable.tap(PercpuVarsPlugin.name, (_encoding, variable) => (variable.section === this.section ? true : undefined));
  }
}

/** Factory for configuration files written in JS/TS: `plugins: [percpuVars({ section: ".data..percpu" })]`. */
export function percpuVars(options: PercpuVarsOptions = {}): PercpuVarsPlugin {
  return new PercpuVarsPlugin(options);
}
