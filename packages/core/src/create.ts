// The usual way to get an Encoder: find and validate the configuration, resolve its plugins, apply.
import { loadConfig, type LoadConfigOptions } from "./config/load.js";
import { resolvePlugins } from "./config/resolve-plugins.js";
import { Encoder } from "./encoder.js";
import type { EncoderPlugin } from "./plugin.js";
import { DwarfLoaderPlugin } from "./plugins/dwarf-loader.js";
import { ElfLoaderPlugin } from "./plugins/elf-loader.js";
import type { ProgressReporter } from "./progress.js";

export interface CreateEncoderOptions extends LoadConfigOptions {
  progress?: ProgressReporter;
  trace?: (line: string) => void;
  /** Applied after the configured plugins (programmatic use, tests). */
  plugins?: readonly EncoderPlugin[];
}

/** Loads the configuration (throws ConfigError), resolves core's, the features' and the configured plugins. */
export async function createEncoder(options: CreateEncoderOptions = {}): Promise<Encoder> {
  const config = await loadConfig(options);
  const plugins = [...(await resolvePlugins(config)), ...(options.plugins ?? [])];
  return new Encoder({ config, plugins, progress: options.progress, trace: options.trace });
}

/** Just core's loaders: what reading an input (not encoding it) needs, e.g. dwarf-stats. */
export function loaderPlugins(): EncoderPlugin[] {
  return [new ElfLoaderPlugin(), new DwarfLoaderPlugin()];
}
