/**
 * Real-kernel suite (issues 4 and 5): `btforge encode` on the Debian 6.1 cloud vmlinux and ten of
 * its modules, side by side with pahole 1.24 (the vmlinux's own .BTF is pahole's output).
 * - minimal profile (no dedup): every unit encodes; the types per kind are reported, and the result
 *   is far over the kernel's limits, which the validator says (the CLI exits 1 and writes nothing).
 * - default profile: valid, loaded by the running kernel, no larger than pahole's, and the same
 *   named structs/unions/enums/typedefs as pahole's; FUNCs are pahole's set minus the names whose
 *   prototypes disagree across units (consistent_func, which pahole 1.24 lacks).
 * - modules: split BTF on that base, each valid against it, loaded when merged, no larger than
 *   pahole --btf_base.
 * The vmlinux encodes run in child processes (the built CLI), the default one shared with every
 * suite that needs it (test/support/shared-encode.ts).
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { describe, expect, test } from "vitest";
import { BtfKind, type BtfTable, parseBtf, validateBtf, writeBtf } from "@btforge/btf";
import { createEncoder, encodedBytes, readBtfBytes, readBtfFile, VerifyBtfPlugin } from "@btforge/core";
import "../../packages/cli/src/builtin-plugins.js";
import { namedDefinitions, setDifference } from "../support/btf-definitions.js";
import { runCli } from "../support/cli.js";
import { expectKernelAccepts, expectKernelAcceptsSplit } from "../support/kernel-check.js";
import { kernelMissing, kernelModules, VMLINUX } from "../support/kernel-files.js";
import { REPO_ROOT } from "../support/paths.js";
import { type EncodeJson, sharedEncode } from "../support/shared-encode.js";
import { skipBecause, skipKernel, toolMissing } from "../support/tools.js";

const skip = skipBecause(kernelMissing(), "real-kernel encode suite");
const noKernel = skipKernel("kernel loads of the real-kernel encodes");
const work = mkdtempSync(join(tmpdir(), "btforge-real-encode-"));

function funcNames(t: BtfTable): Set<string> {
  const names = new Set<string>();
  for (let id = t.firstId; id <= t.lastId; id++) if (t.kind(id) === BtfKind.FUNC) names.add(t.name(id));
  return names;
}

const withoutFuncs = (defs: Set<string>) => new Set([...defs].filter((d) => !d.startsWith("func ")));

describe("Debian 6.1 vmlinux", () => {
  test.skipIf(skip)("minimal profile: all units encode; types per kind; the validator says it is over the kernel's limits", async () => {
    const r = await runCli(["encode", VMLINUX, "--profile", "minimal", "--json"], { timeoutMs: 1_800_000 });
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/: the encoded BTF is not valid, nothing written .*more than the kernel's limit of 16777216$/)]);
    const report = JSON.parse(r.stdout) as EncodeJson & { error: string };
    const stats = report.types!;
    console.warn(`vmlinux, minimal: ${stats.units} units, ${stats.types} types before dedup: ${JSON.stringify(stats.perKind)}`);
    expect(report.ok).toBe(false);
    expect(stats.units).toBeGreaterThanOrEqual(2170);
    expect(Object.values(stats.perKind).reduce((a, b) => a + b, 0)).toBe(stats.types);
    expect(report.btf.types).toBe(stats.types);
    expect(stats.types).toBeGreaterThan(1_048_575);
  });

  test.skipIf(skip)("default profile: valid, loaded by the kernel, no larger than pahole 1.24, same named definitions", async () => {
    const { bytes, report } = await sharedEncode(VMLINUX, { profile: "default" });
    const ours = parseBtf(bytes);
    const pahole = readBtfFile(VMLINUX);
    const paholeBytes = writeBtf(pahole).length;
    console.warn(`vmlinux, default: ${ours.count} types / ${bytes.length} B in ${(report.timings.totalMs / 1000).toFixed(1)} s; pahole 1.24: ${pahole.count} types / ${paholeBytes} B`);
    expect(validateBtf(bytes).ok).toBe(true);
    if (!noKernel) expectKernelAccepts(bytes, "vmlinux, default profile");
    expect(ours.count).toBeLessThanOrEqual(pahole.count);
    expect(bytes.length).toBeLessThanOrEqual(paholeBytes);

    const diff = setDifference(withoutFuncs(namedDefinitions(ours)), withoutFuncs(namedDefinitions(pahole)));
    expect(diff).toEqual({ onlyA: [], onlyB: [] });

    const ourFuncs = funcNames(ours);
    const theirFuncs = funcNames(pahole);
    const missing = [...theirFuncs].filter((n) => !ourFuncs.has(n));
    expect([...ourFuncs].filter((n) => !theirFuncs.has(n))).toEqual([]);
    // Exactly the names consistent_func dropped are missing.
    expect(missing.length).toBe(report.functions!.skipped.inconsistent ?? 0);
    expect(report.functions!.encoded).toBe(ourFuncs.size);
    console.warn(`FUNCs: ${ourFuncs.size} (pahole ${theirFuncs.size} distinct names; ${missing.length} dropped for inconsistent prototypes)`);
  });
});

describe("Debian 6.1 modules as split BTF on the vmlinux", () => {
  const modules = skip ? [] : kernelModules();
  const base = skip ? undefined : readBtfFile(VMLINUX);
  const baseBytes = skip ? undefined : readBtfBytes(VMLINUX);
  const noPahole = skipBecause(toolMissing("pahole") ?? toolMissing("bpftool"), "module comparison with pahole 1.24");
  for (const ko of modules) {
    test(basename(ko), async () => {
      const encoder = await createEncoder({ cwd: REPO_ROOT, profile: "default", plugins: [new VerifyBtfPlugin()] });
      const e = await encoder.run(ko, { until: "finalize", base });
      const bytes = encodedBytes(e);
      e.close();
      expect(validateBtf(bytes, { base }).ok).toBe(true);
      const split = parseBtf(bytes, { base });
      if (!noKernel) expectKernelAcceptsSplit(baseBytes!, bytes, basename(ko));
      if (noPahole) return;
      const copy = join(work, basename(ko));
      copyFileSync(ko, copy);
      execFileSync("pahole", ["-J", "--btf_base", VMLINUX, copy], { stdio: "ignore" });
      const theirs = readBtfFile(copy, { base });
      console.warn(`${basename(ko)}: btforge ${split.count} types / ${bytes.length} B, pahole ${theirs.count} types / ${writeBtf(theirs).length} B`);
      expect(split.count).toBeLessThanOrEqual(theirs.count);
    });
  }
});
