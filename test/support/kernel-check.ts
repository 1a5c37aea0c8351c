/**
 * Asking the running kernel (BPF_BTF_LOAD) for its verdict inside a test, one way everywhere: the
 * caller decides with skipKernel() (test/support/tools.ts) whether the check can run, then asserts
 * here. Split BTF is merged with its base first, as `btforge validate --kernel` does, since the
 * kernel does not load a user's split BTF.
 */
import { expect } from "vitest";
import { type KernelVerdict, loadIntoKernel, loadManyIntoKernel, mergeSplitBtf } from "@btforge/btf";

/** The verdict in one line, for a failing assertion's message. */
export function describeVerdict(v: KernelVerdict): string {
  if (v.accepted) return "accepted";
  const last = v.log.trimEnd().split("\n").pop()?.trim() ?? "";
  return `rejected (${v.errno ?? "?"}): ${last}`;
}

/** Asserts the kernel accepts `bytes`. */
export function expectKernelAccepts(bytes: Uint8Array, label: string): void {
  const v = loadIntoKernel(bytes);
  expect(v.accepted, `${label}: kernel ${describeVerdict(v)}`).toBe(true);
}

/** Asserts the kernel accepts a split BTF merged with its base. */
export function expectKernelAcceptsSplit(baseBytes: Uint8Array, splitBytes: Uint8Array, label: string): void {
  expectKernelAccepts(mergeSplitBtf(baseBytes, splitBytes), label);
}

/** Asserts the kernel accepts every blob (one helper process for the batch); names the ones it does not. */
export function expectKernelAcceptsAll(blobs: readonly { bytes: Uint8Array; label: string }[]): void {
  const verdicts = loadManyIntoKernel(blobs.map((b) => b.bytes));
  const refused = verdicts.flatMap((v, i) => (v.accepted ? [] : [`${blobs[i]!.label}: ${describeVerdict(v)}`]));
  expect(refused).toEqual([]);
}
