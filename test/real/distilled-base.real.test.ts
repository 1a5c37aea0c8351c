/**
 * distilled_base on the cached Debian kernels (6.1 and 6.12), every cached module, side by side
 * with upstream pahole (`-J --btf_base VMLINUX --btf_features=default,distilled_base`, libbpf's
 * btf__distill_base) and libbpf's btf__relocate (run by upstream pahole reading BTF: `pahole -F btf
 * --btf_base VMLINUX MOD.ko` relocates a module that has .BTF.base).
 *
 * - distillBase on pahole's own split BTF gives pahole's .BTF.base and .BTF, byte for byte (type
 *   and string sections; upstream writes a 32-byte header where btforge writes 24);
 * - `--profile extmod` (btforge's encode, in place): its .BTF.base equals pahole's type for type
 *   wherever both splits refer to the same vmlinux types (most modules); its .BTF on it has
 *   pahole's named definitions apart from functions (function selection is not this feature's);
 * - the two sections are read back from the rewritten ELF and validate;
 * - relocated onto its vmlinux: valid, the module's types unchanged, loaded merged with the vmlinux
 *   by the kernel, and pahole prints it exactly as it prints libbpf's relocation of the same .ko;
 * - relocated onto the other kernel's vmlinux (a changed base): btforge and libbpf agree module by
 *   module on whether it relocates (6.12 builds with -funsigned-char, so a 6.1 module that needs
 *   `char` cannot), and what relocates validates, loads and prints as libbpf's.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  BtfError,
  type BtfTable,
  distillBase,
  dumpRaw,
  forEachTypeRef,
  parseBtf,
  readHeader,
  relocateSplitBtf,
  validateBtf,
  writeBtf,
} from "@btforge/btf";
import { createEncoder, type EncoderPlugin, FINALIZE_STAGE, readBtfFile, VerifyBtfPlugin, WriteBtfPlugin } from "@btforge/core";
import { ElfFile } from "@btforge/elf";
import "../../packages/cli/src/builtin-plugins.js";
import { typeDifference } from "../../packages/btf/test/equivalence.js";
import { namedDefinitions, setDifference } from "../support/btf-definitions.js";
import { expectKernelAcceptsSplit } from "../support/kernel-check.js";
import { KERNEL_6_1, KERNEL_6_12 } from "../support/kernel-files.js";
import { REPO_ROOT } from "../support/paths.js";
import { skipBecause, skipKernel } from "../support/tools.js";
import { UPSTREAM_PAHOLE, upstreamPaholeMissing } from "../support/upstream-pahole.js";

const noPahole = skipBecause(upstreamPaholeMissing(), "comparisons of the distilled base with upstream pahole and libbpf");
const noKernel = skipKernel("kernel loads of the relocated module BTF");
const work = mkdtempSync(join(tmpdir(), "btforge-distilled-real-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Sections {
  base: Uint8Array;
  split: Uint8Array;
}

interface ModuleRun {
  name: string;
  /** btforge --profile extmod, in place on a copy: the copy, and its sections read back. */
  file: string;
  ours: Sections;
  /** btforge's split BTF after dedup, before distillation (on the full vmlinux). */
  plain: Uint8Array;
  /** Upstream pahole: the split without the feature, and the distilled .BTF/.BTF.base. */
  pahole?: { plain: Uint8Array; distilled: Sections };
}

function sectionsOf(file: string): Sections {
  const elf = ElfFile.open(file);
  try {
    return { base: elf.readSection(".BTF.base")!, split: elf.readSection(".BTF")! };
  } finally {
    elf.close();
  }
}

/** The type and string sections of a blob, whatever its header length. */
function body(bytes: Uint8Array): Buffer {
  const h = readHeader(bytes);
  return Buffer.from(bytes.subarray(h.hdrLen, h.hdrLen + Math.max(h.typeOff + h.typeLen, h.strOff + h.strLen)));
}

/** Keeps the split BTF as dedup left it, before the distilled-base stage rewrites it. */
class PlainSplitSnapshot implements EncoderPlugin {
  readonly byFile = new Map<string, Uint8Array>();
  apply(encoder: Parameters<EncoderPlugin["apply"]>[0]): void {
    encoder.hooks.finalize.tap({ name: "plain-split-snapshot", stage: FINALIZE_STAGE.DEDUP + 1 }, (e) => void this.byFile.set(e.path, writeBtf(e.btf)));
  }
}

function runPahole(args: string[]): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(UPSTREAM_PAHOLE, args, { encoding: "utf8", maxBuffer: 1 << 30 });
  return { ok: r.status === 0 && !/Invalid argument|not mapped|Error/.test(r.stderr), stdout: r.stdout, stderr: r.stderr };
}

/** Base ids the split's own types refer to directly. */
function baseRefs(split: BtfTable): Set<number> {
  const refs = new Set<number>();
  for (let id = split.firstId; id <= split.lastId; id++) forEachTypeRef(split, id, (ref) => ref !== 0 && ref < split.firstId && refs.add(ref));
  return refs;
}

const sameSet = (a: Set<number>, b: Set<number>) => a.size === b.size && [...a].every((x) => b.has(x));

/** Lets the worker answer vitest between modules: the per-module checks are long and synchronous. */
const breathe = () => new Promise<void>((resolve) => setImmediate(resolve));

const KERNELS = [KERNEL_6_1, KERNEL_6_12].map((k) => ({ label: k.name, dir: k.dir, vmlinux: k.vmlinux, missing: k.missing() }));

const bases = new Map<string, { table: BtfTable; bytes: Uint8Array }>();
const runs = new Map<string, ModuleRun[]>();

beforeAll(async () => {
  for (const k of KERNELS) {
    if (skipBecause(k.missing, `the distilled base on the ${k.label} kernel`)) continue;
    const bytes = readBtfFile(k.vmlinux);
    bases.set(k.label, { table: bytes, bytes: writeBtf(bytes) });
    const snapshot = new PlainSplitSnapshot();
    const encoder = await createEncoder({ cwd: REPO_ROOT, profile: "extmod", plugins: [snapshot, new VerifyBtfPlugin(), new WriteBtfPlugin({ target: { inPlace: true } })] });
    const list: ModuleRun[] = [];
    const modules = readdirSync(join(k.dir, "modules")).filter((f) => f.endsWith(".ko")).sort();
    for (const ko of modules) {
      const name = ko.replace(/\.ko$/, "");
      const file = join(work, `${k.label}-${name}.btforge.ko`);
      copyFileSync(join(k.dir, "modules", ko), file);
      (await encoder.run(file, { base: bytes })).close();
      await breathe();
      const run: ModuleRun = { name, file, ours: sectionsOf(file), plain: snapshot.byFile.get(file)! };
      if (!noPahole) {
        const plain = join(work, `${k.label}-${name}.pahole-plain.ko`);
        const distilled = join(work, `${k.label}-${name}.pahole-distilled.ko`);
        copyFileSync(join(k.dir, "modules", ko), plain);
        copyFileSync(join(k.dir, "modules", ko), distilled);
        execFileSync(UPSTREAM_PAHOLE, ["-J", "--btf_base", k.vmlinux, "--btf_features=default", plain], { stdio: "pipe" });
        execFileSync(UPSTREAM_PAHOLE, ["-J", "--btf_base", k.vmlinux, "--btf_features=default,distilled_base", distilled], { stdio: "pipe" });
        run.pahole = { plain: sectionsOf(plain).split, distilled: sectionsOf(distilled) };
      }
      list.push(run);
    }
    runs.set(k.label, list);
  }
}, 1_800_000);

for (const k of KERNELS) {
  const skip = k.missing !== undefined;
  const each = () => runs.get(k.label) ?? [];
  const base = () => bases.get(k.label)!;

  describe.skipIf(skip)(`Debian ${k.label} modules`, () => {
    test.skipIf(noPahole)("distillBase on pahole's split BTF gives pahole's .BTF.base and .BTF, byte for byte", { timeout: 300_000 }, () => {
      expect(each().length).toBeGreaterThanOrEqual(3);
      for (const m of each()) {
        const d = distillBase(parseBtf(m.pahole!.plain, { base: base().table }));
        expect(body(writeBtf(d.base)).equals(body(m.pahole!.distilled.base)), `${m.name} .BTF.base`).toBe(true);
        expect(body(writeBtf(d.split)).equals(body(m.pahole!.distilled.split)), `${m.name} .BTF`).toBe(true);
      }
    });

    test.skipIf(noPahole)("btforge's .BTF.base equals pahole's type for type wherever both splits need the same vmlinux types", { timeout: 300_000 }, () => {
      const same: string[] = [];
      for (const m of each()) {
        const ourPlain = parseBtf(m.plain, { base: base().table });
        const theirPlain = parseBtf(m.pahole!.plain, { base: base().table });
        const ours = dumpRaw(parseBtf(m.ours.base));
        const theirs = dumpRaw(parseBtf(m.pahole!.distilled.base));
        // What the plugin wrote is what the library makes of btforge's own split.
        expect(ours, m.name).toBe(dumpRaw(distillBase(ourPlain).base));
        if (ours === theirs) {
          same.push(m.name);
          continue;
        }
        // Different distilled bases only ever come from splits that refer to different vmlinux types.
        expect(sameSet(baseRefs(ourPlain), baseRefs(theirPlain)), m.name).toBe(false);
        const [a, b] = [ours.split("\n").length - 1, theirs.split("\n").length - 1];
        console.warn(`${k.label} ${m.name}: the splits refer to different vmlinux types (dedup and function selection differ), so do the distilled bases: ${a} types vs pahole's ${b}`);
      }
      console.warn(`${k.label}: .BTF.base identical to pahole's for ${same.length} of ${each().length} modules: ${same.join(", ")}`);
      expect(same.length).toBeGreaterThanOrEqual(3);
    });

    test.skipIf(noPahole)("the .BTF on it: pahole's named definitions, functions aside", { timeout: 300_000 }, () => {
      for (const m of each()) {
        const ourBase = parseBtf(m.ours.base);
        const theirBase = parseBtf(m.pahole!.distilled.base);
        if (dumpRaw(ourBase) !== dumpRaw(theirBase)) continue;
        const diff = setDifference(namedDefinitions(parseBtf(m.ours.split, { base: ourBase })), namedDefinitions(parseBtf(m.pahole!.distilled.split, { base: theirBase })));
        // Functions (and the bpf_kfunc DECL_TAGs of decl_tag_kfuncs) are chosen by the functions plugin.
        const notFunc = (s: string) => !s.startsWith("func ") && !/^decl_tag \S+ on func /.test(s);
        expect({ onlyOurs: diff.onlyA.filter(notFunc), onlyPahole: diff.onlyB.filter(notFunc) }, m.name).toEqual({ onlyOurs: [], onlyPahole: [] });
        if (diff.onlyA.length + diff.onlyB.length > 0) console.warn(`${k.label} ${m.name}: FUNCs only btforge's ${diff.onlyA.length}, only pahole's ${diff.onlyB.length}`);
      }
    });

    test("both sections written in one rewrite: read back, each valid (the base alone, the split on it)", { timeout: 300_000 }, () => {
      for (const m of each()) {
        expect(validateBtf(m.ours.base, { name: `${m.name} .BTF.base` }).ok, m.name).toBe(true);
        const distilled = parseBtf(m.ours.base);
        expect(validateBtf(m.ours.split, { base: distilled, name: `${m.name} .BTF` }).ok, m.name).toBe(true);
        // Only the distilled base's kinds, all named.
        expect(new Set(dumpRaw(distilled).match(/^\[\d+\] \w+/gm)!.map((l) => l.split(" ")[1]))).toSatisfy((kinds: Set<string>) =>
          [...kinds].every((kind) => ["INT", "FLOAT", "STRUCT", "UNION", "ENUM", "FWD"].includes(kind)),
        );
      }
    });

    test(`relocated onto the ${k.label} vmlinux: valid, the module's types unchanged, loaded by the kernel, printed by pahole as libbpf's relocation`, { timeout: 900_000 }, async () => {
      for (const m of each()) {
        await breathe();
        const split = parseBtf(m.ours.split, { base: parseBtf(m.ours.base) });
        const r = relocateSplitBtf(split, base().table, { name: m.name });
        const bytes = writeBtf(r.split);
        expect(validateBtf(bytes, { base: base().table }).ok, m.name).toBe(true);
        const plain = parseBtf(m.plain, { base: base().table });
        const seen = new Set<string>();
        for (let i = 0; i < plain.count; i++) expect(typeDifference(plain, plain.firstId + i, r.split, r.split.firstId + i, seen), m.name).toBeUndefined();
        if (!noKernel) expectKernelAcceptsSplit(base().bytes, bytes, `${k.label} ${m.name}`);
        if (!noPahole) {
          const raw = join(work, `${k.label}-${m.name}.relocated.btf`);
          writeFileSync(raw, bytes);
          const ours = runPahole(["-F", "btf", "--btf_base", k.vmlinux, raw]);
          const libbpf = runPahole(["-F", "btf", "--btf_base", k.vmlinux, m.file]);
          expect(libbpf.ok && ours.ok, `${m.name}: ${libbpf.stderr}${ours.stderr}`).toBe(true);
          expect(ours.stdout === libbpf.stdout, m.name).toBe(true);
        }
      }
    });
  });
}

describe.skipIf(KERNELS.some((k) => k.missing !== undefined))("a changed base: each kernel's modules relocated onto the other's vmlinux", () => {
  test("btforge and libbpf agree module by module; what relocates validates, loads and prints as libbpf's; the rest stops with one clear error", { timeout: 900_000 }, async () => {
    const outcomes: string[] = [];
    let relocated = 0;
    for (const [from, to] of [["6.1", KERNELS[1]!], ["6.12", KERNELS[0]!]] as const) {
      const target = bases.get(to.label)!;
      for (const m of runs.get(from) ?? []) {
        await breathe();
        const split = parseBtf(m.ours.split, { base: parseBtf(m.ours.base) });
        let error: unknown;
        let bytes: Uint8Array | undefined;
        try {
          bytes = writeBtf(relocateSplitBtf(split, target.table, { name: basename(m.file) }).split);
        } catch (e) {
          error = e;
        }
        const libbpf = noPahole ? undefined : runPahole(["-F", "btf", "--btf_base", to.vmlinux, m.file]);
        if (libbpf) expect(bytes !== undefined, `${from} ${m.name} onto ${to.label}: libbpf says ${libbpf.ok ? "it relocates" : libbpf.stderr.trim()}`).toBe(libbpf.ok);
        if (bytes) {
          relocated++;
          outcomes.push(`${from} ${m.name} -> ${to.label}: relocated`);
          expect(validateBtf(bytes, { base: target.table }).ok, m.name).toBe(true);
          if (!noKernel) expectKernelAcceptsSplit(target.bytes, bytes, `${from} ${m.name} onto ${to.label}`);
          if (libbpf) {
            const raw = join(work, `${from}-${m.name}.onto-${to.label}.btf`);
            writeFileSync(raw, bytes);
            expect(runPahole(["-F", "btf", "--btf_base", to.vmlinux, raw]).stdout === libbpf.stdout, m.name).toBe(true);
          }
        } else {
          expect(error).toBeInstanceOf(BtfError);
          expect((error as BtfError).code).toBe("BTF_RELOCATE");
          expect((error as Error).message).toMatch(/: type \d+: distilled base type '[^']+' \[\d+\] \([A-Z]+(, size \d+)?\) (has no match in the base: .+|matches two base types, .+)$/);
          expect((error as Error).message.split("\n")).toHaveLength(1);
          outcomes.push(`${from} ${m.name} -> ${to.label}: ${(error as Error).message.replace(/^.*?: type \d+: /, "")}`);
        }
      }
    }
    console.warn(outcomes.join("\n"));
    expect(relocated).toBeGreaterThanOrEqual(1);
  });
});
