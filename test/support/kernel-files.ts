/**
 * The real kernel the real-input suites read: the Debian 6.1 cloud vmlinux and ten of its modules,
 * fetched once by test/real/fetch-kernel.sh into ~/.cache/btforge (BTFORGE_CACHE overrides).
 */
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const CACHE_DIR = process.env.BTFORGE_CACHE ?? join(homedir(), ".cache/btforge");
export const KERNEL_DIR = join(CACHE_DIR, "6.1.0-50-cloud-amd64");
export const VMLINUX = join(KERNEL_DIR, "vmlinux");

/** Undefined when the vmlinux is cached, else why the real-kernel suites skip. */
export function kernelMissing(): string | undefined {
  return existsSync(join(KERNEL_DIR, ".complete")) && existsSync(VMLINUX)
    ? undefined
    : `the Debian 6.1 vmlinux is not cached in ${KERNEL_DIR} (run test/real/fetch-kernel.sh)`;
}

export function kernelModules(): string[] {
  const dir = join(KERNEL_DIR, "modules");
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".ko")).sort().map((f) => join(dir, f)) : [];
}

/** The Debian 6.12 cloud kernel, fetched by `test/real/fetch-kernel.sh 6.12`: a changed base for the 6.1 modules. */
export const KERNEL_612_DIR = join(CACHE_DIR, "6.12.107+deb12-cloud-amd64");
export const VMLINUX_612 = join(KERNEL_612_DIR, "vmlinux");

/** Undefined when the 6.12 vmlinux is cached, else why the suites that need it skip. */
export function kernel612Missing(): string | undefined {
  return existsSync(join(KERNEL_612_DIR, ".complete")) && existsSync(VMLINUX_612)
    ? undefined
    : `the Debian 6.12 vmlinux is not cached in ${KERNEL_612_DIR} (run test/real/fetch-kernel.sh 6.12)`;
}

