/**
 * The kernel's own BTF steps, replayed through btforge-pahole (issue 13): the command lines the
 * build scripts of each era run, on the Debian 6.1 and 6.12 vmlinux and on modules of both.
 * - Linux 6.1–6.7 (scripts/pahole-flags.sh, link-vmlinux.sh, Makefile.modfinal, pahole 1.22–1.24):
 *   `LLVM_OBJCOPY=objcopy pahole -J --btf_gen_floats -j FILE`, in place; modules with --btf_base.
 * - Linux 6.8–6.19 (scripts/Makefile.btf, pahole 1.30): `-J -jN --btf_features=<the list>
 *   --btf_features=attributes --lang_exclude=rust`, in place; modules with --btf_base.
 * - Linux 7.0 and later (scripts/gen-btf.sh, pahole 1.31): the same plus --btf_features=layout,
 *   written detached (--btf_encode_detached=FILE.BTF.1); modules with --btf_base.
 * Each result must equal, byte for byte, what `btforge encode` makes with the era's profile
 * (config/kernel-6.1.json, kernel-6.8.json, kernel-7.0.json), validate, and load into the running
 * kernel (modules merged with their base; not the 7.0 era's, whose layout section the host kernel,
 * older than 7.1, refuses: that refusal is validate --kernel's test).
 * The vmlinux "copies" are hard links in the cache folder: btforge writes a new file and renames it
 * over the link, so the cached file is never touched (and 600 MB is not copied per run).
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { basename, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseBtf, validateBtf } from "@btforge/btf";
import { readBtfBytes } from "@btforge/core";
import { expectKernelAccepts, expectKernelAcceptsSplit } from "../support/kernel-check.js";
import { CACHE_DIR, type CachedKernel, KERNEL_6_1, KERNEL_6_12 } from "../support/kernel-files.js";
import { REPO_ROOT } from "../support/paths.js";
import { sharedEncode } from "../support/shared-encode.js";
import { firstMissing, skipBecause, skipKernel } from "../support/tools.js";

const PAHOLE_BIN = join(REPO_ROOT, "node_modules/.bin/btforge-pahole");
const noKernel = skipKernel("kernel loads of the replayed kernel BTF steps");
const FEATURES_6_8 = "--btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs";

interface Era {
  name: string;
  profile: string;
  flags: string[];
  /** How the vmlinux step writes: .BTF in place (6.1–6.19), or a detached file (7.0's gen-btf.sh). */
  vmlinux: "in-place" | "detached";
}

const ERAS: Era[] = [
  { name: "Linux 6.1-6.7", profile: "kernel-6.1", flags: ["--btf_gen_floats", "-j"], vmlinux: "in-place" },
  { name: "Linux 6.8-6.19", profile: "kernel-6.8", flags: ["-j2", FEATURES_6_8, "--btf_features=attributes", "--lang_exclude=rust"], vmlinux: "in-place" },
  {
    name: "Linux 7.0+",
    profile: "kernel-7.0",
    flags: ["-j2", FEATURES_6_8, "--btf_features=attributes", "--btf_features=layout", "--lang_exclude=rust"],
    vmlinux: "detached",
  },
];

const work = join(CACHE_DIR, "tmp");
mkdirSync(work, { recursive: true });
const dir = mkdtempSync(join(work, "pahole-eras-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file to be written in place: a hard link where the file system allows, else a copy. */
function writableCopy(file: string, name: string): string {
  const path = join(mkdtempSync(join(dir, "f-")), name);
  const real = realpathSync(file);
  try {
    linkSync(real, path);
  } catch {
    copyFileSync(real, path);
  }
  return path;
}

function runPahole(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // LLVM_OBJCOPY is what Linux 6.1's scripts set for pahole; btforge does not use it.
    const child = spawn(PAHOLE_BIN, args, { env: { ...process.env, LLVM_OBJCOPY: "objcopy" }, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

function describeKernel(kernel: CachedKernel): void {
  const skip = skipBecause(firstMissing(kernel.missing(), existsSync(PAHOLE_BIN) ? undefined : `${PAHOLE_BIN} is not installed (npm ci links it)`), `the kernel BTF steps on ${kernel.name}`);
  describe.skipIf(skip)(`Debian ${kernel.name}`, () => {
    for (const era of ERAS) {
      test(`${era.name}: vmlinux`, async () => {
        const copy = writableCopy(kernel.vmlinux, "vmlinux");
        const out = `${copy}.BTF.1`;
        const target = era.vmlinux === "detached" ? [`--btf_encode_detached=${out}`] : [];
        // The reference encode runs beside the replay (two processes, two cores).
        const expectedRun = sharedEncode(kernel.vmlinux, { profile: era.profile });
        const r = await runPahole(["-J", ...era.flags, ...target, copy]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("");
        const bytes = era.vmlinux === "detached" ? new Uint8Array(readFileSync(out)) : readBtfBytes(copy);
        const expected = await expectedRun;
        expect(Buffer.from(bytes).equals(Buffer.from(expected.bytes)), `${era.name}: btforge-pahole's BTF is btforge encode --profile ${era.profile}'s`).toBe(true);
        expect(validateBtf(bytes).ok).toBe(true);
        if (!noKernel && !era.flags.includes("--btf_features=layout")) expectKernelAccepts(bytes, `${kernel.name} vmlinux, ${era.name}`);
      });

      test(`${era.name}: modules in place, --btf_base vmlinux`, async () => {
        const baseBytes = readBtfBytes(kernel.vmlinux);
        const base = parseBtf(baseBytes);
        for (const name of ["tun.ko", "nf_tables.ko"]) {
          const module = kernel.module(name)!;
          const copy = writableCopy(module, name);
          const expectedRun = sharedEncode(module, { profile: era.profile, base: kernel.vmlinux });
          const r = await runPahole(["-J", ...era.flags, "--btf_base", kernel.vmlinux, copy]);
          expect(r.stderr).toBe("");
          expect(r.code).toBe(0);
          const bytes = readBtfBytes(copy);
          const expected = await expectedRun;
          expect(Buffer.from(bytes).equals(Buffer.from(expected.bytes)), `${name}: btforge-pahole's split BTF is btforge encode -B's`).toBe(true);
          expect(validateBtf(bytes, { base }).ok, basename(copy)).toBe(true);
          if (!noKernel && !era.flags.includes("--btf_features=layout")) expectKernelAcceptsSplit(baseBytes, bytes, `${kernel.name} ${name}, ${era.name}`);
        }
      });
    }
  });
}

describeKernel(KERNEL_6_1);
describeKernel(KERNEL_6_12);
