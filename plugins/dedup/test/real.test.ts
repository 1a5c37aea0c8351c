// Dedup on real kernel BTF: the cached Debian 6.1 vmlinux (and the running kernel's), appended
// three times, must come back as exactly one copy; its ten cached modules, merged with their base
// and deduplicated against it as split BTF, must be no larger than pahole's split BTF, valid, and
// accepted by the kernel.
import { existsSync } from "node:fs";
import { basename } from "node:path";
import { dumpRaw, mergeSplitBtf, parseBtf, validateBtf, writeBtf, type BtfTable } from "@btforge/btf";
import { readBtfBytes } from "@btforge/core";
import { describe, expect, test } from "vitest";
import { dedupBtf } from "../src/index.js";
import { kernelMissing, kernelModules, VMLINUX } from "../../../test/support/kernel-files.js";
import { expectKernelAccepts as expectLoads } from "../../../test/support/kernel-check.js";
import { skipBecause, skipKernel } from "../../../test/support/tools.js";
import { replicate } from "./support/replicate.js";

const RUNNING = "/sys/kernel/btf/vmlinux";
const missing = kernelMissing();
const noCachedKernel = skipBecause(missing, "dedup on the cached kernel's BTF");
const noKernel = skipKernel("kernel loads of deduplicated real BTF");

function expectValid(bytes: Uint8Array, base?: BtfTable): void {
  const result = validateBtf(bytes, { base, maxProblems: 5 });
  expect(result.problems).toEqual([]);
  expect(result.ok).toBe(true);
}

function expectKernelAccepts(bytes: Uint8Array, label: string): void {
  if (!noKernel) expectLoads(bytes, label);
}

const sources: [string, () => Uint8Array, string | undefined][] = [
  ["the Debian 6.1 vmlinux .BTF", () => readBtfBytes(VMLINUX), missing],
  [RUNNING, () => readBtfBytes(RUNNING), existsSync(RUNNING) ? undefined : `${RUNNING} does not exist`],
];

describe.each(sources)("%s appended three times", (name, read, skip) => {
  test.skipIf(skipBecause(skip, `dedup of ${name} x3`))("dedup gives back one copy: remap is a bijection from copy 1 onto the output", () => {
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
    expectKernelAccepts(bytes, `${name}, deduplicated`);
    // Idempotent on real data: the output deduplicated again is byte-identical.
    expect(Buffer.from(writeBtf(dedupBtf(parseBtf(bytes)).table)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe.skipIf(noCachedKernel)("modules as split BTF on the vmlinux", () => {
  // One test per module: each is a short synchronous run, so the worker answers vitest in between.
  const modules = noCachedKernel ? [] : kernelModules();
  const baseBytes = noCachedKernel ? new Uint8Array() : readBtfBytes(VMLINUX);
  const base = noCachedKernel ? undefined : parseBtf(baseBytes);
  test("the cache holds modules", () => expect(modules.length).toBeGreaterThanOrEqual(10));
  test.each(modules.map((m) => [basename(m), m]))("%s merged with its base, deduplicated against it, is no larger than pahole's split BTF", (name, path) => {
    const splitBytes = readBtfBytes(path);
    const pahole = parseBtf(splitBytes, { base, name });
    const merged = parseBtf(mergeSplitBtf(baseBytes, splitBytes), { name: `${name}+vmlinux` });
    const { table, remap } = dedupBtf(merged, { base });
    expect(table.firstId).toBe(base!.lastId + 1);
    expect(table.count).toBeLessThanOrEqual(pahole.count);
    // The base copy inside the merged table maps onto the base itself.
    const moved: string[] = [];
    for (let id = 1; id <= base!.lastId; id++) if (remap[id] !== id) moved.push(`${id} -> ${remap[id]}`);
    expect(moved).toEqual([]);
    const bytes = writeBtf(table);
    expect(bytes.length).toBeLessThanOrEqual(splitBytes.length);
    // Where dedup keeps as many types as pahole (libbpf), it keeps the same ones, in the same order.
    if (table.count === pahole.count) expect(dumpRaw(table)).toBe(dumpRaw(pahole));
    console.log(`split dedup of ${name}: pahole ${pahole.count} types / ${splitBytes.length} B, btforge ${table.count} types / ${bytes.length} B`);
    expectValid(bytes, base);
    // Idempotent as split BTF too.
    expect(Buffer.from(writeBtf(dedupBtf(parseBtf(bytes, { base }), { base }).table)).equals(Buffer.from(bytes))).toBe(true);
    expectKernelAccepts(mergeSplitBtf(baseBytes, bytes), `${name} merged with its base`);
  });
});
