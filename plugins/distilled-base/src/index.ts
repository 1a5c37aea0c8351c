// @btforge/plugin-distilled-base: a module's split BTF rewritten onto a distilled base, written as
// .BTF.base beside .BTF. Core resolves "distilled-base" (features.distilled_base) to this module's
// default export.
import { DistilledBasePlugin } from "./plugin.js";

export { DISTILLED_BASE_ARTIFACT, DISTILLED_BASE_STAGE, DistilledBasePlugin, distilledBase, type DistilledBaseStats } from "./plugin.js";
export default DistilledBasePlugin;
