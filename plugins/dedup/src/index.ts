// @btforge/plugin-dedup: BTF type deduplication (libbpf btf__dedup semantics) and the finalize
// plugin that applies it to an Encoding. Core resolves "dedup" to this module's default export.
import { DedupPlugin } from "./plugin.js";

export { dedupBtf, type DedupOptions, type DedupPhase, type DedupResult } from "./dedup.js";
export { DedupPlugin, dedup, DEDUP_ARTIFACT, type DedupPluginOptions, type DedupStats } from "./plugin.js";
export default DedupPlugin;
