// `btforge dump` and `btforge validate` as a user runs them, against bpftool and the kernel: the
// raw dump of real BTF (the host's vmlinux, a cached module as split BTF on its vmlinux) equals
// bpftool's line for line; validate accepts real BTF, rejects a corrupted copy with the kernel's
// reason, and --kernel reports the running kernel's verdict.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { kernelMissing, kernelModules, VMLINUX } from "../../../test/support/kernel-files.js";
import { skipBecause, skipKernel, toolMissing } from "../../../test/support/tools.js";

const HOST_VMLINUX = "/sys/kernel/btf/vmlinux";
const notBuilt = skipBecause(cliMissing(), "dump/validate CLI tests");
const noBpftool = toolMissing("bpftool");
const noHostBtf = existsSync(HOST_VMLINUX) ? undefined : `${HOST_VMLINUX} is absent`;
const dir = mkdtempSync(join(tmpdir(), "btforge-dump-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bpftoolDump(file: string, base?: string): string {
  const r = spawnSync("bpftool", ["btf", "dump", "file", file, ...(base ? ["-B", base] : [])], { encoding: "utf8", maxBuffer: 1 << 30 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe("btforge dump", () => {
  test.skipIf(notBuilt || skipBecause(noBpftool ?? noHostBtf, "dump of the host vmlinux"))("host vmlinux: identical to bpftool", async () => {
    const r = await runCli(["dump", HOST_VMLINUX]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout === bpftoolDump(HOST_VMLINUX)).toBe(true);
  });

  const module = kernelModules()[0];
  test.skipIf(notBuilt || skipBecause(noBpftool ?? kernelMissing(), "split dump of a cached module"))("a module's .BTF on its vmlinux (-B): identical to bpftool", async () => {
    const r = await runCli(["dump", module!, "-B", VMLINUX]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")).toEqual(bpftoolDump(module!, VMLINUX).split("\n"));
  });

  test.skipIf(notBuilt)("a truncated blob: one line naming the file and the offset, exit 1", async () => {
    const path = join(dir, "truncated.btf");
    writeFileSync(path, new Uint8Array([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]));
    const r = await runCli(["dump", path]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(path);
    expect(r.stdout).toBe("");
  });
});

describe("btforge validate", () => {
  const kernel = { ok: !skipKernel("validate --kernel") };
  test.skipIf(notBuilt || skipBecause(noHostBtf, "validate of the host vmlinux"))("host vmlinux is valid; --kernel says the kernel accepts it", async () => {
    const r = await runCli(["validate", HOST_VMLINUX, ...(kernel.ok ? ["--kernel"] : [])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/valid BTF \(\d+ types\)/);
    if (kernel.ok) expect(r.stdout).toContain("kernel: accepted");
  });

  test.skipIf(notBuilt || skipBecause(noHostBtf, "validate of a corrupted blob"))("a dangling type id is rejected like the kernel does, exit 1", async () => {
    // Point the first type after the header (INT) ... at the second type (CONST), and make CONST refer past the end.
    const bytes = new Uint8Array(readFileSync(HOST_VMLINUX));
    const view = new DataView(bytes.buffer);
    const hdrLen = view.getUint32(4, true);
    const typeOff = hdrLen + view.getUint32(8, true);
    // Type 1 is INT (12 + 4 bytes); type 2 starts at +16; its size/type field is at +8.
    view.setUint32(typeOff + 16 + 8, 0x7ffff, true);
    const path = join(dir, "dangling.btf");
    writeFileSync(path, bytes);
    const r = await runCli(["validate", path, ...(kernel.ok ? ["--kernel"] : [])]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/\[2\] .*Invalid type_id/);
    if (kernel.ok) expect(r.stdout).toContain("kernel: rejected (EINVAL)");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  const module = kernelModules()[0];
  test.skipIf(notBuilt || skipBecause(kernelMissing(), "split validate"))("a module's split BTF validates on its base (and loads merged)", async () => {
    const r = await runCli(["validate", module!, "-B", VMLINUX, ...(kernel.ok ? ["--kernel"] : [])]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    if (kernel.ok) expect(r.stdout).toContain("kernel: accepted");
  });
});
