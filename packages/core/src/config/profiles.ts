// Named encoding profiles: config/NAME.json at the repository root, found from this module's own
// location (src/config or dist/config of packages/core), never from the working directory.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROFILES_DIR = fileURLToPath(new URL("../../../../config/", import.meta.url));

const PROFILE_NAME = /^[a-z0-9][a-z0-9._-]*$/i;

/**
 * Whether an `extends` entry or --profile value is a profile name rather than a path: a name has
 * no slash and no file extension of a config format.
 */
export function isProfileName(ref: string): boolean {
  return PROFILE_NAME.test(ref) && !/\.(json|ya?ml|[cm]?js|ts)$/i.test(ref);
}

export function listProfiles(): string[] {
  if (!existsSync(PROFILES_DIR)) return [];
  return readdirSync(PROFILES_DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort();
}

/** The profile's file, or undefined when there is no such profile. */
export function profileFile(name: string): string | undefined {
  if (!isProfileName(name)) return undefined;
  const file = join(PROFILES_DIR, `${name}.json`);
  return existsSync(file) ? file : undefined;
}
