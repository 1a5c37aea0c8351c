// `btforge validate FILE [--base BASE] [--kernel]`: the offline validator (the kernel's BTF loader
// rules), and with --kernel a BPF_BTF_LOAD into the running kernel as the final judge. A split BTF
// is loaded merged with its base, since the kernel does not accept user split BTF.
import type { Command } from "commander";
import {
  formatKernelVerdict,
  formatProblems,
  kernelAvailable,
  loadIntoKernel,
  mergeSplitBtf,
  parseBtf,
  validateBtf,
} from "@btforge/btf";
import { btforgeError, readBtfBytes } from "@btforge/core";
import { print } from "../output.js";

interface ValidateOptions {
  base?: string;
  kernel?: boolean;
  json?: boolean;
  log?: boolean;
}

export function register(program: Command): void {
  program
    .command("validate")
    .description("check BTF against the kernel's rules offline; --kernel also loads it into the running kernel")
    .argument("<file>", "raw BTF, or an ELF with a .BTF section")
    .option("-B, --base <file>", "the base BTF of a split BTF (e.g. vmlinux for a module)")
    .option("--kernel", "also load the BTF with BPF_BTF_LOAD and print the kernel's verdict")
    .option("--log", "with --kernel, print the kernel's whole log")
    .option("--json", "print the result as JSON")
    .action((file: string, options: ValidateOptions) => {
      const bytes = readBtfBytes(file);
      const baseBytes = options.base === undefined ? undefined : readBtfBytes(options.base);
      const base = baseBytes && parseBtf(baseBytes, { name: options.base });
      const result = validateBtf(bytes, { base, name: file });
      const types = result.ok ? parseBtf(bytes, { base, name: file }).count : undefined;
      let kernel: ReturnType<typeof loadIntoKernel> | undefined;
      let kernelSkipped: string | undefined;
      if (options.kernel) {
        const available = kernelAvailable();
        if (!available.ok) kernelSkipped = available.reason;
        else kernel = loadIntoKernel(baseBytes ? mergeSplitBtf(baseBytes, bytes, { base: options.base, split: file }) : bytes);
      }
      if (options.json) {
        print(JSON.stringify({ file, ok: result.ok, types, problems: result.problems, notes: result.notes ?? [], kernel: kernel ?? (kernelSkipped ? { skipped: kernelSkipped } : undefined) }, null, 2));
      } else {
        if (result.ok) print(`${file}: valid BTF (${types} types)`);
        else for (const line of formatProblems(result, file)) print(line);
        for (const note of result.notes ?? []) print(`${file}: note: ${note}`);
        if (kernel) for (const line of formatKernelVerdict(kernel, options.log)) print(`${file}: ${line}`);
        if (kernelSkipped) print(`${file}: kernel: not checked (${kernelSkipped})`);
      }
      if (!result.ok) throw btforgeError("VALIDATION_FAILED", [result.problems.length], { location: { file } });
      if (kernel && !kernel.accepted) throw btforgeError("KERNEL_REJECTED", [kernel.errno ?? "error"], { location: { file } });
    });
}
