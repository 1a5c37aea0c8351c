// @btforge/plugin-global-vars: every global variable, one DATASEC per ELF section. Core resolves
// "global-vars" (features.global_var) to this module's default export.
import { GlobalVarsPlugin } from "./plugin.js";

export { GlobalVarsPlugin, globalVars, type GlobalVarsOptions } from "./plugin.js";
export { globToRegExp, matchesAny, namePattern } from "./glob.js";
export default GlobalVarsPlugin;
