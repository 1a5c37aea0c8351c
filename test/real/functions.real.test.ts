/**
 * Real-kernel suite for the functions feature: the Debian 6.1 and 6.12 vmlinux encoded with the
 * default profile, side by side with upstream pahole --btf_features=default (run once per kernel,
 * its output cached in ~/.cache/btforge/oracle) and with pahole 1.24 (the vmlinux's own .BTF):
 * - FUNC names, prototypes and parameter names equal upstream's; every remaining difference would
 *   be listed below by class, with its count, and in the README (there are none);
 * - bpf_kfunc / bpf_fastcall DECL_TAGs equal upstream's, name for name (6.12: 132 kfuncs; 6.1 has no
 *   kfunc sets with flags);
 * - the output is valid and the running kernel loads it.
 * Each kernel is encoded once (test/support/shared-encode.ts: the built CLI in a child process, the
 * result shared with the other suites), in beforeAll.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BtfKind, type BtfTable, parseBtf, validateBtf } from "@btforge/btf";
import { createEncoder, encodedBytes, type FunctionsStats, readBtfFile } from "@btforge/core";
import "../../packages/cli/src/builtin-plugins.js";
import { namedDefinitions, setDifference } from "../support/btf-definitions.js";
import { KERNEL_6_1, KERNEL_6_12 } from "../support/kernel-files.js";
import { REPO_ROOT } from "../support/paths.js";
import { expectKernelAccepts } from "../support/kernel-check.js";
import { sharedEncode } from "../support/shared-encode.js";
import { skipBecause, skipKernel } from "../support/tools.js";
import { upstreamPaholeBtf, upstreamPaholeMissing } from "../support/upstream-pahole.js";

const noKernel = skipKernel("kernel loads of the default encodes");

/**
 * Known differences from upstream pahole's default FUNCs, by class, per kernel: none. A class
 * would name its reason here and in the README's table of differences.
 */
const KNOWN_DIFFERENCES: Record<string, { onlyOurs: number; onlyUpstream: number; prototype: number }> = {
  "6.1": { onlyOurs: 0, onlyUpstream: 0, prototype: 0 },
  "6.12": { onlyOurs: 0, onlyUpstream: 0, prototype: 0 },
};

/** "func NAME(type param, ...) -> ret" per FUNC name. */
function funcDefinitions(t: BtfTable): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of namedDefinitions(t)) if (d.startsWith("func ")) out.set(d.slice(5, d.indexOf("(")), d);
  return out;
}

const kfuncTags = (t: BtfTable) => new Set([...namedDefinitions(t)].filter((d) => /^decl_tag bpf_(kfunc|fastcall) /.test(d)));

function funcCount(t: BtfTable): number {
  let n = 0;
  for (let id = t.firstId; id <= t.lastId; id++) if (t.kind(id) === BtfKind.FUNC) n++;
  return n;
}

for (const k of [KERNEL_6_1, KERNEL_6_12]) {
  const missing = k.missing() ?? upstreamPaholeMissing();
  const skip = skipBecause(missing, `functions vs upstream pahole on ${k.name}`);

  describe.skipIf(skip)(`${k.name} vmlinux, default profile vs upstream pahole`, () => {
    let ours: BtfTable;
    let bytes: Uint8Array;
    let theirs: BtfTable;
    let stats: FunctionsStats;

    beforeAll(async () => {
      const shared = await sharedEncode(k.vmlinux, { profile: "default" });
      bytes = shared.bytes;
      stats = shared.report.functions as unknown as FunctionsStats;
      ours = parseBtf(bytes);
      const up = upstreamPaholeBtf(k.vmlinux, "default", { cache: true });
      if (typeof up === "string") throw new Error(up);
      theirs = up;
    }, 900_000);

    afterAll(() => {
      ours = theirs = undefined as unknown as BtfTable;
    });

    test("FUNC names, prototypes and parameter names equal upstream pahole's but for the known classes", () => {
      const a = funcDefinitions(ours);
      const b = funcDefinitions(theirs);
      const onlyOurs = [...a.keys()].filter((n) => !b.has(n)).sort();
      const onlyUpstream = [...b.keys()].filter((n) => !a.has(n)).sort();
      const prototype = [...a.keys()].filter((n) => b.has(n) && a.get(n) !== b.get(n)).sort();
      const pahole124 = funcCount(readBtfFile(k.vmlinux));
      console.warn(
        `${k.name}: FUNCs btforge ${funcCount(ours)}, upstream pahole ${funcCount(theirs)}, pahole 1.24 (the vmlinux's .BTF) ${pahole124}; ` +
          `left out ${JSON.stringify(stats.skipped)}; functions phase ${stats.ms.toFixed(0)} ms`,
      );
      if (onlyOurs.length + onlyUpstream.length + prototype.length > 0) {
        console.warn(`only ours: ${onlyOurs.slice(0, 20).join(", ")}\nonly upstream: ${onlyUpstream.slice(0, 20).join(", ")}\nprototype: ${prototype.slice(0, 10).map((n) => `${a.get(n)} vs ${b.get(n)}`).join("\n")}`);
      }
      expect({ onlyOurs: onlyOurs.length, onlyUpstream: onlyUpstream.length, prototype: prototype.length }).toEqual(KNOWN_DIFFERENCES[k.name]);
      expect(stats.encoded).toBe(funcCount(ours));
    });

    test("bpf_kfunc / bpf_fastcall DECL_TAGs equal upstream pahole's, name for name", () => {
      const a = kfuncTags(ours);
      const b = kfuncTags(theirs);
      expect(setDifference(a, b)).toEqual({ onlyA: [], onlyB: [] });
      expect(a.size).toBe(stats.kfuncTags);
      console.warn(`${k.name}: ${a.size} kfunc tags (${stats.kfuncs} kfuncs in .BTF_ids)`);
    });

    test("valid, and loaded by the running kernel", () => {
      expect(validateBtf(bytes).ok).toBe(true);
      if (!noKernel) expectKernelAccepts(bytes, `${k.name} vmlinux, default profile`);
    });
  });
}
