import { describe, expect, test } from "vitest";
import { formatKernelVerdict, loadIntoKernel, loadManyIntoKernel, minimalValidBtf } from "../src/kernel/index.js";
import { skipKernel } from "../../../test/support/tools.js";

describe.skipIf(skipKernel("the kernel BTF load helper tests"))("kernel BTF load helper", () => {
  test("accepts a minimal valid blob and logs the header", () => {
    const v = loadIntoKernel(minimalValidBtf());
    expect(v).toMatchObject({ accepted: true });
    expect(v.log).toContain("magic: 0xeb9f");
    expect(v.log).toContain("[1] INT int size=4 bits_offset=0 nr_bits=32 encoding=SIGNED");
  });

  test("rejects a truncated blob with EINVAL and the kernel's reason", () => {
    const blob = minimalValidBtf().subarray(0, 30);
    const v = loadIntoKernel(blob);
    expect(v.accepted).toBe(false);
    expect(v.errno).toBe("EINVAL");
    expect(v.log).toContain("Total section length too long");
    expect(formatKernelVerdict(v)).toEqual(["kernel: rejected (EINVAL)", "Total section length too long"]);
    expect(formatKernelVerdict(v, true)[1]).toBe("magic: 0xeb9f");
  });

  test("answers a batch in order, including an empty blob", () => {
    const good = minimalValidBtf();
    const badMagic = good.slice();
    badMagic[0] = 0;
    const verdicts = loadManyIntoKernel([good, badMagic, new Uint8Array(0), good]);
    expect(verdicts.map((v) => v.errno ?? "ok")).toEqual(["ok", "EINVAL", "EINVAL", "ok"]);
    expect(verdicts[1]!.log).toContain("Invalid magic");
    expect(verdicts[2]!.log).toContain("hdr_len not found");
  });

  test("grows the log buffer when the kernel's log does not fit (vmlinux-sized blob)", () => {
    // Many types make a log far larger than the helper's first 64 KiB buffer.
    const good = minimalValidBtf();
    const n = 5000;
    const typeLen = 16 * n;
    const strings = good.subarray(40);
    const blob = new Uint8Array(24 + typeLen + strings.length);
    blob.set(good.subarray(0, 24));
    const v = new DataView(blob.buffer);
    v.setUint32(12, typeLen, true);
    v.setUint32(16, typeLen, true);
    for (let i = 0; i < n; i++) blob.set(good.subarray(24, 40), 24 + 16 * i);
    blob.set(strings, 24 + typeLen);
    const verdict = loadIntoKernel(blob);
    expect(verdict.accepted).toBe(true);
    expect(verdict.log).toContain(`[${n}] INT int`);
    expect(verdict.log.length).toBeGreaterThan(64 * 1024);
  });
});
