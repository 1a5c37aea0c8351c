// btforge-pahole as a kernel build runs it (issue 13): installed by npm as an executable beside
// `btforge`; its --version read by the kernel's own scripts/pahole-version.sh; -J and
// --btf_encode_detached giving what `btforge encode` gives with the equivalent profile; silent on
// success, one line and a non-zero exit on failure, the input left as it was.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { readBtfBytes } from "@btforge/core";
import { PAHOLE_FEATURES } from "@btforge/core";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { REPO_ROOT, SAMPLE_OBJECT } from "../../../test/support/paths.js";
import { skipBecause } from "../../../test/support/tools.js";
import { reportedVersion, versionString } from "../src/pahole/versions.js";

const BIN = join(REPO_ROOT, "node_modules/.bin");
const notBuilt = skipBecause(cliMissing(), "btforge-pahole CLI tests");
const dir = mkdtempSync(join(tmpdir(), "btforge-pahole-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(command: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(command, args, { encoding: "utf8", env: { ...process.env, ...env } });
}

/** scripts/pahole-version.sh of the Linux tree (GPL-2.0), verbatim: how a kernel build reads the version. */
const PAHOLE_VERSION_SH = `#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Usage: $ ./pahole-version.sh pahole
#
# Prints pahole's version in a 3-digit form, such as 119 for v1.19.

if [ ! -x "$(command -v "$@")" ]; then
	echo 0
	exit 1
fi

"$@" --version | sed -E 's/v([0-9]+)\\.([0-9]+)/\\1\\2/'
`;

describe.skipIf(notBuilt)("btforge-pahole", () => {
  test("npm installs btforge and btforge-pahole as commands", () => {
    const btforge = run(join(BIN, "btforge"), ["--version"]);
    expect(btforge.status, btforge.stderr).toBe(0);
    expect(btforge.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const pahole = run(join(BIN, "btforge-pahole"), ["--version"]);
    expect(pahole.status, pahole.stderr).toBe(0);
    expect(pahole.stdout).toBe(`${versionString()}\n`);
  });

  test("the kernel's scripts/pahole-version.sh reads the version btforge means", () => {
    const script = join(dir, "pahole-version.sh");
    writeFileSync(script, PAHOLE_VERSION_SH, { mode: 0o755 });
    const r = run("sh", [script, join(BIN, "btforge-pahole")]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(String(reportedVersion()));
    expect(Number(r.stdout)).toBeGreaterThanOrEqual(123);
    const numeric = run(join(BIN, "btforge-pahole"), ["--numeric_version"]);
    expect(numeric.stdout.trim()).toBe(String(reportedVersion()));
  });

  test("btforge pahole is the same front end", async () => {
    const r = await runCli(["pahole", "--version"]);
    expect(r.stdout).toBe(`${versionString()}\n`);
    const features = await runCli(["pahole", "--supported_btf_features"]);
    expect(features.stdout.trim().split(",")).toEqual([...PAHOLE_FEATURES]);
  });

  test("-J writes .BTF into the file, --btf_encode_detached raw BTF: both what encode --profile kernel-6.1 gives", async () => {
    const copy = join(dir, "sample.o");
    copyFileSync(SAMPLE_OBJECT, copy);
    const inPlace = run(join(BIN, "btforge-pahole"), ["-J", "--btf_gen_floats", "-j", copy], { LLVM_OBJCOPY: "/nonexistent/llvm-objcopy" });
    expect(inPlace.stderr).toBe("");
    expect(inPlace.stdout).toBe("");
    expect(inPlace.status).toBe(0);
    const detached = join(dir, "sample.btf");
    const raw = run(join(BIN, "btforge-pahole"), ["--btf_gen_floats", "-j2", `--btf_encode_detached=${detached}`, SAMPLE_OBJECT]);
    expect(raw.status, raw.stderr).toBe(0);
    const reference = join(dir, "reference.btf");
    const encoded = await runCli(["encode", SAMPLE_OBJECT, "--profile", "kernel-6.1", "-o", reference]);
    expect(encoded.code, encoded.stderr).toBe(0);
    expect(Buffer.from(readBtfBytes(copy)).equals(readFileSync(reference))).toBe(true);
    expect(readFileSync(detached).equals(readFileSync(reference))).toBe(true);
  });

  test("failures: one line, a non-zero exit, nothing written", () => {
    const notElf = join(dir, "not-elf.o");
    writeFileSync(notElf, "not an ELF file\n");
    const bad = run(join(BIN, "btforge-pahole"), ["-J", notElf]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trimEnd().split("\n")).toEqual([expect.stringContaining(notElf)]);
    expect(readFileSync(notElf, "utf8")).toBe("not an ELF file\n");
    const unknown = run(join(BIN, "btforge-pahole"), ["-J", "--show_reorg_steps", SAMPLE_OBJECT]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trimEnd().split("\n")).toEqual([expect.stringContaining("--show_reorg_steps")]);
  });
});
