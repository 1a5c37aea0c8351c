// The one error class of btforge: a code, a one-line message that names the file and the place,
// and the trail (phase, plugin, hook) when the error happened inside a tap.
import { type BtforgeErrorCode, messages } from "./codes.js";

/** Where a problem is. Sections are named with their leading dot (".debug_info"). */
export interface BtforgeLocation {
  file?: string;
  section?: string;
  /** Byte offset in the section when one is named, else in the file. */
  offset?: number;
  /** Section offset of the DWARF unit header. */
  unit?: number;
  /** Section offset of the DWARF DIE. */
  die?: number;
  /** BTF type id. */
  typeId?: number;
}

export interface ErrorTrail {
  phase?: string;
  plugin?: string;
  hook?: string;
}

export interface BtforgeErrorOptions extends ErrorTrail {
  location?: BtforgeLocation;
  cause?: unknown;
}

const hex = (n: number) => `0x${n.toString(16)}`;

/** `FILE: section .debug_info offset 0x1234, unit 0x0, DIE 0x2d` (only the parts that are known). */
export function describeLocation(loc: BtforgeLocation): string {
  const place: string[] = [];
  if (loc.section !== undefined) place.push(`section ${loc.section}`);
  if (loc.offset !== undefined) place.push(`offset ${hex(loc.offset)}`);
  const context: string[] = [];
  if (loc.unit !== undefined) context.push(`unit ${hex(loc.unit)}`);
  if (loc.die !== undefined) context.push(`DIE ${hex(loc.die)}`);
  if (loc.typeId !== undefined) context.push(`type ${loc.typeId}`);
  const where = [place.join(" "), ...context].filter((s) => s !== "").join(", ");
  return [loc.file, where].filter((s) => s !== undefined && s !== "").join(": ");
}

export class BtforgeError extends Error {
  override readonly name: string = "BtforgeError";
  /** A BtforgeErrorCode, or the code of the reader error this one wraps (e.g. "ELF_NOT_ELF"). */
  readonly code: string;
  /** The message without its location prefix. */
  readonly detail: string;
  /** Only inFile() changes it, once, to add the file an error found inside a run did not name. */
  location: BtforgeLocation | undefined;
  phase: string | undefined;
  plugin: string | undefined;
  hook: string | undefined;

  /** `message`, when given, replaces "LOCATION: DETAIL" (a wrapped reader error keeps its own wording). */
  constructor(code: string, detail: string, options: BtforgeErrorOptions = {}, message?: string) {
    const where = options.location ? describeLocation(options.location) : "";
    super(message ?? (where ? `${where}: ${detail}` : detail), { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.location = options.location;
    this.phase = options.phase;
    this.plugin = options.plugin;
    this.hook = options.hook;
  }

  /**
   * Names `file` when the error does not name one yet (a BTF error about type ids, a plugin's own
   * exception): every error of a run then says which input it is about. Configuration errors are
   * about configuration files and stay as they are.
   */
  inFile(file: string): this {
    if (this instanceof ConfigError || this.location?.file !== undefined) return this;
    this.location = { ...this.location, file };
    this.message = `${file}: ${this.message}`;
    return this;
  }

  /** Fills in the parts of the trail that are not known yet: the innermost tap wins. */
  addTrail(trail: ErrorTrail): this {
    this.phase ??= trail.phase;
    this.plugin ??= trail.plugin;
    this.hook ??= trail.hook;
    return this;
  }
}

/** Configuration and usage problems: several at once, one line each; the CLI exits 2. */
export class ConfigError extends BtforgeError {
  override readonly name: string = "ConfigError";
  readonly problems: readonly string[];

  constructor(code: BtforgeErrorCode, problems: readonly string[], options: BtforgeErrorOptions = {}) {
    super(code, problems.length === 1 ? problems[0] : messages.CONFIG_INVALID(problems.length), options, problems.join("\n"));
    this.problems = problems;
  }
}

type Factory<C extends BtforgeErrorCode> = (typeof messages)[C];

/** `btforgeError("NO_DWARF", [], { location: { file } })`: the wording comes from codes.ts. */
export function btforgeError<C extends BtforgeErrorCode>(code: C, args: Parameters<Factory<C>>, options: BtforgeErrorOptions = {}): BtforgeError {
  const factory = messages[code] as (...a: unknown[]) => string;
  return new BtforgeError(code, factory(...args), options);
}

/** A ConfigError with one problem, worded by codes.ts. */
export function configError<C extends BtforgeErrorCode>(code: C, args: Parameters<Factory<C>>): ConfigError {
  const factory = messages[code] as (...a: unknown[]) => string;
  return new ConfigError(code, [factory(...args)]);
}

/** An ElfError, DwarfError or BtfError: anything with a string code and a location object. */
interface LocatedError extends Error {
  code: string;
  location: Record<string, unknown>;
}

function isLocatedError(err: unknown): err is LocatedError {
  if (!(err instanceof Error)) return false;
  const e = err as Partial<LocatedError>;
  return typeof e.code === "string" && typeof e.location === "object" && e.location !== null;
}

function readerLocation(loc: Record<string, unknown>): BtforgeLocation {
  const num = (v: unknown) => (typeof v === "number" ? v : undefined);
  const section = typeof loc.section === "string" ? (loc.section.startsWith(".") ? loc.section : `.${loc.section}`) : undefined;
  return {
    file: typeof loc.file === "string" ? loc.file : undefined,
    section,
    offset: num(loc.offset),
    unit: num(loc.unit),
    die: num(loc.die),
    typeId: num(loc.typeId),
  };
}

/**
 * Any thrown value as a BtforgeError carrying `trail`. A BtforgeError is completed, not replaced;
 * a reader error keeps its code, location and its own one-line message (which already names the
 * file and the place); anything else becomes PLUGIN_FAILED naming the plugin and hook.
 */
export function toBtforgeError(err: unknown, trail: ErrorTrail = {}): BtforgeError {
  if (err instanceof BtforgeError) return err.addTrail(trail);
  if (isLocatedError(err)) {
    return new BtforgeError(err.code, err.message, { ...trail, location: readerLocation(err.location), cause: err }, err.message);
  }
  const detail = err instanceof Error ? err.message : String(err);
  if (trail.plugin !== undefined) {
    return btforgeError("PLUGIN_FAILED", [trail.plugin, trail.hook ?? "apply", detail], { ...trail, cause: err });
  }
  return btforgeError("INTERNAL", [detail], { ...trail, cause: err });
}
