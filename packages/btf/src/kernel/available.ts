// Whether this process can ask the running kernel for a BTF verdict: Linux, a C compiler to
// build the helper, CAP_BPF or CAP_SYS_ADMIN, and a probe load the kernel does not refuse.

import { readFileSync } from "node:fs";
import { ensureHelperBinary } from "./helper-binary.js";
import { loadIntoKernel } from "./load.js";

export type KernelAvailability = { ok: true } | { ok: false; reason: string };

const CAP_SYS_ADMIN = 21n;
const CAP_BPF = 39n;

/** The smallest BTF every kernel with BTF accepts: one `int`. */
export function minimalValidBtf(): Uint8Array {
  const strings = new TextEncoder().encode("\0int\0");
  const typeLen = 16;
  const buf = new Uint8Array(24 + typeLen + strings.length);
  const v = new DataView(buf.buffer);
  v.setUint16(0, 0xeb9f, true); // magic
  v.setUint8(2, 1); // version
  v.setUint32(4, 24, true); // hdr_len
  v.setUint32(8, 0, true); // type_off
  v.setUint32(12, typeLen, true); // type_len
  v.setUint32(16, typeLen, true); // str_off
  v.setUint32(20, strings.length, true); // str_len
  v.setUint32(24, 1, true); // name_off "int"
  v.setUint32(28, 1 << 24, true); // info: kind INT
  v.setUint32(32, 4, true); // size
  v.setUint32(36, (1 << 24) | 32, true); // SIGNED, 32 bits
  buf.set(strings, 24 + typeLen);
  return buf;
}

function effectiveCapabilities(): bigint | undefined {
  try {
    const status = readFileSync("/proc/self/status", "latin1");
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(status);
    return m ? BigInt(`0x${m[1]}`) : undefined;
  } catch {
    return undefined;
  }
}

let cached: KernelAvailability | undefined;

function probe(): KernelAvailability {
  if (process.platform !== "linux") return { ok: false, reason: `BPF_BTF_LOAD needs Linux (this is ${process.platform})` };
  const caps = effectiveCapabilities();
  const hasCap = (bit: bigint) => caps !== undefined && ((caps >> bit) & 1n) === 1n;
  if (!hasCap(CAP_BPF) && !hasCap(CAP_SYS_ADMIN)) {
    return { ok: false, reason: "BPF_BTF_LOAD needs CAP_BPF or CAP_SYS_ADMIN (run as root)" };
  }
  try {
    ensureHelperBinary();
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  let verdict;
  try {
    verdict = loadIntoKernel(minimalValidBtf());
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (verdict.accepted) return { ok: true };
  if (verdict.errno === "EPERM") return { ok: false, reason: "the kernel refused BPF_BTF_LOAD (EPERM)" };
  return { ok: false, reason: `the kernel rejected a minimal valid BTF blob (${verdict.errno}): ${verdict.log.trim()}` };
}

/** Checks once per process whether the kernel check can run here, and why not. */
export function kernelAvailable(): KernelAvailability {
  cached ??= probe();
  return cached;
}
