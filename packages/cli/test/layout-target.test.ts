// The 2026 BTF format from the command line: `encode` with the feature `layout` (a config file
// turns it on) writes the layout section upstream pahole writes; `dump` prints such BTF as bpftool
// does; `validate --target` gives each kernel's verdict; `validate --kernel` reports the running
// kernel's refusal as it is, beside the offline verdict, without claiming they agree when they do not.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseBtf, runningKernelTarget } from "@btforge/btf";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { skipBecause, skipKernel, toolMissing } from "../../../test/support/tools.js";
import { upstreamPahole, upstreamPaholeMissing } from "../../../test/support/upstream-pahole.js";

const C_SOURCE = `
struct node { struct node *next; unsigned flags:4, kind:4; long key; char tag[8]; };
union slot { int i; float f; };
enum mode { OFF, ON = 7, AUTO = -2 };
typedef struct node node_t;
int walk(node_t *n, const union slot *s, enum mode m) { return n->flags + s->i + m; }
`;

const skip = skipBecause(cliMissing() ?? toolMissing("gcc"), "layout CLI tests");
const dir = mkdtempSync(join(tmpdir(), "btforge-layout-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const obj = join(dir, "t.o");
const withLayout = join(dir, "layout.btf");
const plain = join(dir, "plain.btf");

/** The layout section's bytes and the header's section placement. */
function sections(file: string) {
  const b = new Uint8Array(readFileSync(file));
  const h = parseBtf(b).header!;
  return { header: { hdrLen: h.hdrLen, typeOff: h.typeOff, layoutOff: h.layoutOff - h.typeLen, strOff: h.strOff - h.typeLen - h.layoutLen }, layout: Buffer.from(b.subarray(h.hdrLen + h.layoutOff, h.hdrLen + h.layoutOff + h.layoutLen)) };
}

describe.skipIf(skip)("btforge and the layout section", () => {
  beforeAll(async () => {
    writeFileSync(join(dir, "t.c"), C_SOURCE);
    execFileSync("gcc", ["-g", "-O2", "-c", "t.c", "-o", "t.o"], { cwd: dir, stdio: "pipe" });
    writeFileSync(join(dir, "layout.json"), JSON.stringify({ extends: "default", features: { layout: true } }));
    for (const [out, extra] of [[withLayout, ["--config", join(dir, "layout.json")]], [plain, []]] as const) {
      const r = await runCli(["encode", obj, "-o", out, "-q", ...extra], { timeoutMs: 60_000 });
      expect(r.code, r.stderr).toBe(0);
    }
  });

  test("encode with features.layout: a 32-byte header and the layout section after the types; the types are unchanged", () => {
    const t = parseBtf(new Uint8Array(readFileSync(withLayout)));
    expect(t.header).toMatchObject({ hdrLen: 32, typeOff: 0, layoutOff: t.header!.typeLen, layoutLen: 80, strOff: t.header!.typeLen + 80 });
    const p = parseBtf(new Uint8Array(readFileSync(plain)));
    expect(p.header).toMatchObject({ hdrLen: 24, layoutLen: 0 });
    // Byte for byte: the same types and strings, with 8 more header bytes and the 80-byte section between them.
    const l = readFileSync(withLayout);
    const q = readFileSync(plain);
    const typeLen = p.header!.typeLen;
    expect(l.length).toBe(q.length + 8 + 80);
    expect(l.subarray(32, 32 + typeLen).equals(q.subarray(24, 24 + typeLen))).toBe(true);
    expect(l.subarray(32 + typeLen + 80).equals(q.subarray(24 + typeLen))).toBe(true);
  });

  test.skipIf(skipBecause(upstreamPaholeMissing(), "comparison with upstream pahole's layout"))("the layout section and its placement are upstream pahole's (--btf_features=default,layout)", () => {
    const theirs = join(dir, "pahole-layout.btf");
    execFileSync(upstreamPahole()!, ["--btf_features=default,layout", `--btf_encode_detached=${theirs}`, obj], { stdio: "pipe" });
    const a = sections(withLayout);
    const b = sections(theirs);
    expect(a.header).toEqual(b.header);
    expect(a.layout.equals(b.layout)).toBe(true);
  });

  test.skipIf(skipBecause(toolMissing("bpftool"), "dump of layout BTF against bpftool"))("dump prints it as bpftool does", async () => {
    const r = await runCli(["dump", withLayout]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(execFileSync("bpftool", ["btf", "dump", "file", withLayout], { encoding: "utf8" }));
    // The layout section changes nothing in the types' dump.
    const p = await runCli(["dump", plain]);
    expect(r.stdout).toBe(p.stdout);
  });

  test("validate --target: each kernel's verdict; the default is the newest known", async () => {
    const newest = await runCli(["validate", withLayout]);
    expect(newest.code, newest.stderr).toBe(0);
    expect(newest.stdout).toMatch(/valid BTF \(\d+ types\) by the rules of Linux 7\.2\n/);
    const v71 = await runCli(["validate", withLayout, "--target", "7.1"]);
    expect(v71.code, v71.stderr).toBe(0);
    expect(v71.stdout).toContain("by the rules of Linux 7.1");
    const v61 = await runCli(["validate", withLayout, "-t", "6.1"]);
    expect(v61.code).toBe(1);
    expect(v61.stdout.split("\n")).toEqual([`${withLayout}: not valid by the rules of Linux 6.1`, `${withLayout}: Unsupported btf_header (offset 0x18)`, ""]);
    expect(v61.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect((await runCli(["validate", plain, "-t", "6.1"])).code).toBe(0);
    const json = JSON.parse((await runCli(["validate", withLayout, "-t", "6.18", "--json"])).stdout) as { target: string; ok: boolean; problems: { reason: string }[] };
    expect(json).toMatchObject({ target: "6.18", ok: false, problems: [{ reason: "Unsupported btf_header" }] });
  });

  test("validate --target with a kernel btforge does not know: a usage error, exit 2, one line", async () => {
    for (const target of ["9.9", "four"]) {
      const r = await runCli(["validate", withLayout, "--target", target]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain("--target");
    }
  });

  const running = runningKernelTarget();
  const noKernel = skipKernel("validate --kernel on layout BTF") || skipBecause(running.ok ? undefined : running.reason, "validate --kernel on layout BTF");
  test.skipIf(noKernel)("validate --kernel: the running kernel's refusal, and that its own rules refuse it too", async () => {
    const r = await runCli(["validate", withLayout, "--kernel"], { timeoutMs: 60_000 });
    const target = running.ok ? running.target : "";
    const lines = r.stdout.trimEnd().split("\n").map((l) => l.slice(withLayout.length + 2));
    if (running.ok && ["7.1", "7.2"].includes(target)) {
      // A kernel that reads the layout section loads it.
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(lines[1]).toMatch(/^kernel: accepted/);
      return;
    }
    expect(r.code).toBe(1);
    expect(lines).toEqual([
      expect.stringMatching(/^valid BTF \(\d+ types\) by the rules of Linux 7\.2$/),
      expect.stringMatching(/^kernel: rejected \(E2BIG\) \(running .+\)$/),
      "kernel: Unsupported btf_header",
      `note: the offline verdict above is for Linux 7.2; by the rules of Linux ${target}, the running kernel's, the BTF is not valid (Unsupported btf_header) — the kernel's verdict agrees`,
    ]);
    expect(r.stderr.trimEnd()).toBe(`btforge: ${withLayout}: the kernel rejected the BTF (E2BIG)`);
    // Asked for the running kernel's own version, offline and kernel say the same and nothing else is added.
    const same = await runCli(["validate", withLayout, "--kernel", "--target", target], { timeoutMs: 60_000 });
    expect(same.code).toBe(1);
    expect(same.stdout).not.toContain("note:");
    expect(same.stdout).not.toContain("warning:");
    expect(same.stdout).toContain(`not valid by the rules of Linux ${target}`);
  });
});
