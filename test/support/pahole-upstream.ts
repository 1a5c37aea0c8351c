/**
 * Upstream pahole (v1.31 + the 2026 features, libbpf embedded), built by
 * ../shared/peers/build-pahole.sh into ~/.cache/btforge-peers (BTFORGE_PEERS overrides): the
 * oracle for features pahole 1.24 lacks (distilled_base, --lang_exclude with --btf_features).
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const UPSTREAM_PAHOLE = join(process.env.BTFORGE_PEERS ?? join(homedir(), ".cache/btforge-peers"), "pahole-1436daf/build/pahole");

/** Undefined when the upstream pahole binary is built, else why its comparisons skip. */
export function upstreamPaholeMissing(): string | undefined {
  return existsSync(UPSTREAM_PAHOLE) ? undefined : `upstream pahole is not built at ${UPSTREAM_PAHOLE} (run ../shared/peers/build-pahole.sh)`;
}
