// A configuration after extends were merged: what an Encoder is built from.
import type { EncoderPlugin } from "../plugin.js";
import type { Features } from "./schema.js";

export interface PluginEntry {
  /** As written: a registered name, an npm package name or a path ("./my-plugin.mjs"). */
  readonly ref: string;
  readonly options: Record<string, unknown> | undefined;
  /** A ready instance, from a JavaScript or TypeScript configuration file. */
  readonly instance?: EncoderPlugin;
  /** The file that named it (for messages), and the folder its relative paths start from. */
  readonly from: string;
  readonly baseDir: string;
}

export interface ResolvedConfig {
  /** The name reported for this configuration: the profile, or the config file's name. */
  readonly profile: string;
  /** Every file merged, parents first (profiles, extended files, the configuration file). */
  readonly files: readonly string[];
  readonly features: Readonly<Features>;
  readonly plugins: readonly PluginEntry[];
  readonly output: Readonly<{ file?: string; inPlace?: boolean }>;
  readonly jobs: number;
}

/** Every feature off: the base under every profile, and the configuration of a bare `new Encoder()`. */
export const NO_FEATURES: Readonly<Features> = Object.freeze({
  functions: false,
  dedup: false,
  encode_force: false,
  var: false,
  float: false,
  decl_tag: false,
  type_tag: false,
  enum64: false,
  optimized_func: false,
  consistent_func: false,
  decl_tag_kfuncs: false,
  reproducible_build: false,
  distilled_base: false,
  global_var: false,
  attributes: false,
  true_signature: false,
  layout: false,
  lang_exclude: Object.freeze([]) as readonly string[],
});

export function emptyConfig(profile = "none"): ResolvedConfig {
  return { profile, files: [], features: NO_FEATURES, plugins: [], output: {}, jobs: 1 };
}
