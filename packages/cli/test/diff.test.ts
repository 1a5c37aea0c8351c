// `btforge diff` as a user runs it (the built CLI) on hand-made BTF files: the text report, the JSON
// document against its published schema (every kind of change present at least once), --exit-code,
// split BTF with -B and --base-a/--base-b, bad input and bad usage, and the host's vmlinux against
// itself. The comparison itself is tested change by change in packages/btf/test/diff.test.ts.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BtfFuncLinkage, BtfIntEncoding, BtfTable, BtfVarLinkage, writeBtf } from "@btforge/btf";
import { DIFF_JSON_SCHEMA } from "../src/report/diff-schema.js";
import { type DiffDocument, impliedBase } from "../src/commands/diff.js";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { skipBecause } from "../../../test/support/tools.js";

const notBuilt = skipBecause(cliMissing(), "diff CLI tests");
const HOST_VMLINUX = "/sys/kernel/btf/vmlinux";
const noHostBtf = existsSync(HOST_VMLINUX) ? undefined : `${HOST_VMLINUX} is absent`;
const dir = mkdtempSync(join(tmpdir(), "btforge-diff-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One side of the pair that has every kind of change the report knows. */
function everyChange(v: "a" | "b"): BtfTable {
  const t = new BtfTable();
  if (v === "b") t.addPtr(0); // ids differ between the sides
  const int = t.addInt("int", 4, BtfIntEncoding.SIGNED, 0, 32);
  const uint = t.addInt("unsigned int", 4, 0, 0, 32);
  const long = t.addInt("long int", 8, BtfIntEncoding.SIGNED, 0, 64);
  t.addInt("flagbyte", 1, v === "a" ? 0 : BtfIntEncoding.BOOL, 0, 8);
  if (v === "a") t.addInt("real", 8, 0, 0, 64);
  else t.addFloat("real", 8);
  if (v === "a") {
    t.addStruct("task", 24, [
      { name: "pid", type: int, bitOffset: 0 },
      { name: "gone", type: int, bitOffset: 32 },
      { name: "old_name", type: long, bitOffset: 64 },
      { name: "flags", type: uint, bitOffset: 128, bitfieldSize: 3 },
    ]);
  } else {
    t.addStruct("task", 32, [
      { name: "fresh", type: long, bitOffset: 0 },
      { name: "new_name", type: long, bitOffset: 64 },
      { name: "pid", type: int, bitOffset: 128 },
      { name: "flags", type: uint, bitOffset: 160, bitfieldSize: 5 },
    ]);
  }
  if (v === "a") t.addStruct("morph", 4, [{ name: "x", type: int, bitOffset: 0 }]);
  else t.addUnion("morph", 4, [{ name: "x", type: int, bitOffset: 0 }]);
  t.addEnum("state", 4, v === "b", [
    { name: "S_KEEP", value: 0 },
    ...(v === "a" ? [{ name: "S_DROP", value: 1 }] : [{ name: "S_ADD", value: 5 }]),
    { name: "S_MOVE", value: v === "a" ? 2 : 3 },
  ]);
  t.addTypedef("handle_t", v === "a" ? int : long);
  const pint = t.addPtr(int);
  const proto =
    v === "a"
      ? t.addFuncProto(int, [{ name: "p", type: pint }, { name: "n", type: int }])
      : t.addFuncProto(long, [{ name: "p", type: pint }, { name: "count", type: int }, { name: "extra", type: int }, { name: 0, type: 0 }]);
  const fn = t.addFunc("do_work", proto, v === "a" ? BtfFuncLinkage.STATIC : BtfFuncLinkage.GLOBAL);
  t.addFunc("short_work", v === "a" ? t.addFuncProto(int, [{ name: "a", type: int }, { name: "b", type: int }]) : t.addFuncProto(int, [{ name: "a", type: int }]));
  if (v === "b") t.addDeclTag("bpf_kfunc", fn, -1);
  else t.addDeclTag("old_tag", fn, -1);
  const counter = t.addVar("counter", v === "a" ? int : long, v === "a" ? BtfVarLinkage.STATIC : BtfVarLinkage.GLOBAL_ALLOCATED);
  const only = t.addVar(v === "a" ? "only_a" : "only_b", int, BtfVarLinkage.GLOBAL_ALLOCATED);
  t.addDatasec(".data..percpu", 16, [
    { type: counter, offset: v === "a" ? 0 : 8, size: v === "a" ? 4 : 8 },
    { type: only, offset: v === "a" ? 8 : 0, size: 4 },
  ]);
  if (v === "a") t.addStruct("removed_struct", 4, [{ name: "x", type: int, bitOffset: 0 }]);
  else t.addStruct("added_struct", 4, [{ name: "x", type: int, bitOffset: 0 }]);
  return t;
}

/** A base and a module on it; `v` changes the module's struct and moves every base id. */
function splitPair(v: "a" | "b"): { base: BtfTable; split: BtfTable } {
  const base = new BtfTable();
  for (let i = 0; i < (v === "a" ? 0 : 4); i++) base.addPtr(0);
  const int = base.addInt("int", 4, BtfIntEncoding.SIGNED, 0, 32);
  base.addStruct("list_head", 16, [{ name: "next", type: base.addPtr(0), bitOffset: 0 }]);
  const split = new BtfTable({ base });
  split.addStruct("mod_state", v === "a" ? 8 : 16, [
    { name: "x", type: int, bitOffset: 0 },
    { name: "refcount", type: int, bitOffset: v === "a" ? 32 : 64 },
  ]);
  return { base, split };
}

const path = (name: string) => join(dir, name);
const write = (name: string, table: BtfTable) => writeFileSync(path(name), writeBtf(table));

beforeAll(() => {
  write("a.btf", everyChange("a"));
  write("b.btf", everyChange("b"));
  copyFileSync(path("a.btf"), path("a-copy.btf"));
  for (const v of ["a", "b"] as const) {
    const { base, split } = splitPair(v);
    write(`base-${v}.btf`, base);
    write(`mod-${v}.btf`, split);
  }
  writeFileSync(path("truncated.btf"), new Uint8Array([0x9f, 0xeb, 1, 0, 24, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0]));
});

describe("btforge diff", () => {
  test.skipIf(notBuilt)("text: counts, then groups most severe first, each change marked with its CO-RE impact", async () => {
    const r = await runCli(["diff", path("a.btf"), path("b.btf")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe(`--- ${path("a.btf")} (${everyChange("a").count} types)`);
    expect(lines[1]).toBe(`+++ ${path("b.btf")} (${everyChange("b").count} types)`);
    expect(lines[2]).toBe("2 removed, 10 changed (6 CO-RE cannot relocate, 2 layout moved, 2 compatible), 2 added");
    const headings = lines.filter((l) => /^[A-Z]/.test(l)).map((l) => l.replace(/ \(.*/, ""));
    expect(headings).toEqual(["Removed", "CO-RE cannot relocate", "Layout moved", "Compatible", "Added"]);
    const text = r.stdout;
    expect(text).toContain("  - struct removed_struct\n");
    expect(text).toContain("  + struct added_struct\n");
    expect(text).toContain(
      [
        "  struct task",
        "    ~ size 24 -> 32 bytes  [layout]",
        "    + fresh: long int @ 0 (8 bytes)",
        "    - gone: int @ 4 (4 bytes)  [unrelocatable]",
        "    ~ old_name renamed new_name: long int @ 8 (8 bytes)  [unrelocatable]",
        "    ~ pid: @ 0 -> 16  [layout]",
        "    ~ flags: @ 16 -> 20, bitfield :3 -> :5  [layout]",
      ].join("\n"),
    );
    expect(text).toContain("  struct morph\n    ~ kind struct -> union  [unrelocatable]\n");
    expect(text).toContain("    - S_DROP = 1  [unrelocatable]\n    ~ S_MOVE = 2 -> 3  [layout]\n    + S_ADD = 5\n");
    expect(text).toContain(
      [
        "  func do_work",
        "    ~ linkage static -> global",
        "    ~ return int -> long int  [unrelocatable]",
        "    ~ param 2: int n -> int count",
        "    + param 3: int extra  [unrelocatable]",
        "    ~ not variadic -> variadic  [unrelocatable]",
        "    - tag old_tag",
        "    + tag bpf_kfunc",
      ].join("\n"),
    );
    expect(text).toContain("  datasec .data..percpu\n    - 1 variable: only_a\n    + 1 variable: only_b\n    ~ 1 variable moved or resized\n");
  });

  test.skipIf(notBuilt)("--json follows its published schema and holds every kind of change", async () => {
    const r = await runCli(["diff", path("a.btf"), path("b.btf"), "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as DiffDocument;
    const validate = new Ajv({ allErrors: true, strict: false }).compile(DIFF_JSON_SCHEMA);
    expect(validate(doc), JSON.stringify(validate.errors, null, 1)).toBe(true);
    expect(doc.a).toEqual({ file: path("a.btf"), base: null });
    expect(doc.different).toBe(true);
    // Every change the schema describes appears at least once, so each branch of its oneOf was checked.
    const seen = new Set<string>(doc.changed.flatMap((e) => e.changes.map((c) => c.change)));
    const described = DIFF_JSON_SCHEMA.properties.changed.items.properties.changes.items.oneOf.map((s) => s.properties.change.const);
    expect([...described].filter((c) => !seen.has(c))).toEqual([]);
    // A document that breaks the schema is refused (the check can fail).
    expect(validate({ ...doc, changed: [{ ...doc.changed[0], impact: "fatal" }] })).toBe(false);
  });

  test.skipIf(notBuilt)("--exit-code: 1 when the inputs differ, 0 when they do not; without it, 0 either way", async () => {
    expect((await runCli(["diff", path("a.btf"), path("b.btf"), "--exit-code"])).code).toBe(1);
    const same = await runCli(["diff", path("a.btf"), path("a-copy.btf"), "--exit-code"]);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toBe(`--- ${path("a.btf")} (${everyChange("a").count} types)\n+++ ${path("a-copy.btf")} (${everyChange("a").count} types)\nno differences\n`);
    const json = await runCli(["diff", path("a.btf"), path("a-copy.btf"), "--json", "--exit-code"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ different: false, removed: [], changed: [], added: [] });
    expect((await runCli(["diff", path("a.btf"), path("b.btf")])).code).toBe(0);
  });

  test.skipIf(notBuilt)("--summary prints the counts only", async () => {
    const r = await runCli(["diff", path("a.btf"), path("b.btf"), "--summary"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.slice(2, 4)).toEqual(["2 removed, 10 changed (6 CO-RE cannot relocate, 2 layout moved, 2 compatible), 2 added", ""]);
    expect(lines.slice(4).map((l) => l.trim().split(/\s+/))).toEqual([
      ["removed", "changed", "added"],
      ["struct", "1", "2", "1"], // struct morph became a union: counted under its old kind
      ["enum", "0", "1", "0"],
      ["typedef", "0", "1", "0"],
      ["int", "0", "2", "0"],
      ["func", "0", "2", "0"],
      ["var", "1", "1", "1"],
      ["datasec", "0", "1", "0"],
    ]);
  });

  test.skipIf(notBuilt)("--json-schema prints the schema ajv compiles", async () => {
    const r = await runCli(["diff", "--json-schema"]);
    expect(r.code, r.stderr).toBe(0);
    const schema = JSON.parse(r.stdout);
    expect(schema).toEqual(JSON.parse(JSON.stringify(DIFF_JSON_SCHEMA)));
    expect(() => new Ajv({ strict: false }).compile(schema)).not.toThrow();
  });

  test.skipIf(notBuilt)("split BTF: -B for both sides, or --base-a/--base-b; only the modules' own types are compared", async () => {
    const both = await runCli(["diff", path("mod-a.btf"), path("mod-a.btf"), "-B", path("base-a.btf"), "--exit-code"]);
    expect(both.code, both.stderr).toBe(0);
    expect(both.stdout).toContain(`--- ${path("mod-a.btf")} (on ${path("base-a.btf")}) (1 types)`);
    const r = await runCli(["diff", path("mod-a.btf"), path("mod-b.btf"), "--base-a", path("base-a.btf"), "--base-b", path("base-b.btf"), "--json", "--exit-code"]);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as DiffDocument;
    expect(doc.a).toEqual({ file: path("mod-a.btf"), base: path("base-a.btf") });
    expect(doc.summary).toMatchObject({ typesA: 1, typesB: 1, removed: 0, added: 0, changed: 1 });
    expect(doc.changed[0]!.label).toBe("struct mod_state");
    expect(doc.changed[0]!.changes.map((c) => c.change)).toEqual(["size", "member-changed"]);
    // -B names the base of both sides; --base-b overrides it for B.
    const mixed = await runCli(["diff", path("mod-a.btf"), path("mod-b.btf"), "-B", path("base-a.btf"), "--base-b", path("base-b.btf"), "--json"]);
    expect(mixed.code, mixed.stderr).toBe(0);
    expect(JSON.parse(mixed.stdout).b.base).toBe(path("base-b.btf"));
  });

  test("a module under /sys/kernel/btf is read on the running kernel's vmlinux unless a base is named", () => {
    expect(impliedBase("/sys/kernel/btf/nf_tables")).toBe("/sys/kernel/btf/vmlinux");
    expect(impliedBase("/sys/kernel/btf/../btf/kvm")).toBe("/sys/kernel/btf/vmlinux");
    expect(impliedBase("/sys/kernel/btf/vmlinux")).toBeUndefined();
    expect(impliedBase(path("mod-a.btf"))).toBeUndefined();
  });

  test.skipIf(notBuilt)("a split BTF without its base: one line that says to name it", async () => {
    const r = await runCli(["diff", path("mod-a.btf"), path("mod-b.btf")]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(path("mod-a.btf"));
    expect(r.stderr).toContain("name its base with -B");
  });

  test.skipIf(notBuilt)("bad input exits 1 with one line naming the file; bad usage exits 2", async () => {
    const truncated = await runCli(["diff", path("a.btf"), path("truncated.btf")]);
    expect(truncated.code).toBe(1);
    expect(truncated.stdout).toBe("");
    expect(truncated.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(truncated.stderr).toContain(path("truncated.btf"));
    const missing = await runCli(["diff", path("a.btf"), path("nope.btf")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(missing.stderr).toContain(`cannot read ${path("nope.btf")}: no such file`);
    const one = await runCli(["diff", path("a.btf")]);
    expect(one.code).toBe(2);
    expect(one.stderr).toBe("btforge: diff needs two BTF files: btforge diff A B\n");
    const both = await runCli(["diff", path("a.btf"), path("b.btf"), "--json", "--summary"]);
    expect(both.code).toBe(2);
    expect(both.stdout).toBe("");
  });

  test.skipIf(notBuilt || skipBecause(noHostBtf, "diff of the host vmlinux"))("the host's vmlinux against itself: no differences, exit 0 with --exit-code", async () => {
    const r = await runCli(["diff", HOST_VMLINUX, HOST_VMLINUX, "--exit-code"], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^--- \/sys\/kernel\/btf\/vmlinux \([\d,]+ types\)\n\+\+\+ \/sys\/kernel\/btf\/vmlinux \([\d,]+ types\)\nno differences\n$/);
  });
});
