/**
 * Real-kernel suite (issues 4 and 5): `btforge encode` on the Debian 6.1 cloud vmlinux and ten of
 * its modules, side by side with pahole 1.24 (the vmlinux's own .BTF is pahole's output).
 * - minimal profile (no dedup): every unit encodes; the types per kind are reported, and the result
 *   is far over the kernel's limits, which the validator says.
 * - default profile: valid, loaded by the running kernel, no larger than pahole's, and the same
 *   named structs/unions/enums/typedefs as pahole's; FUNCs are pahole's set minus the names whose
 *   prototypes disagree across units (consistent_func, which pahole 1.24 lacks).
 * - modules: split BTF on that base, each valid against it, loaded when merged, no larger than
 *   pahole --btf_base.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, test } from "vitest";
import { BtfKind, type BtfTable, formatProblems, kernelAvailable, loadIntoKernel, mergeSplitBtf, parseBtf, validateBtf, writeBtf } from "@btforge/btf";
import {
  createEncoder,
  encodedBytes,
  FUNCTIONS_ARTIFACT,
  type FunctionsStats,
  readBtfFile,
  TYPES_ARTIFACT,
  type TypesStats,
  VerifyBtfPlugin,
} from "@btforge/core";
import "../../packages/cli/src/builtin-plugins.js";
import { namedDefinitions, setDifference } from "../support/btf-definitions.js";
import { kernelMissing, kernelModules, VMLINUX } from "../support/kernel-files.js";
import { REPO_ROOT } from "../support/paths.js";
import { skipBecause, toolMissing } from "../support/tools.js";

const skip = skipBecause(kernelMissing(), "real-kernel encode suite");
const kernel = kernelAvailable();
const work = mkdtempSync(join(tmpdir(), "btforge-real-encode-"));

async function encode(file: string, profile: string, until: "symbols" | "finalize", base?: BtfTable) {
  const plugins = until === "finalize" ? [new VerifyBtfPlugin()] : [];
  const encoder = await createEncoder({ cwd: REPO_ROOT, profile, plugins });
  return encoder.run(file, { until, base });
}

function funcNames(t: BtfTable): Set<string> {
  const names = new Set<string>();
  for (let id = t.firstId; id <= t.lastId; id++) if (t.kind(id) === BtfKind.FUNC) names.add(t.name(id));
  return names;
}

const withoutFuncs = (defs: Set<string>) => new Set([...defs].filter((d) => !d.startsWith("func ")));

describe("Debian 6.1 vmlinux", () => {
  test.skipIf(skip)("minimal profile: all units encode; types per kind; the validator says it is over the kernel's limits", { timeout: 600_000 }, async () => {
    const e = await encode(VMLINUX, "minimal", "symbols");
    const stats = e.artifacts.get(TYPES_ARTIFACT) as TypesStats;
    console.warn(`vmlinux, minimal: ${stats.units} units, ${stats.types} types before dedup: ${JSON.stringify(stats.perKind)}`);
    expect(stats.units).toBe(e.dwarf.units().length);
    expect(stats.units).toBeGreaterThanOrEqual(2170);
    expect(Object.values(stats.perKind).reduce((a, b) => a + b, 0)).toBe(stats.types);
    expect(stats.types).toBeGreaterThan(1_048_575);
    const verdict = validateBtf(writeBtf(e.btf), { maxProblems: 1 });
    expect(verdict.ok).toBe(false);
    expect(formatProblems(verdict, "")[0]).toMatch(/more than the kernel's limit/);
    e.close();
  });

  test.skipIf(skip)("default profile: valid, loaded by the kernel, no larger than pahole 1.24, same named definitions", { timeout: 600_000 }, async () => {
    const started = performance.now();
    const e = await encode(VMLINUX, "default", "finalize");
    const ms = performance.now() - started;
    const bytes = encodedBytes(e);
    const ours = parseBtf(bytes);
    const pahole = readBtfFile(VMLINUX);
    const paholeBytes = writeBtf(pahole).length;
    console.warn(`vmlinux, default: ${ours.count} types / ${bytes.length} B in ${(ms / 1000).toFixed(1)} s; pahole 1.24: ${pahole.count} types / ${paholeBytes} B`);
    expect(validateBtf(bytes).ok).toBe(true);
    if (kernel.available) expect(loadIntoKernel(bytes).accepted).toBe(true);
    else console.warn(`kernel load skipped: ${kernel.reason}`);
    expect(ours.count).toBeLessThanOrEqual(pahole.count);
    expect(bytes.length).toBeLessThanOrEqual(paholeBytes);

    const diff = setDifference(withoutFuncs(namedDefinitions(ours)), withoutFuncs(namedDefinitions(pahole)));
    expect(diff).toEqual({ onlyA: [], onlyB: [] });

    const fstats = e.artifacts.get(FUNCTIONS_ARTIFACT) as FunctionsStats;
    const ourFuncs = funcNames(ours);
    const theirFuncs = funcNames(pahole);
    const missing = [...theirFuncs].filter((n) => !ourFuncs.has(n));
    expect([...ourFuncs].filter((n) => !theirFuncs.has(n))).toEqual([]);
    // Exactly the names consistent_func dropped are missing.
    expect(missing.length).toBe(fstats.skipped.inconsistent ?? 0);
    console.warn(`FUNCs: ${ourFuncs.size} (pahole ${theirFuncs.size} distinct names; ${missing.length} dropped for inconsistent prototypes)`);
    e.close();
  });
});

describe("Debian 6.1 modules as split BTF on the vmlinux", () => {
  const modules = skip ? [] : kernelModules();
  const base = skip ? undefined : readBtfFile(VMLINUX);
  const noPahole = toolMissing("pahole") ?? toolMissing("bpftool");
  for (const ko of modules) {
    test(basename(ko), { timeout: 300_000 }, async () => {
      const e = await encode(ko, "default", "finalize", base);
      const bytes = encodedBytes(e);
      e.close();
      expect(validateBtf(bytes, { base }).ok).toBe(true);
      const split = parseBtf(bytes, { base });
      if (kernel.available) expect(loadIntoKernel(writeBtf(mergeSplitBtf(split))).accepted).toBe(true);
      if (noPahole) return;
      const copy = join(work, basename(ko));
      copyFileSync(ko, copy);
      execFileSync("pahole", ["-J", "--btf_base", VMLINUX, copy], { stdio: "ignore" });
      const theirs = readBtfFile(copy, { base });
      console.warn(`${basename(ko)}: btforge ${split.count} types / ${bytes.length} B, pahole ${theirs.count} types / ${writeBtf(theirs).length} B`);
      expect(split.count).toBeLessThanOrEqual(theirs.count);
      expect(readFileSync(copy).length).toBeGreaterThan(0);
    });
  }
});
