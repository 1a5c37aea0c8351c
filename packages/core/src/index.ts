// @btforge/core: the Encoder (phases and hooks), Encoding (one input), configuration and profiles,
// plugin resolution, errors, progress, and the built-in plugins.
export { Encoder, Encoder as Compiler, type EncoderOptions, type RunOptions } from "./encoder.js";
export {
  Encoding,
  Encoding as Compilation,
  type Diagnostic,
  type EncodingContext,
  type EncodingInput,
  type Step,
  type TapTiming,
  type Timings,
} from "./encoding.js";
export { createEncoder, loaderPlugins, type CreateEncoderOptions } from "./create.js";
export { createHooks, type DieEncoderHook, type EncoderHooks, type PhaseHook, type VariableInfo } from "./hooks.js";
export { FINALIZE_STAGE, PHASES, phasesUntil, type Phase } from "./phases.js";
export type { EncoderPlugin, PluginClass } from "./plugin.js";
export { SILENT_PROGRESS, type ProgressReporter } from "./progress.js";
export {
  BtforgeError,
  ConfigError,
  btforgeError,
  configError,
  describeLocation,
  toBtforgeError,
  type BtforgeErrorOptions,
  type BtforgeLocation,
  type ErrorTrail,
} from "./errors/btforge-error.js";
export { messages, USAGE_CODES, type BtforgeErrorCode } from "./errors/codes.js";
export { exitCodeFor, formatError, type FormatOptions } from "./errors/format.js";
export { loadConfig, type LoadConfigOptions } from "./config/load.js";
export { emptyConfig, NO_FEATURES, type PluginEntry, type ResolvedConfig } from "./config/resolved.js";
export { CONFIG_SCHEMA_PATH, configProblems, type ConfigFile, type Features, type PluginReference, type VarsFeature } from "./config/schema.js";
export { isProfileName, listProfiles, PROFILES_DIR, profileFile } from "./config/profiles.js";
export { featurePlugins } from "./config/features.js";
export { pluginEntries, resolvePlugins } from "./config/resolve-plugins.js";
export { CORE_PLUGINS, registerPlugin, registeredPluginNames, type PluginSource } from "./plugins/registry.js";
export { ElfLoaderPlugin } from "./plugins/elf-loader.js";
export { DwarfLoaderPlugin, readDwarfSections } from "./plugins/dwarf-loader.js";
export { readBtfBytes, readBtfFile } from "./io/read-btf.js";
// dwarf-stats reports through core: the CLI depends on core alone.
export { dwarfStats, type DwarfStats } from "@btforge/dwarf";
