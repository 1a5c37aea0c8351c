// Plugins known by a short name in configuration ("dedup", "percpu-vars"). Core registers its own;
// other packages register theirs with a loader so core never imports them eagerly.
import type { PluginClass } from "../plugin.js";
import { DwarfLoaderPlugin } from "./dwarf-loader.js";
import { ElfLoaderPlugin } from "./elf-loader.js";

/** A class, or how to get one: an npm package name to import, or a function that imports it. */
export type PluginSource = PluginClass<never> | string | (() => Promise<unknown>);

const registry = new Map<string, PluginSource>([
  [ElfLoaderPlugin.name, ElfLoaderPlugin],
  [DwarfLoaderPlugin.name, DwarfLoaderPlugin],
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
export const CORE_PLUGINS: readonly string[] = [ElfLoaderPlugin.name, DwarfLoaderPlugin.name];
