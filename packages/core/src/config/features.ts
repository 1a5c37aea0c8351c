// The one place where configuration features (pahole's --btf_features names) become plugins. Features without a plugin entry
// (float, enum64, consistent_func, encode_force, ...) are read by the encoder's own plugins from
// `encoding.features`.
import type { FeatureSwitch, Features } from "./schema.js";

/** pahole's --btf_features names, in the order `pahole --supported_btf_features` prints them. */
export const PAHOLE_FEATURES = [
  "encode_force", "var", "float", "decl_tag", "type_tag", "enum64", "optimized_func", "consistent_func",
  "decl_tag_kfuncs", "reproducible_build", "distilled_base", "global_var", "attributes", "true_signature", "layout",
] as const satisfies readonly FeatureSwitch[];

/**
 * pahole's `--btf_features=default` set: the features upstream's pahole.c declares with
 * BTF_DEFAULT_FEATURE. decl_tag_kfuncs is one of them there, although its man page lists it among
 * the non-standard features; `pahole --btf_features=default` does write bpf_kfunc tags.
 */
export const PAHOLE_DEFAULT_FEATURES = [
  "encode_force", "var", "float", "decl_tag", "type_tag", "enum64", "optimized_func", "consistent_func", "decl_tag_kfuncs",
] as const satisfies readonly FeatureSwitch[];

/** Which registered plugin carries out a feature, by the feature's value. */
const FEATURE_PLUGINS: { readonly [F in keyof Features]?: Partial<Record<string, string>> } = {
  dedup: { true: "dedup" },
  decl_tag: { true: "decl-tag" },
  type_tag: { true: "type-tag" },
  var: { true: "percpu-vars" },
  global_var: { true: "global-vars" },
  distilled_base: { true: "distilled-base" },
};

/** The plugins the features ask for, in a fixed order (the order of FEATURE_PLUGINS). */
export function featurePlugins(features: Readonly<Features>): { plugin: string; feature: keyof Features }[] {
  const wanted: { plugin: string; feature: keyof Features }[] = [];
  for (const [feature, byValue] of Object.entries(FEATURE_PLUGINS) as [keyof Features, Partial<Record<string, string>>][]) {
    // global_var covers the per-CPU section too (its options may leave some of it out), as in pahole.
    if (feature === "var" && features.global_var) continue;
    const plugin = byValue[String(features[feature])];
    if (plugin !== undefined) wanted.push({ plugin, feature });
  }
  return wanted;
}
