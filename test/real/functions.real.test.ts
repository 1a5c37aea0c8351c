/**
 * Real-kernel suite for the functions feature: the Debian 6.1 and 6.12 vmlinux encoded with the
 * default profile, side by side with upstream pahole --btf_features=default (run once per kernel,
 * its output cached in ~/.cache/btforge/oracle) and with pahole 1.24 (the vmlinux's own .BTF):
 * - FUNC names, prototypes and parameter names equal upstream's; every remaining difference would
 *   be listed below by class, with its count, and in the README (there are none);
 * - bpf_kfunc / bpf_fastcall DECL_TAGs equal upstream's, name for name (6.12: 132 kfuncs; 6.1 has no
 *   kfunc sets with flags);
 * - beyond functions: every named definition (structs, unions, enums, typedefs, FUNCs, DECL_TAGs)
 *   and the number of types equal upstream's;
 * - the output is valid and the running kernel loads it.
 * Each kernel is encoded once (test/support/shared-encode.ts: the built CLI in a child process, the
 * result shared with the other suites), in beforeAll.
 * The 6.1 modules, as split BTF on that vmlinux, against upstream pahole --btf_base: the same FUNCs
 * and prototypes but for two classes, both from upstream's address checks never matching in a
 * relocatable file (libdwfl lays its sections out at other addresses than the symbols' values):
 * upstream alone encodes a function whose only code is an optimized copy (.isra / .constprop) that
 * lost parameters, as it does not in a vmlinux; and where a weak and a strong definition meet,
 * upstream takes the first met, btforge the one the symbol points at (parameter names differ).
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BtfKind, type BtfTable, parseBtf, validateBtf } from "@btforge/btf";
import { createEncoder, encodedBytes, type FunctionsStats, readBtfFile } from "@btforge/core";
import "../../packages/cli/src/builtin-plugins.js";
import { namedDefinitions, setDifference, spell } from "../support/btf-definitions.js";
import { ElfFile } from "@btforge/elf";
import { basename } from "node:path";
import { KERNEL_6_1, KERNEL_6_12, kernelModules, VMLINUX } from "../support/kernel-files.js";
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

/** Functions left out for a program-wide reason, per kernel (the README's table). */
const LEFT_OUT: Record<string, Record<string, number>> = {
  "6.1": { "ambiguous-address": 297, "optimized-parameters": 483, reordered: 45, inconsistent: 28, "unexpected-register": 7 },
  "6.12": { "ambiguous-address": 297, "optimized-parameters": 628, "unexpected-register": 24, reordered: 14, inconsistent: 27 },
};
const PROGRAM_REASONS = ["ambiguous-address", "optimized-parameters", "reordered", "inconsistent", "unexpected-register", "uncertain-location"];

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
      const up = await upstreamPaholeBtf(k.vmlinux, "default", { cache: true });
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
      const own = funcCount(readBtfFile(k.vmlinux));
      console.warn(
        `${k.name}: FUNCs btforge ${funcCount(ours)}, upstream pahole ${funcCount(theirs)}, the vmlinux's own .BTF ${own}; ` +
          `left out ${JSON.stringify(stats.skipped)}; functions phase ${stats.ms.toFixed(0)} ms`,
      );
      if (onlyOurs.length + onlyUpstream.length + prototype.length > 0) {
        console.warn(`only ours: ${onlyOurs.slice(0, 20).join(", ")}\nonly upstream: ${onlyUpstream.slice(0, 20).join(", ")}\nprototype: ${prototype.slice(0, 10).map((n) => `${a.get(n)} vs ${b.get(n)}`).join("\n")}`);
      }
      expect({ onlyOurs: onlyOurs.length, onlyUpstream: onlyUpstream.length, prototype: prototype.length }).toEqual(KNOWN_DIFFERENCES[k.name]);
      expect(stats.encoded).toBe(funcCount(ours));
      const leftOut = Object.fromEntries(Object.entries(stats.skipped).filter(([reason]) => PROGRAM_REASONS.includes(reason)));
      expect(leftOut).toEqual(LEFT_OUT[k.name]);
    });

    test("bpf_kfunc / bpf_fastcall DECL_TAGs equal upstream pahole's, name for name", () => {
      const a = kfuncTags(ours);
      const b = kfuncTags(theirs);
      expect(setDifference(a, b)).toEqual({ onlyA: [], onlyB: [] });
      expect(a.size).toBe(stats.kfuncTags);
      console.warn(`${k.name}: ${a.size} kfunc tags (${stats.kfuncs} kfuncs in .BTF_ids)`);
    });

    test("every named definition, and the number of types, equal upstream pahole's", () => {
      expect(setDifference(namedDefinitions(ours), namedDefinitions(theirs))).toEqual({ onlyA: [], onlyB: [] });
      expect(ours.count).toBe(theirs.count);
      console.warn(`${k.name}: ${ours.count} types, ${bytes.length} bytes (upstream pahole: ${theirs.count} types)`);
    });

    test("valid, and loaded by the running kernel", () => {
      expect(validateBtf(bytes).ok).toBe(true);
      if (!noKernel) expectKernelAccepts(bytes, `${k.name} vmlinux, default profile`);
    });
  });
}

/** Per 6.1 module: functions upstream pahole encodes from an optimized copy that lost parameters, and btforge leaves out. */
const MODULE_OPTIMIZED_COPIES: Record<string, number> = {
  "bridge.ko": 11, "dm-crypt.ko": 0, "fuse.ko": 3, "kvm.ko": 3, "nbd.ko": 0, "nf_tables.ko": 7, "overlay.ko": 1, "tcp_bbr.ko": 0, "tun.ko": 1, "veth.ko": 0, "virtio_net.ko": 1,
};

/** Per 6.1 module: FUNCs whose parameter names are the strong definition's here and the weak one's upstream. */
const MODULE_WEAK_NAMES: Record<string, number> = { "kvm.ko": 1 };

/** A FUNC's parameter types and return type, without the parameter names. */
function prototypeTypes(t: BtfTable, name: string): string | undefined {
  for (let id = t.firstId; id <= t.lastId; id++) {
    if (t.kind(id) !== BtfKind.FUNC || t.name(id) !== name) continue;
    const proto = t.sizeOrType(id);
    const params = Array.from({ length: t.vlen(proto) }, (_, i) => spell(t, t.word(proto, 2 * i + 1)));
    return `(${params.join(", ")}) -> ${spell(t, t.sizeOrType(proto))}`;
  }
  return undefined;
}

const modulesMissing = KERNEL_6_1.missing() ?? upstreamPaholeMissing();
describe.skipIf(skipBecause(modulesMissing, "6.1 modules vs upstream pahole"))("6.1 modules as split BTF, default profile vs upstream pahole --btf_base", () => {
  const base = modulesMissing ? undefined : readBtfFile(VMLINUX);
  for (const ko of modulesMissing ? [] : kernelModules()) {
    test(basename(ko), { timeout: 300_000 }, async () => {
      const encoder = await createEncoder({ cwd: REPO_ROOT, profile: "default" });
      const e = await encoder.run(ko, { until: "finalize", base });
      const ours = parseBtf(encodedBytes(e), { base });
      e.close();
      const theirs = await upstreamPaholeBtf(ko, "default", { base, baseFile: VMLINUX });
      if (typeof theirs === "string") throw new Error(theirs);
      const a = funcDefinitions(ours);
      const b = funcDefinitions(theirs);
      expect([...a.keys()].filter((n) => !b.has(n))).toEqual([]);
      const otherNames = [...a.keys()].filter((n) => b.has(n) && a.get(n) !== b.get(n));
      for (const n of otherNames) expect(prototypeTypes(ours, n), n).toBe(prototypeTypes(theirs, n));
      expect(otherNames.length).toBe(MODULE_WEAK_NAMES[basename(ko)] ?? 0);
      const onlyUpstream = [...b.keys()].filter((n) => !a.has(n));
      // Each is a function whose every symbol in the module is an optimized copy.
      const elf = ElfFile.open(ko);
      const symbols = elf.symbols();
      const copiesOf = new Map<string, string[]>();
      for (let i = 0; i < symbols.count; i++) {
        const name = symbols.name(i);
        const dot = name.indexOf(".");
        const fn = dot < 0 ? name : name.slice(0, dot);
        if (onlyUpstream.includes(fn)) copiesOf.set(fn, [...(copiesOf.get(fn) ?? []), name]);
      }
      elf.close();
      for (const fn of onlyUpstream) expect(copiesOf.get(fn)?.every((s) => /\.(isra|constprop)\./.test(s)), `${fn}: ${copiesOf.get(fn)}`).toBe(true);
      expect(onlyUpstream.length).toBe(MODULE_OPTIMIZED_COPIES[basename(ko)]);
    });
  }
});
