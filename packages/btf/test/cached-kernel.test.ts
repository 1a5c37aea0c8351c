// Split BTF from a real kernel build: the cached 6.1 vmlinux and its modules (see
// test/real/fetch-kernel.sh). Their .BTF sections are cut out with objcopy (this package does
// not read ELF), then parse → write must be byte-identical and the raw dump must equal
// `bpftool btf dump file MOD -B VMLINUX`.

import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { dumpRaw, parseBtf, writeBtf, type BtfTable } from "@btforge/btf";
import { bpftool, bpftoolDump, firstDifference, skipNote, tempDir } from "./helpers.js";

const KERNEL_DIR = join(homedir(), ".cache/btforge/6.1.0-50-cloud-amd64");
const VMLINUX = join(KERNEL_DIR, "vmlinux");
const MODULES = join(KERNEL_DIR, "modules");

function hasObjcopy(): boolean {
  try {
    execFileSync("objcopy", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const skip =
  skipNote(!existsSync(VMLINUX), `no cached kernel at ${KERNEL_DIR} (run test/real/fetch-kernel.sh)`) ||
  skipNote(!hasObjcopy(), "objcopy is not installed");

describe.skipIf(skip)("cached 6.1 kernel BTF", () => {
  const dir = skip ? "" : tempDir();
  let base: BtfTable;
  const baseFile = join(dir, "vmlinux.btf");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function cutBtf(elf: string, out: string): Uint8Array {
    execFileSync("objcopy", ["--dump-section", `.BTF=${out}`, elf, join(dir, "scratch.o")]);
    return new Uint8Array(readFileSync(out));
  }

  test("vmlinux .BTF round trips", () => {
    execFileSync("objcopy", ["-O", "binary", "--only-section=.BTF", VMLINUX, baseFile]);
    const bytes = new Uint8Array(readFileSync(baseFile));
    base = parseBtf(bytes, { name: baseFile });
    expect(Buffer.from(writeBtf(base)).equals(Buffer.from(bytes))).toBe(true);
  });

  const modules = existsSync(MODULES) ? readdirSync(MODULES).filter((f) => f.endsWith(".ko")) : [];
  test.each(modules)("module %s: split round trip and bpftool dump", (mod) => {
    const file = join(dir, `${mod}.btf`);
    const bytes = cutBtf(join(MODULES, mod), file);
    const table = parseBtf(bytes, { base, name: file });
    expect(table.firstId).toBe(base.lastId + 1);
    expect(table.count).toBeGreaterThan(0);
    expect(Buffer.from(writeBtf(table)).equals(Buffer.from(bytes))).toBe(true);
    if (bpftool) expect(firstDifference(dumpRaw(table), bpftoolDump(file, baseFile))).toBeUndefined();
  });
});
