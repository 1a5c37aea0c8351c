// One input going through the phases: the parsed ELF and DWARF, what plugins build from them,
// diagnostics and timings. Several Encodings (one per profile) may share one parsed input: see
// Encoder.runOn.
import { BtfTable } from "@btforge/btf";
import type { DwarfFile } from "@btforge/dwarf";
import type { ElfFile, ElfSection } from "@btforge/elf";
import type { ResolvedConfig } from "./config/resolved.js";
import type { Features } from "./config/schema.js";
import { type BtforgeLocation, btforgeError } from "./errors/btforge-error.js";
import type { EncoderHooks, VariableInfo } from "./hooks.js";
import type { Phase } from "./phases.js";
import type { ProgressReporter } from "./progress.js";

/** What the load and dwarf phases produce; hand it to `Encoder.runOn` to encode it again. */
export interface EncodingInput {
  readonly path: string;
  readonly elf: ElfFile;
  readonly dwarf: DwarfFile;
}

export type Step = Phase | "done" | "failed";

export interface Diagnostic {
  severity: "warning";
  message: string;
  code?: string;
  location?: BtforgeLocation;
  step?: Step;
  plugin?: string;
}

export interface TapTiming {
  hook: string;
  plugin: string;
  ms: number;
}

export interface Timings {
  /** Wall time per phase (and done/failed hook) that ran, in ms. */
  readonly phases: Partial<Record<Step, number>>;
  /** Wall time of each tap of the phase, done and failed hooks, in the order they ran. */
  readonly taps: TapTiming[];
}

/** What an Encoding gets from its Encoder. */
export interface EncodingContext {
  readonly hooks: EncoderHooks;
  readonly config: ResolvedConfig;
  readonly progress: ProgressReporter;
  readonly trace: ((line: string) => void) | undefined;
}

export class Encoding {
  readonly path: string;
  /** The name of the configuration this encoding follows ("default", "percpu", ...). */
  readonly profile: string;
  readonly config: ResolvedConfig;
  readonly features: Readonly<Features>;
  readonly diagnostics: Diagnostic[] = [];
  readonly timings: Timings = { phases: {}, taps: [] };
  /** The BTF being built: the types and symbols phases fill it; a finalize plugin (dedup) may replace it. */
  btf: BtfTable = new BtfTable();
  /** Results plugins hand to each other or to the caller, keyed by a name the producer documents. */
  readonly artifacts = new Map<string, unknown>();
  readonly progress: ProgressReporter;
  /** The phase (or done/failed hook) running now; undefined before the first and after the last. */
  step: Step | undefined;
  /** Set when a phase failed, before the failed hook runs. */
  error: Error | undefined;
  private readonly hooks: EncoderHooks;
  private readonly traceSink: ((line: string) => void) | undefined;
  private elfFile: ElfFile | undefined;
  private dwarfFile: DwarfFile | undefined;
  private ownsElf = false;

  constructor(path: string, context: EncodingContext, input?: EncodingInput) {
    this.path = path;
    this.hooks = context.hooks;
    this.config = context.config;
    this.profile = context.config.profile;
    this.features = context.config.features;
    this.progress = context.progress;
    this.traceSink = context.trace;
    this.elfFile = input?.elf;
    this.dwarfFile = input?.dwarf;
  }

  get elf(): ElfFile {
    if (!this.elfFile) throw btforgeError("NOT_LOADED", ["the ELF file", "load"], { location: { file: this.path } });
    return this.elfFile;
  }

  get dwarf(): DwarfFile {
    if (!this.dwarfFile) throw btforgeError("NOT_LOADED", ["the DWARF", "dwarf"], { location: { file: this.path } });
    return this.dwarfFile;
  }

  get hasElf(): boolean {
    return this.elfFile !== undefined;
  }

  get hasDwarf(): boolean {
    return this.dwarfFile !== undefined;
  }

  /** The parsed input, to run other profiles over without parsing again (see Encoder.runOn). */
  get input(): EncodingInput {
    return { path: this.path, elf: this.elf, dwarf: this.dwarf };
  }

  /** For the load phase: this Encoding now owns the ELF and closes it in close(). */
  setElf(elf: ElfFile): void {
    this.elfFile = elf;
    this.ownsElf = true;
  }

  /** For the dwarf phase. */
  setDwarf(dwarf: DwarfFile): void {
    this.dwarfFile = dwarf;
  }

  warn(message: string, details: Omit<Diagnostic, "severity" | "message"> = {}): void {
    this.diagnostics.push({ severity: "warning", message, step: this.step, ...details });
  }

  /** Whether --verbose trace lines are wanted: check before building an expensive one. */
  get tracing(): boolean {
    return this.traceSink !== undefined;
  }

  /** A --verbose line: why something was skipped, what a plugin decided. */
  trace(message: string, plugin?: string): void {
    this.traceSink?.(plugin !== undefined ? `[${plugin}] ${message}` : message);
  }

  /** Whether variables of this section are encoded: the first plugin with an opinion decides; none means no. */
  includesSection(section: ElfSection): boolean {
    return this.hooks.includeSection.call(this, section) ?? false;
  }

  /** Whether this variable is encoded: the first plugin with an opinion decides; none means no. */
  includesVariable(variable: VariableInfo): boolean {
    return this.hooks.includeVariable.call(this, variable) ?? false;
  }

  /**
   * Drops the parsed DWARF and the ELF's debug section bytes (hundreds of MB on a vmlinux) once
   * nothing needs them: finalize and write work on the BTF alone. Only an Encoding that read its
   * own input does this; a borrowed input (runOn) belongs to someone else.
   */
  releaseDwarf(): boolean {
    if (!this.ownsElf || !this.dwarfFile) return false;
    this.dwarfFile = undefined;
    this.elfFile?.releaseDebugSections();
    return true;
  }

  /** Releases the ELF file if this Encoding opened it; an input borrowed through runOn stays open. */
  close(): void {
    if (this.ownsElf) this.elfFile?.close();
    this.ownsElf = false;
  }
}
