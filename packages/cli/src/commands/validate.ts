// `btforge validate FILE [--base BASE] [--target VERSION] [--kernel]`: the offline validator (the BTF
// loader's rules of a target kernel, default the newest btforge knows), and with --kernel a
// BPF_BTF_LOAD into the running kernel as the final judge. A split BTF is loaded merged with its
// base, since the kernel does not accept user split BTF.
//
// The offline verdict is for the target; the kernel's is the running kernel's. When they are not
// the same kernel, the running kernel's rules are also applied offline and the output says whether
// the kernel's verdict agrees with them, so "valid for 7.1" is never read as "this kernel loads it".
import type { Command } from "commander";
import {
  formatKernelVerdict,
  formatProblems,
  kernelAvailable,
  kernelRules,
  loadIntoKernel,
  mergeSplitBtf,
  parseBtf,
  runningKernelTarget,
  validateBtf,
  type BtfTable,
  type KernelVerdict,
  type ValidationResult,
} from "@btforge/btf";
import { btforgeError, readBtfBytes } from "@btforge/core";
import { print } from "../output.js";

interface ValidateOptions {
  base?: string;
  target?: string;
  kernel?: boolean;
  json?: boolean;
  log?: boolean;
}

/** The running kernel's verdict, and the offline verdict by that kernel's own rules when btforge knows them. */
interface KernelCheck {
  release: string;
  verdict: KernelVerdict;
  /** Offline rules of the running kernel: its version and verdict, or why btforge cannot apply them. */
  rules: { target: string; ok: boolean; problems: ValidationResult["problems"] } | { unknown: string };
}

function targetVersion(target: string | undefined): string {
  try {
    return kernelRules(target).version;
  } catch (err) {
    throw btforgeError("USAGE", [`--target: ${(err as Error).message}`]);
  }
}

function checkWithKernel(bytes: Uint8Array, baseBytes: Uint8Array | undefined, base: BtfTable | undefined, file: string, options: ValidateOptions, offline: ValidationResult, target: string): KernelCheck {
  const verdict = loadIntoKernel(baseBytes ? mergeSplitBtf(baseBytes, bytes, { base: options.base, split: file }) : bytes);
  const running = runningKernelTarget();
  if (!running.ok) return { release: running.release, verdict, rules: { unknown: running.reason } };
  const byItsRules = running.target === target ? offline : validateBtf(bytes, { base, name: file, target: running.target });
  return { release: running.release, verdict, rules: { target: running.target, ok: byItsRules.ok, problems: byItsRules.problems } };
}

/** What the kernel said, and how it compares with the offline rules of the same kernel. */
function kernelLines(check: KernelCheck, target: string, fullLog: boolean): string[] {
  const [head, ...log] = formatKernelVerdict(check.verdict, fullLog);
  const lines = [`${head} (running ${check.release})`, ...log.map((l) => `kernel: ${l}`)];
  const r = check.rules;
  if ("unknown" in r) {
    lines.push(`note: the running kernel's own rules are not known offline (${r.unknown}); the offline verdict above is for Linux ${target}`);
    return lines;
  }
  const agree = r.ok === check.verdict.accepted;
  if (r.target === target) {
    if (!agree) lines.push(`warning: the offline verdict for Linux ${target} and the running kernel's verdict differ`);
    return lines;
  }
  const offline = r.ok ? "valid" : `not valid (${r.problems[0]!.message})`;
  lines.push(
    `note: the offline verdict above is for Linux ${target}; by the rules of Linux ${r.target}, the running kernel's, the BTF is ${offline}` +
      ` — the kernel's verdict ${agree ? "agrees" : "differs"}`,
  );
  return lines;
}

export function register(program: Command): void {
  program
    .command("validate")
    .description("check BTF against a kernel's BTF rules offline; --kernel also loads it into the running kernel")
    .argument("<file>", "raw BTF, or an ELF with a .BTF section")
    .option("-B, --base <file>", "the base BTF of a split BTF (e.g. vmlinux for a module)")
    .option("-t, --target <version>", "the kernel whose rules apply, as 6.1 or 7.1 (default: the newest btforge knows)")
    .option("--kernel", "also load the BTF with BPF_BTF_LOAD and print the running kernel's verdict")
    .option("--log", "with --kernel, print the kernel's whole log")
    .option("--json", "print the result as JSON")
    .action((file: string, options: ValidateOptions) => {
      const target = targetVersion(options.target);
      const bytes = readBtfBytes(file);
      const baseBytes = options.base === undefined ? undefined : readBtfBytes(options.base);
      const base = baseBytes && parseBtf(baseBytes, { name: options.base });
      const result = validateBtf(bytes, { base, name: file, target });
      const types = result.ok ? parseBtf(bytes, { base, name: file }).count : undefined;
      let kernel: KernelCheck | undefined;
      let kernelSkipped: string | undefined;
      if (options.kernel) {
        const available = kernelAvailable();
        if (!available.ok) kernelSkipped = available.reason;
        else kernel = checkWithKernel(bytes, baseBytes, base, file, options, result, target);
      }
      if (options.json) {
        const kernelJson = kernel ? { release: kernel.release, ...kernel.verdict, rules: kernel.rules } : kernelSkipped ? { skipped: kernelSkipped } : undefined;
        print(JSON.stringify({ file, target, ok: result.ok, types, problems: result.problems, notes: result.notes ?? [], kernel: kernelJson }, null, 2));
      } else {
        if (result.ok) print(`${file}: valid BTF (${types} types) by the rules of Linux ${target}`);
        else {
          print(`${file}: not valid by the rules of Linux ${target}`);
          for (const line of formatProblems(result, file)) print(line);
        }
        for (const note of result.notes ?? []) print(`${file}: note: ${note}`);
        if (kernel) for (const line of kernelLines(kernel, target, options.log ?? false)) print(`${file}: ${line}`);
        if (kernelSkipped) print(`${file}: kernel: not checked (${kernelSkipped})`);
      }
      if (!result.ok) throw btforgeError("VALIDATION_FAILED", [result.problems.length], { location: { file } });
      if (kernel && !kernel.verdict.accepted) throw btforgeError("KERNEL_REJECTED", [kernel.verdict.errno ?? "error"], { location: { file } });
    });
}
