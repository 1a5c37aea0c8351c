/**
 * What the fuzz suite mutates: the committed sample, committed fixture objects chosen for their
 * variety (DWARF 2 to 5, DWARF64, type units, strx forms, a compressed .debug_info, ELF32, big
 * endian), and one small real kernel module when the kernel cache has it. `--extra PATH` adds more
 * (FUZZ_EXTRA, colon-separated): a shared library, another module.
 */
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { KERNEL_DIR } from "../support/kernel-files.js";
import { FIXTURE_OBJ_DIR, SAMPLE_OBJECT } from "../support/paths.js";
import type { FuzzInput } from "./campaign.js";

const FIXTURES = [
  "gcc12-dwarf5-O0-percpu_a.o",
  "gcc12-dwarf4-types-O0-recursive.o",
  "clang14-dwarf5-O0-clang_btf_tags.o",
  "gcc12-dwarf5-dwarf64-O2-funcptr.o",
  "gcc12-dwarf5-zlib-O2-enums.o",
  "gcc12-m32-dwarf2-O0-scalars.o",
  "clang14-aarch64_be-dwarf4-O0-layout.o",
];

export const FUZZ_MODULE = join(KERNEL_DIR, "modules", "tcp_bbr.ko");

/** The inputs, and why the module is left out when it is. */
export function fuzzInputs(extra: readonly string[] = []): { inputs: FuzzInput[]; skipped?: string } {
  const inputs: FuzzInput[] = [SAMPLE_OBJECT, ...FIXTURES.map((f) => join(FIXTURE_OBJ_DIR, f))].map((path) => ({ name: basename(path), path }));
  let skipped: string | undefined;
  if (existsSync(FUZZ_MODULE)) inputs.push({ name: basename(FUZZ_MODULE), path: FUZZ_MODULE });
  else skipped = `${FUZZ_MODULE} is not cached (run test/real/fetch-kernel.sh): its mutants are left out`;
  for (const path of extra) {
    // Names are the inputs' keys (seeds, replays): another kernel's tcp_bbr.ko gets its folders in its name.
    let name = basename(path);
    for (let dir = dirname(path); inputs.some((i) => i.name === name) && dir !== dirname(dir); dir = dirname(dir)) name = `${basename(dir)}-${name}`;
    inputs.push({ name, path });
  }
  return { inputs, skipped };
}
