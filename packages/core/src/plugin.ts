// What a plugin is: a class with a static name, a constructor that only normalizes its options,
// and apply(encoder) that taps the encoder's hooks by name.
import type { Encoder } from "./encoder.js";

export interface EncoderPlugin {
  apply(encoder: Encoder): void;
}

export interface PluginClass<Options = never> {
  new (options?: Options): EncoderPlugin;
  /** The tap name and the name in messages; also the built-in registry key for core's own plugins. */
  readonly name: string;
  /** JSON Schema of the options; when absent, a schema.json next to the plugin's module is used. */
  readonly schema?: object;
}
