/**
 * Why a test does not run, decided in one place. Every skip prints its reason. Where CI runs,
 * `.ci/run` installs every peer, fetches the kernels and exports BTFORGE_REQUIRE_PEERS=1: there a
 * missing requirement fails the suite instead of skipping it, since a test that skips where its
 * peer is present is a failing test. The one requirement CI cannot install is the kernel's
 * permission to load BTF (CAP_BPF): without it the kernel checks skip, with it they must run.
 */
import { spawnSync } from "node:child_process";
import { kernelAvailable } from "@btforge/btf";

/** Set by .ci/run: nothing may skip for want of a tool, a cached kernel or a build. */
export function peersRequired(): boolean {
  return process.env.BTFORGE_REQUIRE_PEERS === "1";
}

const cache = new Map<string, string | undefined>();

/** Undefined when `tool --version` runs, else a reason to print when skipping. */
export function toolMissing(tool: string): string | undefined {
  if (!cache.has(tool)) {
    const r = spawnSync(tool, ["--version"], { stdio: "ignore" });
    cache.set(tool, r.error || r.status !== 0 ? `${tool} is not installed` : undefined);
  }
  return cache.get(tool);
}

/** The first reason among several requirements, or undefined when all are met. */
export function firstMissing(...reasons: (string | undefined)[]): string | undefined {
  return reasons.find((r) => r !== undefined);
}

/**
 * Prints the reason (so a skipped test says why) and returns whether to skip. Under
 * BTFORGE_REQUIRE_PEERS=1 a reason throws instead, failing the file that asked.
 */
export function skipBecause(reason: string | undefined, what: string): boolean {
  if (reason === undefined) return false;
  if (peersRequired()) throw new Error(`${what} cannot run: ${reason} (BTFORGE_REQUIRE_PEERS=1 says every peer is installed here)`);
  console.warn(`skipping ${what}: ${reason}`);
  return true;
}

/** Reasons kernelAvailable() gives when the process may not load BTF: the one thing CI cannot install. */
const NO_PERMISSION = /needs Linux|needs CAP_BPF|refused BPF_BTF_LOAD \(EPERM\)/;

/**
 * Undefined when BTF can be loaded into the running kernel, else why not. A lack of permission
 * is a reason to skip anywhere; any other failure (the helper does not build, the kernel rejects a
 * minimal blob) is a broken peer, which fails under BTFORGE_REQUIRE_PEERS=1.
 */
export function kernelLoadMissing(): string | undefined {
  const kernel = kernelAvailable();
  return kernel.ok ? undefined : kernel.reason;
}

/** Like skipBecause for the kernel check: skips quietly where the process lacks the permission. */
export function skipKernel(what: string): boolean {
  const reason = kernelLoadMissing();
  if (reason === undefined) return false;
  if (NO_PERMISSION.test(reason)) {
    console.warn(`skipping ${what}: ${reason}`);
    return true;
  }
  return skipBecause(reason, what);
}
