/**
 * The real kernels the real-input suites read, fetched once by test/real/fetch-kernel.sh into
 * ~/.cache/btforge (BTFORGE_CACHE overrides): the Debian 6.1 cloud kernel (the main input: its
 * vmlinux and about ten modules) and the Debian 6.12 one (kfunc sets with flags, newer DWARF).
 */
import { existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const CACHE_DIR = process.env.BTFORGE_CACHE ?? join(homedir(), ".cache/btforge");

export interface CachedKernel {
  /** "6.1" or "6.12", as test/real/fetch-kernel.sh takes it. */
  readonly name: string;
  readonly dir: string;
  readonly vmlinux: string;
  /** Undefined when the kernel is cached, else why the suites that need it skip. */
  missing(): string | undefined;
  /** The cached modules, sorted by name. */
  modules(): string[];
  /** A cached module by file name ("tun.ko"). */
  module(name: string): string | undefined;
}

function cachedKernel(name: string, release: string): CachedKernel {
  const dir = join(CACHE_DIR, release);
  const vmlinux = join(dir, "vmlinux");
  const modules = () => {
    const at = join(dir, "modules");
    return existsSync(at) ? readdirSync(at).filter((f) => f.endsWith(".ko")).sort().map((f) => join(at, f)) : [];
  };
  return {
    name,
    dir,
    vmlinux,
    missing: () =>
      existsSync(join(dir, ".complete")) && existsSync(vmlinux) ? undefined : `the Debian ${name} vmlinux is not cached in ${dir} (run test/real/fetch-kernel.sh ${name})`,
    modules,
    module: (file) => modules().find((m) => m.endsWith(`/${file}`)),
  };
}

export const KERNEL_6_1 = cachedKernel("6.1", "6.1.0-50-cloud-amd64");
export const KERNEL_6_12 = cachedKernel("6.12", "6.12.107+deb12-cloud-amd64");

/** The 6.1 kernel, by the names the older suites use. */
export const KERNEL_DIR = KERNEL_6_1.dir;
export const VMLINUX = KERNEL_6_1.vmlinux;

export function kernelMissing(): string | undefined {
  return KERNEL_6_1.missing();
}

export function kernelModules(): string[] {
  return KERNEL_6_1.modules();
}
