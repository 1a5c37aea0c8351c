// The Encoder lives for the process: options, the resolved configuration, the hooks, and the
// plugins applied once. Each run makes an Encoding for one input and takes it through the phases.
import { BtfTable } from "@btforge/btf";
import type { ResolvedConfig } from "./config/resolved.js";
import { emptyConfig } from "./config/resolved.js";
import { Encoding, type EncodingContext, type EncodingInput, type Step } from "./encoding.js";
import { type BtforgeError, toBtforgeError } from "./errors/btforge-error.js";
import { createHooks, type EncoderHooks } from "./hooks.js";
import { instrumentHooks } from "./instrument.js";
import { type Phase, phasesUntil } from "./phases.js";
import type { EncoderPlugin } from "./plugin.js";
import { type ProgressReporter, SILENT_PROGRESS } from "./progress.js";
import { snapshotTable, type TypesSnapshot, typesKey } from "./types-snapshot.js";

export interface EncoderOptions {
  /** From loadConfig(); without it, no profile and every feature off. */
  config?: ResolvedConfig;
  /** Applied in order, once, by the constructor (resolvePlugins() turns a config into these). */
  plugins?: readonly EncoderPlugin[];
  progress?: ProgressReporter;
  /** Receives --verbose trace lines (tap timings, plugins' decisions). */
  trace?: (line: string) => void;
}

export interface RunOptions {
  /** Stop after this phase (dwarf-stats stops after "dwarf"); default "write". */
  until?: Phase;
  /**
   * Encode split BTF on this base (a module's BTF on its vmlinux's): ids and strings continue the
   * base's, and dedup replaces types equal to a base type by the base's id.
   */
  base?: BtfTable;
  /** Called when the types phase has ended (to take a TypesSnapshot). */
  afterTypes?: (encoding: Encoding) => void;
  /**
   * Start from a snapshot of an earlier run over the same input instead of running load, dwarf
   * and types again. Its key must equal this encoder's typesKey().
   */
  fromTypes?: TypesSnapshot;
  /** Keep the parsed DWARF after the symbols phase (by default a run that read its own input drops it before finalize). */
  keepDwarf?: boolean;
}

export class Encoder {
  readonly hooks: EncoderHooks;
  readonly config: ResolvedConfig;
  readonly plugins: readonly EncoderPlugin[];
  private readonly context: EncodingContext;

  constructor(options: EncoderOptions = {}) {
    // Core's interceptors come first, so they also see every tap the plugins make below.
    const hooks = createHooks();
    instrumentHooks(hooks);
    this.hooks = hooks;
    this.config = options.config ?? emptyConfig();
    this.context = { hooks, config: this.config, progress: options.progress ?? SILENT_PROGRESS, trace: options.trace };
    this.plugins = options.plugins ?? [];
    for (const plugin of this.plugins) {
      try {
        plugin.apply(this);
      } catch (err) {
        const ctor = plugin.constructor as { name?: string } | undefined;
        throw toBtforgeError(err, { plugin: ctor && ctor !== Object && ctor.name ? ctor.name : "inline plugin", hook: "apply" });
      }
    }
  }

  /**
   * Takes the file at `path` through the phases. The returned Encoding owns the ELF file: call its
   * close() when done with it (a failed run closes it before rejecting).
   */
  run(path: string, options: RunOptions = {}): Promise<Encoding> {
    return this.execute(new Encoding(path, this.context), options);
  }

  /**
   * Encodes an input another Encoding already parsed (`other.input`), e.g. one profile after another
   * in an experiment. Every phase runs, so plugins tapping load or dwarf still see the input, but
   * core's loaders find it present and read nothing. The input stays open: its owner closes it.
   */
  runOn(input: EncodingInput, options: RunOptions = {}): Promise<Encoding> {
    return this.execute(new Encoding(input.path, this.context, input), options);
  }

  private async execute(encoding: Encoding, options: RunOptions): Promise<Encoding> {
    if (options.base) encoding.btf = new BtfTable({ base: options.base });
    let phases = phasesUntil(options.until);
    const seed = options.fromTypes;
    if (seed) {
      if (seed.key !== typesKey(this)) throw new TypeError(`the types snapshot of ${seed.from} was made with other type features or plugins`);
      encoding.btf = snapshotTable(seed);
      for (const [name, value] of seed.artifacts) encoding.artifacts.set(name, value);
      phases = phases.filter((p) => p !== "load" && p !== "dwarf" && p !== "types");
    }
    let error: BtforgeError | undefined;
    try {
      for (const phase of phases) {
        // Nothing after symbols reads DWARF: free it before dedup needs its memory.
        if (phase === "finalize" && !options.keepDwarf && encoding.releaseDwarf()) encoding.trace("DWARF released before finalize");
        await this.step(encoding, phase, () => this.hooks[phase].promise(encoding));
        if (phase === "types") options.afterTypes?.(encoding);
      }
      await this.step(encoding, "done", () => this.hooks.done.promise(encoding));
    } catch (err) {
      error = toBtforgeError(err, { phase: encoding.step }).inFile(encoding.path);
    }
    if (error) {
      const doneFailed = encoding.step === "done";
      encoding.error = error;
      this.context.progress.stop();
      // The original error is what the caller must see: failures of failed/done taps become warnings.
      await this.settle(encoding, "failed", () => this.hooks.failed.promise(encoding, error));
      if (!doneFailed) await this.settle(encoding, "done", () => this.hooks.done.promise(encoding));
      encoding.step = undefined;
      encoding.close();
      throw error;
    }
    encoding.step = undefined;
    return encoding;
  }

  private async step(encoding: Encoding, step: Step, call: () => Promise<void>): Promise<void> {
    encoding.step = step;
    const started = performance.now();
    try {
      await call();
    } finally {
      const ms = performance.now() - started;
      encoding.timings.phases[step] = ms;
      if (encoding.tracing) encoding.trace(`${step}: ${ms.toFixed(1)} ms`);
    }
  }

  private async settle(encoding: Encoding, step: Step, call: () => Promise<void>): Promise<void> {
    try {
      await this.step(encoding, step, call);
    } catch (err) {
      const e = toBtforgeError(err, { phase: step });
      encoding.warn(`${step} hook failed: ${e.message}`, { code: e.code, plugin: e.plugin, location: e.location });
    }
  }
}
