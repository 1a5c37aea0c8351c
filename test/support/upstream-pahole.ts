// Upstream pahole (v1.31 + the 2026 features such as --btf_features=layout), the peer for BTF that
// pahole 1.24 cannot write. Found at $BTFORGE_UPSTREAM_PAHOLE, else built (once, cached) by the
// team's build-pahole.sh, which prints the binary's path; tests skip with the reason when neither
// works.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const REPO = fileURLToPath(new URL("../../", import.meta.url));
/** Where build-pahole.sh may be: beside the repository (../shared/peers) or at the team's shared path. */
const SCRIPTS = [`${REPO}../shared/peers/build-pahole.sh`, "/work/shared/peers/build-pahole.sh"];

let found: { path?: string; missing?: string } | undefined;

function locate(): { path?: string; missing?: string } {
  const fromEnv = process.env.BTFORGE_UPSTREAM_PAHOLE;
  if (fromEnv) return existsSync(fromEnv) ? { path: fromEnv } : { missing: `BTFORGE_UPSTREAM_PAHOLE=${fromEnv} does not exist` };
  const script = SCRIPTS.find((s) => existsSync(s));
  if (!script) return { missing: `upstream pahole: no build-pahole.sh (looked at ${SCRIPTS.join(", ")})` };
  const r = spawnSync("bash", [script], { encoding: "utf8", timeout: 30 * 60_000 });
  const path = r.stdout?.trim().split("\n").pop();
  if (r.status !== 0 || !path || !existsSync(path)) return { missing: `upstream pahole: ${script} failed: ${(r.stderr || String(r.error ?? "")).trim().split("\n").pop()}` };
  return { path };
}

/** The path of upstream pahole, or undefined with `upstreamPaholeMissing()` saying why. */
export function upstreamPahole(): string | undefined {
  found ??= locate();
  return found.path;
}

/** Undefined when upstream pahole is available, else a reason to print when skipping. */
export function upstreamPaholeMissing(): string | undefined {
  found ??= locate();
  return found.missing;
}
