// The one place where configuration features (like pahole's --btf_features) become plugins.
// Features without an entry here (float, enum64, consistent_func, encode_force) are read by the
// encoder's own plugins from `encoding.features`.
import type { Features } from "./schema.js";

/** Which registered plugin carries out a feature, by the feature's value. */
const FEATURE_PLUGINS: { readonly [F in keyof Features]?: Partial<Record<string, string>> } = {
  dedup: { true: "dedup" },
  decl_tag: { true: "decl-tag" },
  type_tag: { true: "type-tag" },
  vars: { percpu: "percpu-vars", all: "global-vars" },
};

/** The plugins the features ask for, in a fixed order (the order of FEATURE_PLUGINS). */
export function featurePlugins(features: Readonly<Features>): { plugin: string; feature: keyof Features }[] {
  const wanted: { plugin: string; feature: keyof Features }[] = [];
  for (const [feature, byValue] of Object.entries(FEATURE_PLUGINS) as [keyof Features, Partial<Record<string, string>>][]) {
    const plugin = byValue[String(features[feature])];
    if (plugin !== undefined) wanted.push({ plugin, feature });
  }
  return wanted;
}
