// The CLI is the composition root: it tells core which package carries each built-in plugin, so
// configuration and features.ts can name them ("dedup", "percpu-vars", "global-vars") while core
// itself never imports a plugin package. Each loads only when a configuration asks for it.
import { registerPlugin } from "@btforge/core";

/** Registers the built-in plugins by their short names; importing this module does it once. */
export function registerBuiltinPlugins(): void {
  registerPlugin("dedup", () => import("@btforge/plugin-dedup"));
  registerPlugin("percpu-vars", () => import("@btforge/plugin-percpu"));
  registerPlugin("global-vars", () => import("@btforge/plugin-global-vars"));
  registerPlugin("distilled-base", () => import("@btforge/plugin-distilled-base"));
}

registerBuiltinPlugins();
