// The all-globals plugin: answers core's variable emitter that every allocated data section (as
// the include/exclude globs say) and every variable (statics and names as configured) belong in
// the BTF. The emitter builds the VARs and one DATASEC per section.
import { type Encoder, isVariableCandidate } from "@btforge/core";
import { globToRegExp, matchesAny, namePattern } from "./glob.js";
import { schema } from "./schema.js";

/** ELF's SHF_EXECINSTR: a code section. */
const SHF_EXECINSTR = 0x4n;

export interface GlobalVarsOptions {
  /** Section-name globs to include; default every allocated, non-code section ("*"). */
  include?: string[];
  /** Section-name globs to leave out. */
  exclude?: string[];
  /** Encode static variables too (default true). */
  statics?: boolean;
  /** Variable names to keep: globs, or regular expressions written /like this/. Default: all. */
  names?: string[];
}

export class GlobalVarsPlugin {
  static readonly name = "global-vars";
  static readonly schema = schema;
  private readonly include: RegExp[];
  private readonly exclude: RegExp[];
  private readonly statics: boolean;
  private readonly names: RegExp[] | undefined;

  constructor(options: GlobalVarsOptions = {}) {
    this.include = (options.include ?? ["*"]).map(globToRegExp);
    this.exclude = (options.exclude ?? []).map(globToRegExp);
    this.statics = options.statics ?? true;
    this.names = options.names?.map(namePattern);
  }

  apply(encoder: Encoder): void {
    encoder.hooks.includeSection.tap(GlobalVarsPlugin.name, (_encoding, section) => {
      // Variables do not live in code; an object symbol there is a jump table or the like.
      if ((section.flags & SHF_EXECINSTR) !== 0n) return undefined;
      return this.ownsSection(section.name) ? true : undefined;
    });
    // Core takes no answer as a no, so the variables of the sections included here get a yes
    // unless the statics or names options leave them out.
    encoder.hooks.includeVariable.tap(GlobalVarsPlugin.name, (_encoding, variable) => {
      if (!this.ownsSection(variable.section)) return undefined;
      if (!this.statics && isVariableCandidate(variable) && !variable.external) return false;
      return this.names === undefined || matchesAny(this.names, variable.name);
    });
  }

  private ownsSection(name: string): boolean {
    return matchesAny(this.include, name) && !matchesAny(this.exclude, name);
  }
}

/** Factory for configuration files written in JS/TS: `plugins: [globalVars({ exclude: [".init.*"] })]`. */
export function globalVars(options: GlobalVarsOptions = {}): GlobalVarsPlugin {
  return new GlobalVarsPlugin(options);
}
