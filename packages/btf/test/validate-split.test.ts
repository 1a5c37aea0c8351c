// Split BTF (a module's types on top of vmlinux): ids and string offsets continue the base's.
// The kernel only checks split BTF for modules it loads itself, so the peer here is pahole's
// own output: every module of the cached 6.1 kernel must validate against that kernel's BTF.

import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { BtfKind } from "../src/constants.js";
import { parseBtf } from "../src/parse.js";
import { formatProblems, validateBtf } from "../src/validate/index.js";
import { skipBecause } from "../../../test/support/tools.js";
import { BlobBuilder } from "./validate-blobs.js";

/** A split blob: records (words) whose ids start after the base's, and strings after the base's. */
function splitBlob(records: number[][], strings: string): Uint8Array {
  const words = records.flat();
  const str = new TextEncoder().encode(strings);
  const out = new Uint8Array(24 + words.length * 4 + str.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0xeb9f, true);
  v.setUint8(2, 1);
  v.setUint32(4, 24, true);
  v.setUint32(12, words.length * 4, true);
  v.setUint32(16, words.length * 4, true);
  v.setUint32(20, str.length, true);
  words.forEach((w, i) => v.setUint32(24 + i * 4, w >>> 0, true));
  out.set(str, 24 + words.length * 4);
  return out;
}

const info = (kind: number, vlen = 0, kflag = false) => ((kflag ? 0x80000000 : 0) | (kind << 24) | vlen) >>> 0;

describe("split BTF on a base", () => {
  // Base: [1] int, [2] typedef u32 → int, [3] struct list { next: *list } via [4] ptr.
  const b = new BlobBuilder();
  const int = b.int("int");
  b.typedef("u32", int);
  b.struct("list", 8, [["next", 4, 0]]);
  b.ptr(3);
  const base = b.bytes();
  const baseStrLen = new DataView(base.buffer).getUint32(20, true);
  const own = (k: number) => baseStrLen + k; // offset of byte k of the split's strings

  test("references into the base, names from both string sections", () => {
    // [5] struct pair { u32 a; struct list l; }, [6] ptr → int, [7] typedef int_ptr → [6]
    const split = splitBlob(
      [
        [own(0), info(BtfKind.STRUCT, 2), 16, own(5), 2, 0, own(7), 3, 64],
        [0, info(BtfKind.PTR), 1],
        [own(9), info(BtfKind.TYPEDEF), 6],
      ],
      "pair\0a\0l\0int_ptr\0",
    );
    expect(formatProblems(validateBtf(split, { base }))).toEqual([]);
    // The same base as a parsed table works too.
    expect(validateBtf(split, { base: parseBtf(base) }).ok).toBe(true);
  });

  test("an empty split blob is fine (a module with no new types)", () => {
    expect(validateBtf(splitBlob([], ""), { base }).ok).toBe(true);
  });

  test("ids past the split's last type and names past its strings are rejected", () => {
    const badId = splitBlob([[0, info(BtfKind.PTR), 9]], "");
    expect(validateBtf(badId, { base }).problems[0]).toMatchObject({ typeId: 5, reason: "Invalid type_id" });
    const badName = splitBlob([[own(4), info(BtfKind.TYPEDEF), 1]], "abc\0");
    expect(validateBtf(badName, { base }).problems[0]).toMatchObject({ typeId: 5, reason: "Invalid name_offset:" + own(4) });
  });

  test("a member whose size comes through a base typedef is checked against the struct", () => {
    const tooSmall = splitBlob([[own(0), info(BtfKind.STRUCT, 1), 2, 0, 2, 0]], "s\0");
    expect(validateBtf(tooSmall, { base }).problems[0]).toMatchObject({ typeId: 5, reason: "Member exceeds struct_size" });
  });

  test("an invalid base is reported as such", () => {
    const badBase = base.slice();
    badBase[0] = 0;
    const r = validateBtf(splitBlob([], ""), { base: badBase });
    expect(r.ok).toBe(false);
    expect(r.problems[0]!.message).toBe("base BTF is invalid: Invalid magic");
  });

  test("without its base, split BTF gets a hint", () => {
    const r = validateBtf(splitBlob([[0, info(BtfKind.PTR), 1]], "x\0"));
    expect(r.problems[0]!.reason).toBe("Invalid string section");
    expect(r.problems[0]!.message).toContain("split BTF?");
  });
});

const KERNEL_DIR = join(process.env.HOME ?? "/root", ".cache/btforge/6.1.0-50-cloud-amd64");
const haveKernel = existsSync(join(KERNEL_DIR, "vmlinux"));
const haveObjcopy = (() => {
  try {
    execFileSync("objcopy", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
const skipReal = skipBecause(!haveKernel ? `no cached kernel at ${KERNEL_DIR} (test/real/fetch-kernel.sh)` : !haveObjcopy ? "objcopy not found" : undefined, "the real module BTF test");

describe.skipIf(skipReal)("pahole's BTF of a real kernel and its modules", () => {
  test("vmlinux and every cached module validate", () => {
    const dir = mkdtempSync(join(tmpdir(), "btforge-split-"));
    try {
      const vmlinuxBtf = join(dir, "vmlinux.btf");
      execFileSync("objcopy", ["-O", "binary", "--only-section=.BTF", join(KERNEL_DIR, "vmlinux"), vmlinuxBtf]);
      const base = new Uint8Array(readFileSync(vmlinuxBtf));
      expect(formatProblems(validateBtf(base))).toEqual([]);
      const modules = readdirSync(join(KERNEL_DIR, "modules")).filter((f) => f.endsWith(".ko"));
      expect(modules.length).toBeGreaterThan(0);
      for (const ko of modules) {
        const out = join(dir, `${ko}.btf`);
        execFileSync("objcopy", ["--dump-section", `.BTF=${out}`, join(KERNEL_DIR, "modules", ko), join(dir, "scratch.o")]);
        const result = validateBtf(new Uint8Array(readFileSync(out)), { base, name: ko });
        expect(formatProblems(result)).toEqual([]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
