// Finding, reading, validating and merging configuration: cosmiconfig finds the user's file (or
// --config names it), each file of the extends chain is checked against the schema on its own (so
// a problem names the file it is in), then the chain is merged parents first.
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, relative, resolve } from "node:path";
import { cosmiconfig } from "cosmiconfig";
import { ConfigError, configError } from "../errors/btforge-error.js";
import { messages } from "../errors/codes.js";
import { emptyConfig, NO_FEATURES, type PluginEntry, type ResolvedConfig } from "./resolved.js";
import { languageByName, PAHOLE_LANGUAGE_NAMES } from "../encode/languages.js";
import { isProfileName, listProfiles, profileFile } from "./profiles.js";
import { type ConfigFile, configProblems, type Features } from "./schema.js";

export interface LoadConfigOptions {
  /** Where the search starts and what messages are relative to; default process.cwd(). */
  cwd?: string;
  /** --config FILE: use this file, do not search. */
  configFile?: string;
  /** --profile NAME: the profile the configuration starts from (overrides its `profile` key). */
  profile?: string;
  /** Search for a configuration file when none is named (default true). */
  search?: boolean;
}

const MODULE = "btforge";
const SEARCH_PLACES = [
  "package.json",
  ...[".btforgerc", ".btforgerc.json", ".btforgerc.yaml", ".btforgerc.yml", ".btforgerc.js", ".btforgerc.mjs", ".btforgerc.cjs", ".btforgerc.ts"],
  ...["json", "yaml", "yml", "js", "mjs", "cjs", "ts"].map((ext) => `btforge.config.${ext}`),
];

interface Layer {
  file: string;
  config: ConfigFile;
}

/**
 * cosmiconfig's explorer. Making one already searches: cosmiconfig looks for its own settings in
 * the process's working directory, so a folder the user cannot read fails here, before any
 * btforge file is looked at, with a bare `EACCES: ... stat '<cwd>'`; say what failed and where.
 */
function explorer() {
  try {
    // "project" searches upward from cwd and stops at the folder holding a package.json.
    return cosmiconfig(MODULE, { searchPlaces: SEARCH_PLACES, searchStrategy: "project", cache: false });
  } catch (err) {
    const cwd = workingDirectory();
    throw configError("CONFIG_SEARCH_FAILED", [cwd, systemErrorText(err, cwd)]);
  }
}

/** process.cwd(), which throws a bare "ENOENT ... uv_cwd" when the folder was removed under the process. */
function workingDirectory(): string {
  try {
    return process.cwd();
  } catch (err) {
    const gone = (err as NodeJS.ErrnoException).code === "ENOENT";
    throw configError("CONFIG_SEARCH_FAILED", ["the working directory", gone ? "it was removed" : systemErrorText(err, "")]);
  }
}

/** "permission denied" from "EACCES: permission denied, stat '/x'" (with " at /x" unless /x is `dir`); else the first line. */
function systemErrorText(err: unknown, dir: string): string {
  const text = errorText(err);
  const system = /^E[A-Z]+: ([^,]+)(?:, \w+(?: '(.*)')?)?$/.exec(text);
  if (!system) return text;
  const at = system[2];
  return at !== undefined && at !== dir ? `${system[1]} at ${at}` : system[1]!;
}

export async function loadConfig(options: LoadConfigOptions = {}): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? workingDirectory();
  const show = (file: string) => {
    const rel = relative(cwd, file);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel) ? rel : file;
  };
  const chain = new ChainLoader(show);

  let top: Layer | undefined;
  if (options.configFile !== undefined) {
    top = await chain.read(resolve(cwd, options.configFile));
  } else if (options.search !== false) {
    const found = await explorer().search(cwd).catch((err: unknown) => {
      const file = (err as { filepath?: string }).filepath;
      // A file found but not readable or not parsable names that file; a folder the search could not look in names the search.
      if (file === undefined) throw configError("CONFIG_SEARCH_FAILED", [cwd, systemErrorText(err, cwd)]);
      throw configError("CONFIG_UNREADABLE", [show(file), errorText(err)]);
    });
    if (found) top = { file: found.filepath, config: (found.config ?? {}) as ConfigFile };
  }

  if (top) {
    const config = options.profile !== undefined ? { ...top.config, profile: options.profile } : top.config;
    // A configuration that names no base starts from the default profile.
    const base = config.profile === undefined && config.extends === undefined ? { ...config, profile: "default" } : config;
    await chain.add({ file: top.file, config: base }, []);
  } else {
    await chain.addProfile(options.profile ?? "default", "--profile", []);
  }
  chain.throwIfProblems();

  const name = options.profile ?? top?.config.profile ?? (top ? basename(top.file) : "default");
  const config = merge(chain.layers, name, show);
  const unknown = config.features.lang_exclude.find((name) => languageByName(name) === undefined);
  if (unknown !== undefined) throw configError("UNKNOWN_LANGUAGE", [unknown, Object.keys(PAHOLE_LANGUAGE_NAMES)]);
  return config;
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0];
}

/** Loads a file and everything it extends, depth first, parents before children. */
class ChainLoader {
  readonly layers: Layer[] = [];
  private readonly problems: string[] = [];
  private readonly done = new Set<string>();

  constructor(private readonly show: (file: string) => string) {}

  async read(file: string): Promise<Layer | undefined> {
    if (!existsSync(file)) {
      this.problems.push(messages.CONFIG_NOT_FOUND(this.show(file)));
      return undefined;
    }
    try {
      const result = await explorer().load(file);
      return { file, config: (result?.config ?? {}) as ConfigFile };
    } catch (err) {
      this.problems.push(messages.CONFIG_UNREADABLE(this.show(file), errorText(err)));
      return undefined;
    }
  }

  async add(layer: Layer, stack: readonly string[]): Promise<void> {
    if (this.done.has(layer.file)) return;
    const problems = configProblems(layer.config);
    if (problems.length > 0) {
      this.problems.push(...problems.map((p) => `${this.show(layer.file)}: ${p}`));
      return;
    }
    const inner = [...stack, layer.file];
    const { profile, extends: ext } = layer.config;
    if (profile !== undefined) await this.addProfile(profile, this.show(layer.file), inner);
    for (const ref of typeof ext === "string" ? [ext] : ext ?? []) {
      if (isProfileName(ref)) await this.addProfile(ref, this.show(layer.file), inner);
      else await this.addFile(resolve(dirname(layer.file), ref), inner);
    }
    this.done.add(layer.file);
    this.layers.push(layer);
  }

  async addProfile(name: string, namedBy: string, stack: readonly string[]): Promise<void> {
    const file = profileFile(name);
    if (file === undefined) {
      this.problems.push(`${namedBy}: ${messages.PROFILE_NOT_FOUND(name, listProfiles())}`);
      return;
    }
    await this.addFile(file, stack);
  }

  private async addFile(file: string, stack: readonly string[]): Promise<void> {
    if (stack.includes(file)) {
      const cycle = [...stack.slice(stack.indexOf(file)), file].map(this.show);
      this.problems.push(messages.EXTENDS_CYCLE(cycle));
      return;
    }
    const layer = await this.read(file);
    if (layer) await this.add(layer, stack);
  }

  throwIfProblems(): void {
    if (this.problems.length === 0) return;
    const cycle = this.problems.some((p) => p.startsWith("extends cycle"));
    throw new ConfigError(cycle ? "EXTENDS_CYCLE" : "CONFIG_INVALID", this.problems);
  }
}

function merge(layers: readonly Layer[], profile: string, show: (file: string) => string): ResolvedConfig {
  const base = emptyConfig(profile);
  const features: Features = { ...NO_FEATURES };
  let output = { ...base.output };
  let jobs = base.jobs;
  const plugins: PluginEntry[] = [];
  for (const { file, config } of layers) {
    Object.assign(features, config.features);
    if (config.output) output = { ...output, ...config.output };
    if (config.jobs !== undefined) jobs = config.jobs;
    for (const reference of config.plugins ?? []) mergePlugin(plugins, reference, show(file), dirname(file));
  }
  return { profile, files: layers.map((l) => l.file), features: Object.freeze(features), plugins, output: Object.freeze(output), jobs };
}

/** A later mention of the same plugin replaces the earlier one in place; [name, false] removes it. */
function mergePlugin(plugins: PluginEntry[], reference: NonNullable<ConfigFile["plugins"]>[number], from: string, baseDir: string): void {
  let entry: PluginEntry | undefined;
  let ref: string;
  if (typeof reference === "string") {
    ref = reference;
    entry = { ref, options: undefined, from, baseDir };
  } else if (Array.isArray(reference)) {
    ref = reference[0];
    entry = reference[1] === false ? undefined : { ref, options: reference[1], from, baseDir };
  } else {
    // An object literal has no name of its own; a class instance is named by its class.
    const ctor = (reference as object).constructor as { name?: string } | undefined;
    ref = ctor && ctor !== Object && ctor.name ? ctor.name : "inline plugin";
    entry = { ref, options: undefined, instance: reference, from, baseDir };
  }
  const at = plugins.findIndex((p) => p.ref === ref);
  if (entry === undefined) {
    if (at >= 0) plugins.splice(at, 1);
  } else if (at >= 0) {
    plugins[at] = entry;
  } else {
    plugins.push(entry);
  }
}
