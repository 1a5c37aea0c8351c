// `btforge encode -B BASE FILE...`: module BTF from the command line (issue 13). Split BTF on a
// vmlinux read once for every input, written in place into each module (as pahole does), raw with
// -o, or into a copy; every result validates on its base and loads merged with it; a bad input
// among several is one error line naming it while the others are still encoded.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseBtf, validateBtf } from "@btforge/btf";
import { readBtfBytes } from "@btforge/core";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { expectKernelAcceptsSplit } from "../../../test/support/kernel-check.js";
import { KERNEL_6_1 } from "../../../test/support/kernel-files.js";
import { firstMissing, skipBecause, skipKernel } from "../../../test/support/tools.js";

const skip = skipBecause(firstMissing(cliMissing(), KERNEL_6_1.missing()), "encode -B on cached modules");
const noKernel = skipKernel("kernel loads of module BTF made by encode -B");
const dir = mkdtempSync(join(tmpdir(), "btforge-encode-modules-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const VMLINUX = KERNEL_6_1.vmlinux;
const MODULES = ["tun.ko", "veth.ko", "tcp_bbr.ko"];

/** Copies of cached modules in a fresh folder. */
function copies(names: readonly string[]): string[] {
  const at = mkdtempSync(join(dir, "m-"));
  return names.map((name) => {
    const path = join(at, name);
    copyFileSync(KERNEL_6_1.module(name)!, path);
    return path;
  });
}

describe.skipIf(skip)("btforge encode -B", () => {
  test("many modules in place: each gets the .BTF that -o gives for it alone, valid on the vmlinux, loaded merged", async () => {
    const files = copies(MODULES);
    const r = await runCli(["encode", "-B", VMLINUX, "--in-place", "--quiet", ...files]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // One summary per input, a blank line apart.
    expect(r.stdout.split("\n").filter((l) => / profile default, wrote \d+ bytes to .* \(.BTF section, in place\)$/.test(l))).toHaveLength(MODULES.length);
    const baseBytes = readBtfBytes(VMLINUX);
    const base = parseBtf(baseBytes);
    for (const file of files) {
      const inPlace = readBtfBytes(file);
      const raw = join(dir, `${basename(file)}.btf`);
      const single = await runCli(["encode", "-B", VMLINUX, "-o", raw, KERNEL_6_1.module(basename(file))!]);
      expect(single.code, single.stderr).toBe(0);
      expect(Buffer.from(inPlace).equals(readFileSync(raw)), basename(file)).toBe(true);
      expect(validateBtf(inPlace, { base }).ok).toBe(true);
      const split = parseBtf(inPlace, { base });
      expect(split.firstId).toBe(base.lastId + 1);
      expect(split.count).toBeGreaterThan(0);
      if (!noKernel) expectKernelAcceptsSplit(baseBytes, inPlace, basename(file));
    }
  });

  test("the base may be raw BTF; --json gives one document per input, in an array", async () => {
    const baseRaw = join(dir, "vmlinux.btf");
    writeFileSync(baseRaw, readBtfBytes(VMLINUX));
    const [a, b] = copies(MODULES.slice(0, 2));
    const r = await runCli(["encode", "-B", baseRaw, "--json", a!, b!]);
    expect(r.code, r.stderr).toBe(0);
    const reports = JSON.parse(r.stdout) as { file: string; ok: boolean; btf: { types: number } }[];
    expect(reports.map((x) => [x.file, x.ok])).toEqual([[a, true], [b, true]]);
    const one = await runCli(["encode", "-B", baseRaw, "--json", a!]);
    expect((JSON.parse(one.stdout) as { file: string }).file).toBe(a);
  });

  test("a bad input among several: one line naming it, exit 1, the others still written", async () => {
    const [good, bad, other] = copies(["tun.ko", "tcp_bbr.ko", "veth.ko"]);
    writeFileSync(bad!, "not an ELF file\n");
    const r = await runCli(["encode", "-B", VMLINUX, "--in-place", "--quiet", good!, bad!, other!]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringContaining(bad!)]);
    expect(readFileSync(bad!, "utf8")).toBe("not an ELF file\n");
    for (const f of [good!, other!]) expect(readBtfBytes(f).length).toBeGreaterThan(0);
  });

  test("usage: -o or --elf-out with several inputs; a missing base", async () => {
    const [a, b] = copies(MODULES.slice(0, 2));
    for (const flag of [["-o", join(dir, "x.btf")], ["--elf-out", join(dir, "x.ko")]]) {
      const r = await runCli(["encode", "-B", VMLINUX, ...flag, a!, b!]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringMatching(/names one output file, but 2 inputs were given/)]);
    }
    const missing = join(dir, "no-such-vmlinux");
    const r = await runCli(["encode", "-B", missing, a!]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toEqual([expect.stringContaining(missing)]);
  });
});
