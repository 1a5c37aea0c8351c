// The running kernel's version, as a validator target: so an offline verdict can be compared
// with BPF_BTF_LOAD's under the same kernel's rules.

import { release } from "node:os";
import { kernelRules } from "../validate/targets.js";

export type RunningKernelTarget = { ok: true; release: string; target: string } | { ok: false; release: string; reason: string };

/** The running kernel's "major.minor" when btforge knows that kernel's rules; why not otherwise. */
export function runningKernelTarget(): RunningKernelTarget {
  const rel = release();
  try {
    return { ok: true, release: rel, target: kernelRules(rel).version };
  } catch (err) {
    return { ok: false, release: rel, reason: (err as Error).message };
  }
}
