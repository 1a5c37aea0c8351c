// Plugins known by a short name in configuration ("dedup", "percpu-vars"). Core registers its own;
// other packages register theirs with a loader so core never imports them eagerly.
import type { PluginClass } from "../plugin.js";
import { DwarfLoaderPlugin } from "./dwarf-loader.js";
import { ElfLoaderPlugin } from "./elf-loader.js";
import { FunctionsPlugin } from "../encode/functions-plugin.js";
import { DeclTagPlugin } from "../encode/tags/decl-tag-plugin.js";
import { TypeTagPlugin } from "../encode/tags/type-tag-plugin.js";
import { TypesPlugin } from "../encode/types-plugin.js";
import { VariablesPlugin } from "../encode/variables/plugin.js";

/** A class, or how to get one: an npm package name to import, or a function that imports it. */
export type PluginSource = PluginClass<never> | string | (() => Promise<unknown>);

const registry = new Map<string, PluginSource>([
  [ElfLoaderPlugin.name, ElfLoaderPlugin],
  [DwarfLoaderPlugin.name, DwarfLoaderPlugin],
  [TypesPlugin.name, TypesPlugin],
  [FunctionsPlugin.name, FunctionsPlugin],
  [DeclTagPlugin.name, DeclTagPlugin],
  [TypeTagPlugin.name, TypeTagPlugin],
  [VariablesPlugin.name, VariablesPlugin],
]);

/** Makes `name` usable in configuration `plugins` and features.ts; a later registration replaces it. */
export function registerPlugin(name: string, source: PluginSource): void {
  registry.set(name, source);
}

export function registeredPlugin(name: string): PluginSource | undefined {
  return registry.get(name);
}

export function registeredPluginNames(): string[] {
  return [...registry.keys()].sort();
}

/** The plugins every encoder applies first: reading the ELF, then its DWARF. */
export const CORE_PLUGINS: readonly string[] = [
  ElfLoaderPlugin.name,
  DwarfLoaderPlugin.name,
  TypesPlugin.name,
  FunctionsPlugin.name,
  VariablesPlugin.name,
];
