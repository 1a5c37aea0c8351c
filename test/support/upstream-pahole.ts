/**
 * Upstream pahole (dwarves 1436daf: v1.31 plus the 2026 features such as --btf_features=layout),
 * the oracle for what current kernel builds get. Debian ships only pahole 1.24;
 * ../shared/peers/build-pahole.sh builds this one into ~/.cache/btforge-peers (BTFORGE_PEERS
 * overrides) and .ci/run calls it before the tests; BTFORGE_UPSTREAM_PAHOLE names another binary.
 * A test never builds it itself: two minutes of cmake would block its worker.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const UPSTREAM_PAHOLE =
  process.env.BTFORGE_UPSTREAM_PAHOLE ?? join(process.env.BTFORGE_PEERS ?? join(homedir(), ".cache/btforge-peers"), "pahole-1436daf/build/pahole");

/** Undefined when upstream pahole is built, else why the tests comparing with it skip. */
export function upstreamPaholeMissing(): string | undefined {
  return existsSync(UPSTREAM_PAHOLE) ? undefined : `upstream pahole is not built at ${UPSTREAM_PAHOLE} (run ../shared/peers/build-pahole.sh)`;
}

/** The path of upstream pahole, or undefined (upstreamPaholeMissing() says why). */
export function upstreamPahole(): string | undefined {
  return upstreamPaholeMissing() === undefined ? UPSTREAM_PAHOLE : undefined;
}
