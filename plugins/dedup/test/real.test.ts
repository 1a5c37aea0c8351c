// Dedup on real kernel BTF: the cached Debian 6.1 vmlinux (and the running kernel's), appended
// three times, must come back as exactly one copy; its ten cached modules, merged with their base
// and deduplicated against it as split BTF, must be no larger than pahole's split BTF, valid, and
// accepted by the kernel.
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { dumpRaw, formatKernelVerdict, kernelAvailable, loadIntoKernel, mergeSplitBtf, parseBtf, validateBtf, writeBtf, type BtfTable } from "@btforge/btf";
import { readBtfBytes } from "@btforge/core";
import { describe, expect, test } from "vitest";
import { dedupBtf } from "../src/index.js";
import { kernelMissing, kernelModules, VMLINUX } from "../../../test/support/kernel-files.js";
import { replicate } from "./support/replicate.js";

const RUNNING = "/sys/kernel/btf/vmlinux";
const missing = kernelMissing();
if (missing) console.warn(`dedup real-kernel tests skipped: ${missing}`);
const kernel = kernelAvailable();
if (!kernel.ok) console.warn(`kernel load checks skipped: ${kernel.reason}`);

function expectValid(bytes: Uint8Array, base?: BtfTable): void {
  const result = validateBtf(bytes, { base, maxProblems: 5 });
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
}

function expectKernelAccepts(bytes: Uint8Array): void {
  if (!kernel.ok) return;
  const verdict = loadIntoKernel(bytes);
  expect(formatKernelVerdict(verdict)).toEqual(["kernel: accepted"]);
}

const sources: [string, () => Uint8Array, string | undefined][] = [
  ["the Debian 6.1 vmlinux .BTF", () => readBtfBytes(VMLINUX), missing],
  [RUNNING, () => readBtfBytes(RUNNING), existsSync(RUNNING) ? undefined : `${RUNNING} does not exist`],
];

describe.each(sources)("%s appended three times", (_name, read, skip) => {
  if (skip) console.warn(`skipped: ${skip}`);
  test.skipIf(skip !== undefined)("dedup gives back one copy: remap is a bijection from copy 1 onto the output", () => {
    const original = parseBtf(read());
    const { table: input, ids } = replicate(original, 3);
    const { table, remap } = dedupBtf(input);
    expect(table.count).toBe(original.count);
    const hit = new Uint8Array(table.lastId + 1);
    for (let id = 1; id <= original.count; id++) {
      const out = remap[ids[0]![id]!]!;
      expect(hit[out]).toBe(0);
      hit[out] = 1;
      for (const copy of ids.slice(1)) if (copy[id] !== 0) expect(remap[copy[id]!]).toBe(out);
    }
    // Same types in the same order with the same strings: the dump is the original's.
    expect(dumpRaw(table)).toBe(dumpRaw(original));
    const bytes = writeBtf(table);
    expectValid(bytes);
    expectKernelAccepts(bytes);
    // Idempotent on real data: the output deduplicated again is byte-identical.
    expect(Buffer.from(writeBtf(dedupBtf(parseBtf(bytes)).table)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("modules as split BTF on the vmlinux", () => {
  const modules = missing ? [] : kernelModules();
  if (!missing && modules.length === 0) console.warn("no cached modules: split dedup tests skipped");
  test.skipIf(modules.length === 0)("each module merged with its base, deduplicated against it, is no larger than pahole's split BTF", () => {
    const baseBytes = readBtfBytes(VMLINUX);
    const base = parseBtf(baseBytes);
    const blobs: Uint8Array[] = [];
    const figures: string[] = [];
    for (const path of modules) {
      const name = basename(path);
      const splitBytes = readBtfBytes(path);
      const pahole = parseBtf(splitBytes, { base, name });
      const merged = parseBtf(mergeSplitBtf(baseBytes, splitBytes), { name: `${name}+vmlinux` });
      const { table, remap } = dedupBtf(merged, { base });
      expect(table.firstId, name).toBe(base.lastId + 1);
      expect(table.count, name).toBeLessThanOrEqual(pahole.count);
      // the base copy inside the merged table maps onto the base itself
      for (let id = 1; id <= base.lastId; id++) if (remap[id] !== id) expect.fail(`${name}: base type ${id} mapped to ${remap[id]}`);
      const bytes = writeBtf(table);
      expect(bytes.length, name).toBeLessThanOrEqual(splitBytes.length);
      // Where dedup keeps as many types as pahole (libbpf), it keeps the same ones, in the same order.
      if (table.count === pahole.count) expect(dumpRaw(table), name).toBe(dumpRaw(pahole));
      figures.push(`${name}: pahole ${pahole.count} types / ${splitBytes.length} B, btforge ${table.count} types / ${bytes.length} B`);
      expectValid(bytes, base);
      // idempotent as split BTF too
      expect(Buffer.from(writeBtf(dedupBtf(parseBtf(bytes, { base }), { base }).table)).equals(Buffer.from(bytes)), name).toBe(true);
      blobs.push(mergeSplitBtf(baseBytes, bytes));
    }
    console.log(`split dedup against the vmlinux:\n  ${figures.join("\n  ")}`);
    for (const blob of blobs) expectKernelAccepts(blob);
  });
});
