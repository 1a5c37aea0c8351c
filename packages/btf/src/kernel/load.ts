// Hands BTF blobs to the running kernel (bpf(BPF_BTF_LOAD)) through the btf-load helper and
// returns the kernel's verdict and verifier log. One helper process serves a whole batch.

import { spawnSync } from "node:child_process";
import { ensureHelperBinary } from "./helper-binary.js";

export interface KernelVerdict {
  /** True when the kernel accepted the blob (the object is released right away). */
  accepted: boolean;
  /** The errno name the load failed with (EINVAL, E2BIG, EPERM, ...); absent when accepted. */
  errno?: string;
  /** The kernel's BTF verifier log (log_level 1). */
  log: string;
}

/** Request framing: a little-endian u32 length, then the blob. */
function frame(blobs: readonly Uint8Array[]): Buffer {
  let total = 0;
  for (const b of blobs) total += 4 + b.length;
  const out = Buffer.allocUnsafe(total);
  let pos = 0;
  for (const b of blobs) {
    out.writeUInt32LE(b.length, pos);
    out.set(b, pos + 4);
    pos += 4 + b.length;
  }
  return out;
}

/** Answer framing: "R <verdict> <loglen>\n" followed by loglen bytes of log. */
function parseAnswers(out: Buffer, expected: number): KernelVerdict[] {
  const verdicts: KernelVerdict[] = [];
  let pos = 0;
  while (pos < out.length) {
    const eol = out.indexOf(0x0a, pos);
    if (eol < 0) break;
    const m = /^R (\S+) (\d+)$/.exec(out.toString("latin1", pos, eol));
    if (!m) throw new Error(`btf-load helper: malformed answer at byte ${pos}`);
    const logLen = Number(m[2]);
    const logStart = eol + 1;
    if (logStart + logLen > out.length) throw new Error("btf-load helper: answer log cut short");
    const log = out.toString("utf8", logStart, logStart + logLen);
    verdicts.push(m[1] === "ok" ? { accepted: true, log } : { accepted: false, errno: m[1], log });
    pos = logStart + logLen;
  }
  if (verdicts.length !== expected) {
    throw new Error(`btf-load helper answered ${verdicts.length} of ${expected} blobs`);
  }
  return verdicts;
}

/** Loads every blob into the kernel, in order, with a single helper process. */
export function loadManyIntoKernel(blobs: readonly Uint8Array[]): KernelVerdict[] {
  if (blobs.length === 0) return [];
  const helper = ensureHelperBinary();
  const run = spawnSync(helper, ["--batch"], {
    input: frame(blobs),
    maxBuffer: 1 << 30,
    stdio: ["pipe", "pipe", "pipe"],
  });
  if (run.error) throw new Error(`btf-load helper failed to run: ${run.error.message}`);
  if (run.status !== 0) {
    throw new Error(`btf-load helper exited with ${run.status ?? run.signal}: ${run.stderr.toString().trim()}`);
  }
  return parseAnswers(run.stdout, blobs.length);
}

/** Loads one blob into the kernel and reports its verdict and log. */
export function loadIntoKernel(bytes: Uint8Array): KernelVerdict {
  return loadManyIntoKernel([bytes])[0]!;
}

/**
 * The kernel's verdict for people: a first line ("kernel: accepted" or "kernel: rejected
 * (EINVAL)"), then the verifier log. Without `fullLog`, only the log's last line on rejection
 * (where the kernel names the problem), and none on acceptance.
 */
export function formatKernelVerdict(v: KernelVerdict, fullLog = false): string[] {
  const head = v.accepted ? "kernel: accepted" : `kernel: rejected (${v.errno})`;
  const lines = v.log.trimEnd().split("\n").filter((l) => l.length > 0);
  if (fullLog) return [head, ...lines];
  return v.accepted || lines.length === 0 ? [head] : [head, lines[lines.length - 1]!];
}
