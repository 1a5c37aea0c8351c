// `btforge encode -B BASE` (split BTF on a base) and the extmod profile (distilled_base) as a user
// runs them: FILE and FILE.base beside raw output, read back by `validate` and `dump` (and by
// bpftool, the split on its distilled base), the summary and --json figures, and the one-line
// usage error without a base. A small "kernel" and "module" are compiled here.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";

const skip = skipBecause(cliMissing() ?? toolMissing("gcc"), "encode -B / distilled base CLI tests");
const noBpftool = skipBecause(toolMissing("bpftool"), "the distilled split read by bpftool");
const dir = mkdtempSync(join(tmpdir(), "btforge-encode-base-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = "struct sock { int state; unsigned long flags; }; typedef struct sock sock_t; struct sock *sock_alloc(int);";
const KERNEL = `${HEADER}\nstruct sock *sock_alloc(int s) { static struct sock k; k.state = s; return &k; }\n`;
const MODULE = `${HEADER}\nstruct mod { struct sock s; sock_t *p; int n; };\nstruct mod mod_global;\nint mod_init(struct mod *m) { m->p = sock_alloc(m->n); return m->s.state; }\n`;

const file = (name: string) => join(dir, name);

beforeAll(async () => {
  if (skip) return;
  writeFileSync(file("kernel.c"), KERNEL);
  writeFileSync(file("module.c"), MODULE);
  for (const n of ["kernel", "module"]) execFileSync("gcc", ["-g", "-O2", "-c", file(`${n}.c`), "-o", file(`${n}.o`)]);
  const r = await runCli(["encode", file("kernel.o"), "-o", file("kernel.btf")]);
  if (r.code !== 0) throw new Error(`encoding the kernel failed: ${r.stderr}`);
});

describe.skipIf(skip)("btforge encode -B", () => {
  test("split BTF on a raw base: the summary says so; it validates on that base", async () => {
    const r = await runCli(["encode", file("module.o"), "-B", file("kernel.btf"), "-o", file("split.btf")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`${file("module.o")}: profile default, wrote ${/wrote (\d+) bytes/.exec(r.stdout)![1]} bytes to ${file("split.btf")} (raw BTF)`);
    expect(r.stdout).toContain(`\nsplit BTF on ${file("kernel.btf")}\n`);
    expect(r.stdout).not.toMatch(/distilled base/);
    const v = await runCli(["validate", file("split.btf"), "-B", file("kernel.btf")]);
    expect(v.code).toBe(0);
  });

  test("--profile extmod: FILE and FILE.base, read back by validate and dump", async () => {
    const r = await runCli(["--profile", "extmod", "encode", file("module.o"), "-B", file("kernel.btf"), "-o", file("mod.btf")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^distilled base: \\d+ of the base's \\d+ types, \\d+ bytes, written to ${file("mod.btf").replace(/[.]/g, "\\.")}\\.base; split types \\d+ -> \\d+ \\(`, "m"));
    expect(existsSync(file("mod.btf.base"))).toBe(true);
    const v = await runCli(["validate", file("mod.btf"), "-B", file("mod.btf.base")]);
    expect(v.stdout).toMatch(/valid/);
    expect(v.code).toBe(0);
    const base = await runCli(["dump", file("mod.btf.base")]);
    expect(base.stdout).toMatch(/^\[\d+\] STRUCT 'sock' size=16 vlen=0$/m);
    expect(base.stdout).toMatch(/^\[\d+\] INT 'int' size=4/m);
    const dumped = await runCli(["dump", file("mod.btf"), "-B", file("mod.btf.base")]);
    expect(dumped.code).toBe(0);
    expect(dumped.stdout).toMatch(/^\[\d+\] TYPEDEF 'sock_t' type_id=\d+$/m);
    if (!noBpftool) {
      const peer = execFileSync("bpftool", ["btf", "dump", "file", file("mod.btf"), "-B", file("mod.btf.base")], { encoding: "utf8" });
      expect(dumped.stdout).toBe(peer);
    }
  });

  test("--json: the base file and the distilled base's figures", async () => {
    const r = await runCli(["--profile", "extmod", "encode", file("module.o"), "-B", file("kernel.btf"), "-o", file("json.btf"), "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { base: string; distilledBase: Record<string, unknown> };
    expect(report.base).toBe(file("kernel.btf"));
    expect(report.distilledBase).toMatchObject({ written: `${file("json.btf")}.base` });
    expect(Object.keys(report.distilledBase)).toEqual(["fullBaseTypes", "baseTypes", "baseBytes", "splitTypesBefore", "splitTypesAfter", "ms", "written"]);
  });

  test("extmod without -B: one line naming the feature and the missing base, exit 2, nothing written", async () => {
    const r = await runCli(["--profile", "extmod", "encode", file("module.o"), "-o", file("none.btf")]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      `btforge: ${file("module.o")}: feature distilled_base works on split BTF and no base was given: encode with -B/--base FILE (btforge-pahole: --btf_base FILE), the vmlinux the module is built against`,
    ]);
    expect(existsSync(file("none.btf"))).toBe(false);
  });

  test("a base that does not exist: one line, exit 1", async () => {
    const r = await runCli(["encode", file("module.o"), "-B", file("missing.btf")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("missing.btf");
  });
});
