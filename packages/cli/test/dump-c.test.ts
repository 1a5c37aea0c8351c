// `btforge dump FILE --format c` as a user runs it: the header of the host's vmlinux and of a
// cached module on its vmlinux (-B) equal bpftool's `format c` output apart from the enum
// `mode(byte|word)` attributes bpftool 7.1 leaves out (how long each takes is printed; speed is
// measured by `npm run bench:btf`), and a truncated blob still ends in one error line naming the file.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { kernelMissing, kernelModules, VMLINUX } from "../../../test/support/kernel-files.js";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";

const HOST_VMLINUX = "/sys/kernel/btf/vmlinux";
const notBuilt = skipBecause(cliMissing(), "dump --format c CLI tests");
const noBpftool = toolMissing("bpftool");
const noHostBtf = existsSync(HOST_VMLINUX) ? undefined : `${HOST_VMLINUX} is absent`;
const dir = mkdtempSync(join(tmpdir(), "btforge-dump-c-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function bpftoolC(file: string, base?: string): { text: string; ms: number } {
  const start = performance.now();
  const r = spawnSync("bpftool", ["btf", "dump", "file", file, ...(base ? ["-B", base] : []), "format", "c"], { encoding: "utf8", maxBuffer: 1 << 30 });
  const ms = performance.now() - start;
  expect(r.status, r.stderr).toBe(0);
  return { text: r.stdout, ms };
}

const withoutEnumModes = (text: string) => text.replace(/ __attribute__\(\(mode\((byte|word)\)\)\)/g, "");

describe("btforge dump --format c", () => {
  test.skipIf(notBuilt || skipBecause(noBpftool ?? noHostBtf, "the C dump of the host vmlinux"))("host vmlinux: bpftool's header", async () => {
    const start = performance.now();
    const r = await runCli(["dump", HOST_VMLINUX, "--format", "c"]);
    const ms = performance.now() - start;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const theirs = bpftoolC(HOST_VMLINUX);
    console.log(`btforge dump --format c of ${HOST_VMLINUX}: ${ms.toFixed(0)} ms (whole CLI run); bpftool: ${theirs.ms.toFixed(0)} ms`);
    expect(withoutEnumModes(r.stdout) === theirs.text).toBe(true);
  });

  const module = kernelModules()[0];
  test.skipIf(notBuilt || skipBecause(noBpftool ?? kernelMissing(), "the C dump of a cached module"))("a module's .BTF on its vmlinux (-B)", async () => {
    const r = await runCli(["dump", module!, "-B", VMLINUX, "--format", "c"]);
    expect(r.code, r.stderr).toBe(0);
    expect(withoutEnumModes(r.stdout) === bpftoolC(module!, VMLINUX).text).toBe(true);
  });

  test.skipIf(notBuilt)("a truncated blob: one line naming the file, exit 1, nothing on stdout", async () => {
    const path = join(dir, "truncated.btf");
    writeFileSync(path, new Uint8Array([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]));
    const r = await runCli(["dump", path, "--format", "c"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(path);
    expect(r.stdout).toBe("");
  });

  test.skipIf(notBuilt)("a reference cycle: one line naming the file and the type, exit 1", async () => {
    // Header, then [1] CONST -> 2, [2] VOLATILE -> 1, [3] PTR -> 1; strings: "".
    const types = new Uint32Array([0, 0x0a000000, 2, 0, 0x09000000, 1, 0, 0x02000000, 1]);
    const bytes = new Uint8Array(24 + types.byteLength + 1);
    const view = new DataView(bytes.buffer);
    view.setUint16(0, 0xeb9f, true);
    view.setUint8(2, 1);
    view.setUint32(4, 24, true);
    view.setUint32(8, 0, true);
    view.setUint32(12, types.byteLength, true);
    view.setUint32(16, types.byteLength, true);
    view.setUint32(20, 1, true);
    bytes.set(new Uint8Array(types.buffer), 24);
    const path = join(dir, "cycle.btf");
    writeFileSync(path, bytes);
    const r = await runCli(["dump", path, "--format", "c"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(`${path}: type `);
    expect(r.stdout).toBe("");
  });
});
