// dumpC against `bpftool btf dump file X [-B BASE] format c` (bpftool 7.1, libbpf 1.1) on real
// BTF: the host's vmlinux, the cached Debian 6.1 vmlinux and its modules as split BTF, and the
// fixture corpus built by clang -target bpf (one object per file) and by gcc + pahole -J (all
// files linked, so same-named types of different units meet).
//
// The outputs must be identical once the `__attribute__((mode(byte|word)))` of odd-sized enums
// is removed from ours: libbpf 1.1 does not print it (libbpf >= 1.2 does), and without it a
// one-byte enum becomes four bytes and the header's layout is wrong. Each test logs how many
// lines differ before that normalisation.

import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type BtfTable, dumpC, parseBtf } from "@btforge/btf";
import { kernelMissing, kernelModules, VMLINUX } from "../../../test/support/kernel-files.js";
import { FIXTURE_C_DIR } from "../../../test/support/paths.js";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import { bpftool, hasVmlinuxBtf, tempDir, VMLINUX_BTF } from "./helpers.js";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const skip = skipBecause;
const missing = toolMissing;
const noBpftool = bpftool ? undefined : "bpftool is not installed";

/** The `.BTF` section of a little-endian ELF64 file (vmlinux, a .ko, a BPF object). */
function elfBtf(path: string): Uint8Array {
  const f = readFileSync(path);
  const shoff = Number(f.readBigUInt64LE(0x28));
  const shentsize = f.readUInt16LE(0x3a);
  const shnum = f.readUInt16LE(0x3c);
  const strtab = Number(f.readBigUInt64LE(shoff + f.readUInt16LE(0x3e) * shentsize + 0x18));
  for (let i = 0; i < shnum; i++) {
    const sh = shoff + i * shentsize;
    const nameAt = strtab + f.readUInt32LE(sh);
    if (f.toString("latin1", nameAt, nameAt + 5) !== ".BTF\0") continue;
    const off = Number(f.readBigUInt64LE(sh + 0x18));
    return f.subarray(off, off + Number(f.readBigUInt64LE(sh + 0x20)));
  }
  throw new Error(`${path} has no .BTF section`);
}

function bpftoolC(file: string, base?: string): string {
  const args = ["btf", "dump", "file", file, ...(base ? ["-B", base] : []), "format", "c"];
  return execFileSync(bpftool!, args, { encoding: "utf8", maxBuffer: 1 << 30 });
}

function withoutEnumModes(text: string): string {
  return text.replace(/ __attribute__\(\(mode\((byte|word)\)\)\)/g, "");
}

/** Compare with bpftool; returns the number of lines that differ before normalising. */
function compare(name: string, table: BtfTable, theirs: string): number {
  const ours = dumpC(table);
  const a = ours.split("\n");
  const b = theirs.split("\n");
  let differing = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) differing++;
  const modes = (ours.match(/ __attribute__\(\(mode\((byte|word)\)\)\)/g) ?? []).length;
  console.log(`cdump vs bpftool, ${name}: ${b.length} lines, ${differing} differ (${modes} enum mode attributes)`);
  expect(withoutEnumModes(ours) === theirs, `${name}: our C dump differs from bpftool's beyond enum modes`).toBe(true);
  expect(differing).toBe(modes);
  return differing;
}

describe("dumpC equals bpftool format c on real BTF", () => {
  test.skipIf(skip(noBpftool ?? (hasVmlinuxBtf ? undefined : `${VMLINUX_BTF} is absent`), "the host vmlinux comparison"))(
    "the host's /sys/kernel/btf/vmlinux",
    () => {
      compare("host vmlinux", parseBtf(readFileSync(VMLINUX_BTF), { name: VMLINUX_BTF }), bpftoolC(VMLINUX_BTF));
    },
    60_000,
  );

  const noKernel = noBpftool ?? kernelMissing();
  const base = noKernel ? undefined : parseBtf(elfBtf(VMLINUX), { name: VMLINUX });
  test.skipIf(skip(noKernel, "the cached 6.1 vmlinux comparison"))(
    "the cached Debian 6.1 vmlinux",
    () => {
      compare("6.1 vmlinux", base!, bpftoolC(VMLINUX));
    },
    60_000,
  );

  for (const module of noKernel ? [] : kernelModules()) {
    test(`module ${basename(module)} on its vmlinux (-B)`, () => {
      const table = parseBtf(elfBtf(module), { base, name: module });
      compare(basename(module), table, bpftoolC(module, VMLINUX));
    }, 60_000);
  }
});

describe("dumpC equals bpftool format c on the fixture corpus", () => {
  const sources = readdirSync(FIXTURE_C_DIR).filter((f) => f.endsWith(".c")).sort();

  test.skipIf(skip(noBpftool ?? missing("clang"), "the clang -target bpf corpus"))("each fixture built by clang -g -target bpf", () => {
    let compared = 0;
    for (const source of sources) {
      const obj = join(dir, source.replace(/\.c$/, ".bpf.o"));
      // Some fixtures use what the BPF target refuses (varargs definitions, long double, ...).
      const r = spawnSync("clang", ["-g", "-target", "bpf", "-c", join(FIXTURE_C_DIR, source), "-o", obj], { stdio: "ignore" });
      if (r.status !== 0) continue;
      compare(`clang bpf ${source}`, parseBtf(elfBtf(obj), { name: obj }), bpftoolC(obj));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(10);
  });

  test.skipIf(skip(noBpftool ?? missing("gcc") ?? missing("pahole"), "the gcc + pahole corpus"))("all fixtures built by gcc -O2, linked, encoded by pahole -J", () => {
    // pahole 1.24 cannot encode scalars.c (complex long double, _Atomic); main.c needs a link.
    const objects: string[] = [];
    for (const source of sources.filter((f) => f !== "scalars.c" && f !== "main.c")) {
      const obj = join(dir, source.replace(/\.c$/, ".gcc.o"));
      execFileSync("gcc", ["-g", "-O2", "-c", join(FIXTURE_C_DIR, source), "-o", obj], { stdio: "ignore" });
      objects.push(obj);
    }
    const linked = join(dir, "corpus.o");
    const btf = join(dir, "corpus.btf");
    execFileSync("ld", ["-r", ...objects, "-o", linked]);
    execFileSync("pahole", ["-J", "--btf_encode_detached", btf, linked], { stdio: "ignore" });
    const table = parseBtf(readFileSync(btf), { name: btf });
    compare("gcc + pahole corpus", table, bpftoolC(btf));
    expect(dumpC(table)).toMatch(/struct \w+___2 \{/); // samename_a.c / samename_b.c
  });
});
