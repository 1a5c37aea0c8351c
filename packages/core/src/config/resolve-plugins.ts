// From plugin references (feature plugins, then the configuration's list) to plugin instances:
// find each by registered name, relative path or npm package; check its options against its own
// schema; construct it. Every problem is collected, so one run reports them all.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "../errors/btforge-error.js";
import { type BtforgeErrorCode, messages } from "../errors/codes.js";
import type { EncoderPlugin, PluginClass } from "../plugin.js";
import { CORE_PLUGINS, registeredPlugin, registeredPluginNames } from "../plugins/registry.js";
import { featurePlugins } from "./features.js";
import type { PluginEntry, ResolvedConfig } from "./resolved.js";
import type { ValidateFunction } from "ajv";
import { createAjv, describeSchemaErrors } from "./schema.js";

interface Loaded {
  /** A class, a factory function, or a ready instance. */
  value: unknown;
  /** The module file, when loaded from one (for a schema.json beside it). */
  file?: string;
}

const isPath = (ref: string) => ref.startsWith("./") || ref.startsWith("../") || isAbsolute(ref);

function isPluginClass(value: unknown): value is PluginClass<unknown> {
  return typeof value === "function" && typeof (value as { prototype?: { apply?: unknown } }).prototype?.apply === "function";
}

function isPluginInstance(value: unknown): value is EncoderPlugin {
  return typeof value === "object" && value !== null && typeof (value as EncoderPlugin).apply === "function";
}

/** The plugin a module exports: its default export, else its only export that is a plugin class. */
function pluginExport(mod: unknown): unknown {
  const m = mod as Record<string, unknown>;
  if (m.default !== undefined) return m.default;
  const classes = Object.values(m).filter(isPluginClass);
  return classes.length === 1 ? classes[0] : mod;
}

function isNotFound(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND";
}

async function load(entry: PluginEntry): Promise<Loaded | undefined> {
  const source = registeredPlugin(entry.ref);
  if (source !== undefined) {
    if (typeof source === "string") return load({ ...entry, ref: source });
    if (isPluginClass(source)) return { value: source };
    return { value: pluginExport(await (source as () => Promise<unknown>)()) };
  }
  let file: string;
  if (isPath(entry.ref)) {
    file = resolve(entry.baseDir, entry.ref);
    if (!existsSync(file)) return undefined;
  } else {
    try {
      file = createRequire(join(entry.baseDir, "package.json")).resolve(entry.ref);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
  return { value: pluginExport(await import(pathToFileURL(file).href)), file };
}

/** The plugin's static schema, else schema.json beside its module or at its package root. */
function findSchema(value: unknown, file: string | undefined): object | undefined {
  const own = (value as { schema?: unknown }).schema;
  if (typeof own === "object" && own !== null) return own;
  if (file === undefined) return undefined;
  for (let dir = dirname(file), depth = 0; depth < 4; dir = dirname(dir), depth++) {
    const candidate = join(dir, "schema.json");
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, "utf8")) as object;
    if (existsSync(join(dir, "package.json")) || dirname(dir) === dir) break;
  }
  return undefined;
}

function pluginName(entry: PluginEntry, value: unknown): string {
  const name = (value as { name?: unknown }).name;
  return isPluginClass(value) && typeof name === "string" && name !== "" ? name : entry.ref;
}

/** Problems with the options, one line each; the empty list when they are fine. */
function optionProblems(entry: PluginEntry, name: string, schema: object | undefined): string[] {
  if (entry.options === undefined) return [];
  if (schema === undefined) {
    return Object.keys(entry.options).length === 0 ? [] : [`${entry.from}: ${messages.PLUGIN_OPTIONS(name, "/", "this plugin takes no options")}`];
  }
  let validate: ValidateFunction;
  try {
    validate = createAjv().compile(schema);
  } catch (err) {
    const detail = `its options schema does not compile: ${err instanceof Error ? err.message : String(err)}`;
    return [`${entry.from}: ${messages.PLUGIN_INVALID(name, detail)}`];
  }
  if (validate(entry.options)) return [];
  return describeSchemaErrors(validate.errors ?? []).map((line) => {
    const at = line.indexOf(": ");
    return `${entry.from}: ${messages.PLUGIN_OPTIONS(name, line.slice(0, at), line.slice(at + 2))}`;
  });
}

interface Problem {
  code: BtforgeErrorCode;
  line: string;
}

async function instantiate(entry: PluginEntry, problems: Problem[]): Promise<EncoderPlugin | undefined> {
  if (entry.instance) return entry.instance;
  let loaded: Loaded | undefined;
  let schema: object | undefined;
  try {
    loaded = await load(entry);
    if (loaded) schema = findSchema(loaded.value, loaded.file);
  } catch (err) {
    const detail = `cannot be loaded: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`;
    problems.push({ code: "PLUGIN_INVALID", line: `${entry.from}: ${messages.PLUGIN_INVALID(entry.ref, detail)}` });
    return undefined;
  }
  if (loaded === undefined) {
    problems.push({ code: "PLUGIN_NOT_FOUND", line: `${entry.from}: ${messages.PLUGIN_NOT_FOUND(entry.ref, registeredPluginNames())}` });
    return undefined;
  }
  const { value } = loaded;
  const name = pluginName(entry, value);
  const optionIssues = optionProblems(entry, name, schema);
  if (optionIssues.length > 0) {
    problems.push(...optionIssues.map((line) => ({ code: "PLUGIN_OPTIONS" as const, line })));
    return undefined;
  }
  let plugin: unknown;
  if (isPluginClass(value)) plugin = new value(entry.options);
  else if (typeof value === "function") plugin = (value as (options: unknown) => unknown)(entry.options);
  else plugin = value;
  if (!isPluginInstance(plugin)) {
    const detail = "expected a class with apply(encoder), a factory returning one, or an object with apply";
    problems.push({ code: "PLUGIN_INVALID", line: `${entry.from}: ${messages.PLUGIN_INVALID(entry.ref, detail)}` });
    return undefined;
  }
  return plugin;
}

/** Core's loaders, then the plugins the features ask for, then the configured ones (a name once). */
export function pluginEntries(config: ResolvedConfig): PluginEntry[] {
  const implicit = (ref: string, from: string): PluginEntry => ({ ref, options: undefined, from, baseDir: process.cwd() });
  const entries = [
    ...CORE_PLUGINS.map((ref) => implicit(ref, "core")),
    ...featurePlugins(config.features).map(({ plugin, feature }) => implicit(plugin, `features.${feature}`)),
  ];
  for (const entry of config.plugins) {
    const at = entries.findIndex((e) => e.ref === entry.ref);
    if (at >= 0) entries[at] = entry;
    else entries.push(entry);
  }
  return entries;
}

export async function resolvePlugins(config: ResolvedConfig): Promise<EncoderPlugin[]> {
  const problems: Problem[] = [];
  const plugins: EncoderPlugin[] = [];
  for (const entry of pluginEntries(config)) {
    const plugin = await instantiate(entry, problems);
    if (plugin) plugins.push(plugin);
  }
  if (problems.length > 0) throw new ConfigError(problems[0].code, problems.map((p) => p.line));
  return plugins;
}
