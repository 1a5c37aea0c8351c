/**
 * Real-kernel suite for per-CPU variables (issue 6): the percpu profile on the Debian 6.1 vmlinux.
 * The .data..percpu DATASEC holds every per-CPU variable pahole 1.24 put in that vmlinux's own .BTF
 * (355), each with the same type (by name), offset and size, plus fixed_percpu_data at offset 0
 * (which pahole 1.24 drops; newer pahole has it, 356). Offsets and sizes equal readelf's symbols;
 * entries are sorted; the blob validates, loads into the running kernel, and bpftool shows
 * VAR 'runqueues'. kvm.ko (relocatable) gets its own .data..percpu like its pahole .BTF.
 */
import "../../packages/cli/src/builtin-plugins.js";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import { formatProblems, parseBtf, validateBtf, writeBtf, type BtfTable } from "@btforge/btf";
import { createEncoder, readBtfFile, VARIABLES_ARTIFACT, type VariablesStats } from "@btforge/core";
import { STT } from "@btforge/elf";
import { peerSections, peerSymbols, readelfMissing } from "../../packages/elf/test/readelf.js";
import { datasecRows, datasecSize, orderProblems, type DatasecRow } from "../fixtures/vars/btf-view.js";
import { kernelMissing, kernelModules, VMLINUX } from "../support/kernel-files.js";
import { expectKernelAccepts } from "../support/kernel-check.js";
import { sharedEncode } from "../support/shared-encode.js";
import { skipBecause, skipKernel, toolMissing } from "../support/tools.js";

const PERCPU = ".data..percpu";
const skip = skipBecause(kernelMissing() ?? readelfMissing, "real-kernel per-CPU variables suite");
const noKernel = skipKernel("loading the per-CPU vmlinux BTF");
const noBpftool = skipBecause(toolMissing("bpftool"), "bpftool check of runqueues");

interface Encoded {
  btf: BtfTable;
  stats: VariablesStats;
  variablesMs: number;
}

/** The vmlinux: the shared encode of the percpu profile (a child process, once per build). */
async function sharedPercpu(file: string): Promise<Encoded> {
  const { bytes, report } = await sharedEncode(file, { profile: "percpu" });
  const variablesMs = report.timings.taps.find((t) => t.plugin === "variables")?.ms ?? NaN;
  return { btf: parseBtf(bytes), stats: report.variables as VariablesStats, variablesMs };
}

/** A module, in this process (a second or so). */
async function encodePercpu(file: string): Promise<Encoded> {
  const encoder = await createEncoder({ profile: "percpu", search: false });
  const encoding = await encoder.run(file, { until: "finalize" });
  try {
    const variablesMs = encoding.timings.taps.find((t) => t.plugin === "variables")?.ms ?? NaN;
    return { btf: encoding.btf, stats: encoding.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats, variablesMs };
  } finally {
    encoding.close();
  }
}

/** readelf's per-CPU object symbols: name → offset and size. */
function readelfPercpu(file: string): { symbols: Map<string, { offset: number; size: number }>; size: number } {
  const section = peerSections(file).find((s) => s.name === PERCPU)!;
  const symbols = new Map<string, { offset: number; size: number }>();
  for (const s of peerSymbols(file)) {
    if (s.section === section.index && s.type === STT.OBJECT) symbols.set(s.name, { offset: Number(s.value - section.addr), size: s.size });
  }
  return { symbols, size: section.size };
}

/** Differences between pahole's rows and ours, matched by name. */
function differences(theirs: readonly DatasecRow[], ours: readonly DatasecRow[]): string[] {
  const byName = new Map(ours.map((r) => [r.name, r]));
  const out: string[] = [];
  for (const t of theirs) {
    const o = byName.get(t.name);
    if (!o) out.push(`${t.name}: missing`);
    else if (o.offset !== t.offset || o.size !== t.size || o.type !== t.type || o.linkage !== t.linkage) {
      out.push(`${t.name}: pahole ${JSON.stringify(t)}, btforge ${JSON.stringify(o)}`);
    }
  }
  return out;
}

describe.skipIf(skip)("Debian 6.1 vmlinux: per-CPU variables", () => {
  let ours: Encoded;
  let pahole: DatasecRow[];
  beforeAll(async () => {
    ours = await sharedPercpu(VMLINUX);
    pahole = datasecRows(readBtfFile(VMLINUX), PERCPU)!;
    console.log(`per-CPU: ${ours.stats.vars} VARs (pahole 1.24: ${pahole.length}); variables step ${ours.variablesMs.toFixed(0)} ms`);
  }, 1_800_000);

  test("pahole 1.24's 355 per-CPU variables, each with the same type, linkage, offset and size, plus fixed_percpu_data", () => {
    const rows = datasecRows(ours.btf, PERCPU)!;
    expect(pahole).toHaveLength(355);
    expect(differences(pahole, rows)).toEqual([]);
    const paholeNames = new Set(pahole.map((r) => r.name));
    const added = rows.filter((r) => !paholeNames.has(r.name));
    expect(added.map((r) => [r.name, r.offset, r.type])).toEqual([["fixed_percpu_data", 0, "struct fixed_percpu_data"]]);
    expect(ours.stats).toMatchObject({ vars: 356, datasecs: 1, includedSections: [PERCPU] });
  });

  test("offsets and sizes are the ELF symbols' (readelf), entries sorted and inside the section", () => {
    const rows = datasecRows(ours.btf, PERCPU)!;
    const peer = readelfPercpu(VMLINUX);
    const mismatched = rows.filter((r) => {
      const s = peer.symbols.get(r.name);
      return !s || s.offset !== r.offset || s.size !== r.size;
    });
    expect(mismatched).toEqual([]);
    expect(orderProblems(rows, peer.size)).toEqual([]);
    expect(datasecSize(ours.btf, PERCPU)).toBe(peer.size);
  });

  test("the blob validates", () => {
    expect(formatProblems(validateBtf(writeBtf(ours.btf)))).toEqual([]);
  });

  test.skipIf(noKernel)("the blob loads into the running kernel", () => {
    expectKernelAccepts(writeBtf(ours.btf), "per-CPU vmlinux BTF");
  });

  test.skipIf(noBpftool)("bpftool btf dump shows VAR 'runqueues'", () => {
    const out = join(mkdtempSync(join(tmpdir(), "btforge-percpu-")), "vmlinux.btf");
    writeFileSync(out, writeBtf(ours.btf));
    const dump = spawnSync("bpftool", ["btf", "dump", "file", out], { encoding: "utf8", maxBuffer: 1 << 30 });
    expect(dump.status).toBe(0);
    const lines = dump.stdout.split("\n").filter((l) => l.includes("'runqueues'"));
    // The VAR itself, and its entry in the DATASEC.
    expect(lines).toEqual([expect.stringMatching(/^\[\d+\] VAR 'runqueues' type_id=\d+, linkage=global$/), expect.stringMatching(/offset=\d+ size=\d+ \(VAR 'runqueues'\)$/)]);
  });
});

const kvm = kernelModules().find((m) => basename(m) === "kvm.ko");
describe.skipIf(skip || kvm === undefined)("kvm.ko (relocatable): the module's own per-CPU section", () => {
  test("the same per-CPU VARs, offsets and sizes as its pahole .BTF and its symbols", async () => {
    const ours = await encodePercpu(kvm!);
    const rows = datasecRows(ours.btf, PERCPU)!;
    const theirs = datasecRows(readBtfFile(kvm!, { base: readBtfFile(VMLINUX) }), PERCPU)!;
    expect(theirs.length).toBeGreaterThan(0);
    expect(differences(theirs, rows)).toEqual([]);
    const peer = readelfPercpu(kvm!);
    expect(rows.map((r) => r.name).sort()).toEqual([...peer.symbols.keys()].sort());
    expect(rows.every((r) => peer.symbols.get(r.name)!.offset === r.offset && peer.symbols.get(r.name)!.size === r.size)).toBe(true);
    expect(orderProblems(rows, peer.size)).toEqual([]);
    expect(formatProblems(validateBtf(writeBtf(ours.btf)))).toEqual([]);
  });
});
