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
export { CONFIG_SCHEMA_PATH, configProblems, type ConfigFile, type FeatureSwitch, type Features, type PluginReference } from "./config/schema.js";
export { isProfileName, listProfiles, PROFILES_DIR, profileFile } from "./config/profiles.js";
export { featurePlugins, PAHOLE_DEFAULT_FEATURES, PAHOLE_FEATURES } from "./config/features.js";
export { pluginEntries, resolvePlugins } from "./config/resolve-plugins.js";
export { CORE_PLUGINS, registerPlugin, registeredPluginNames, type PluginSource } from "./plugins/registry.js";
export { ElfLoaderPlugin } from "./plugins/elf-loader.js";
export { DwarfLoaderPlugin, readDwarfSections } from "./plugins/dwarf-loader.js";
export { readBtfBytes, readBtfFile } from "./io/read-btf.js";
export { checkInputFile } from "./io/input-file.js";
// dwarf-stats reports through core: the CLI depends on core alone.
export { dwarfStats, type DwarfStats } from "@btforge/dwarf";
export { DieTypes, DIE_TYPES_ARTIFACT, NO_TYPE, dieTypesOf, refSection } from "./encode/die-types.js";
export { WriteBtfPlugin, BTF_SECTION, BTF_BASE_SECTION, writeEncodedBtf, type WriteTarget } from "./plugins/write-btf.js";
export { addOutputSection, outputSections, OUTPUT_SECTIONS_ARTIFACT, type OutputSection } from "./output-sections.js";
export { VerifyBtfPlugin, encodedBytes, isEmptyBtf } from "./plugins/verify-btf.js";
export { writeFileAtomically, writeFilesAtomically } from "./io/atomic-write.js";
// The variable emitter (VARs and DATASECs of the sections plugins include).
export { VariablesPlugin, VARIABLES_STAGE, encodeVariables } from "./encode/variables/plugin.js";
export { isVariableCandidate, type VariableCandidate } from "./encode/variables/select.js";
export { SKIP_REASONS, VARIABLES_ARTIFACT, type SectionFigures, type SkipReason, type VariablesStats } from "./encode/variables/stats.js";
export { withoutTypeTags } from "./encode/variables/type-size.js";
export { TypesPlugin, TYPES_ARTIFACT, type TypesStats } from "./encode/types-plugin.js";
export { ANNOTATIONS_ARTIFACT, SUBPROGRAMS_ARTIFACT, SubprogramList, type DwarfAnnotation } from "./encode/types/session.js";
export { isValidIdentifier, isValidSectionName } from "./encode/names.js";
export { FunctionsPlugin, FUNCTIONS_ARTIFACT, type FunctionSkip, type FunctionsStats } from "./encode/functions-plugin.js";
export { DeclTagPlugin } from "./encode/tags/decl-tag-plugin.js";
export { TypeTagPlugin } from "./encode/tags/type-tag-plugin.js";
export { snapshotTypes, typesKey, type TypesSnapshot } from "./types-snapshot.js";
