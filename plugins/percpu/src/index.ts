// @btforge/plugin-percpu: per-CPU variables as VARs in a .data..percpu DATASEC. Core resolves
// "percpu-vars" (features.var) to this module's default export.
import { PercpuVarsPlugin } from "./plugin.js";

export { PERCPU_SECTION, PercpuVarsPlugin, percpuVars, type PercpuVarsOptions } from "./plugin.js";
export default PercpuVarsPlugin;
