// `btforge diff` on two real kernels: the Debian 6.1 and 6.12 vmlinuxes (their .BTF sections, ~95k
// and ~107k types) and one module on each as split BTF. The report is checked against bpftool's raw
// dumps of the same inputs, read here on their own terms (ids, names, sizes, member offsets):
// - every size and member offset a changed struct or union reports is the one bpftool shows, and
//   every member said removed (added) is absent from the new (old) type, through anonymous members;
// - every named struct and union the report leaves out has the same size and members on both sides;
// - a removed type's name is absent from the new dump, an added one's from the old.
// Facts checked by hand with `bpftool btf dump file … format c` are asserted too, and a kernel
// compared with itself gives no differences and exit 0 with --exit-code.
import { spawnSync } from "node:child_process";
import { Ajv } from "ajv";
import { beforeAll, describe, expect, test } from "vitest";
import type { Change, ChangedEntity } from "@btforge/btf";
import type { DiffDocument } from "../../packages/cli/src/commands/diff.js";
import { DIFF_JSON_SCHEMA } from "../../packages/cli/src/report/diff-schema.js";
import { cliMissing, runCli } from "../support/cli.js";
import { KERNEL_6_1, KERNEL_6_12 } from "../support/kernel-files.js";
import { skipBecause, toolMissing } from "../support/tools.js";

const VMLINUX = KERNEL_6_1.vmlinux;
const VMLINUX_612 = KERNEL_6_12.vmlinux;
const missing = cliMissing() ?? KERNEL_6_1.missing() ?? KERNEL_6_12.missing();
const skip = skipBecause(missing, "diff of the 6.1 and 6.12 vmlinuxes");
const noBpftool = skip || skipBecause(toolMissing("bpftool"), "diff against bpftool's dumps");
const MODULE = "nf_tables.ko";

// ---- bpftool's raw dump, read independently of btforge ------------------------------------------

interface DumpMember {
  name: string;
  type: number;
  bitOffset: number;
  bitfieldSize: number;
}
interface DumpType {
  kind: string;
  name: string;
  /** STRUCT/UNION/ENUM size, or the referenced type id of modifiers, typedefs, pointers. */
  size: number;
  ref: number;
  members: DumpMember[];
}

function bpftoolDump(file: string, base?: string): Map<number, DumpType> {
  const args = ["btf", "dump", "file", file, ...(base ? ["-B", base] : [])];
  const r = spawnSync("bpftool", args, { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`bpftool ${args.join(" ")}: ${r.stderr}`);
  const types = new Map<number, DumpType>();
  let current: DumpType | undefined;
  for (const line of r.stdout.split("\n")) {
    const head = /^\[(\d+)\] (\w+) '([^']*)'(.*)$/.exec(line);
    if (head) {
      const rest = head[4]!;
      current = {
        kind: head[2]!,
        name: head[3] === "(anon)" ? "" : head[3]!,
        size: Number(/ size=(\d+)/.exec(rest)?.[1] ?? -1),
        ref: Number(/ type_id=(\d+)/.exec(rest)?.[1] ?? 0),
        members: [],
      };
      types.set(Number(head[1]), current);
      continue;
    }
    const member = /^\t'([^']*)' type_id=(\d+) bits_offset=(\d+)(?: bitfield_size=(\d+))?$/.exec(line);
    if (member && current) {
      current.members.push({
        name: member[1] === "(anon)" ? "" : member[1]!,
        type: Number(member[2]),
        bitOffset: Number(member[3]),
        bitfieldSize: Number(member[4] ?? 0),
      });
    }
  }
  return types;
}

/** Members by name through anonymous struct/union members, with offsets from the outer type. */
function flatMembers(types: Map<number, DumpType>, id: number, base = 0, out = new Map<string, DumpMember>()): Map<string, DumpMember> {
  for (const m of types.get(id)?.members ?? []) {
    if (m.name !== "") {
      if (!out.has(m.name)) out.set(m.name, { ...m, bitOffset: base + m.bitOffset });
      continue;
    }
    let t = m.type;
    while (["CONST", "VOLATILE", "RESTRICT", "TYPE_TAG"].includes(types.get(t)?.kind ?? "")) t = types.get(t)!.ref;
    if (["STRUCT", "UNION"].includes(types.get(t)?.kind ?? "")) flatMembers(types, t, base + m.bitOffset, out);
  }
  return out;
}

/** Named types by "KIND name" (STRUCT and UNION and FWD share "tag"), with how many there are. */
function byName(types: Map<number, DumpType>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const [id, t] of types) {
    if (t.name === "") continue;
    const family = ["STRUCT", "UNION", "FWD"].includes(t.kind) ? "tag" : ["ENUM", "ENUM64"].includes(t.kind) ? "enum" : t.kind;
    const key = `${family} ${t.name}`;
    const list = out.get(key);
    if (list) list.push(id);
    else out.set(key, [id]);
  }
  return out;
}

const FAMILY: Record<string, string> = { struct: "tag", union: "tag", fwd: "tag", enum: "enum", enum64: "enum", typedef: "TYPEDEF", int: "INT", float: "FLOAT", func: "FUNC", var: "VAR", datasec: "DATASEC" };

// ---- the shared runs --------------------------------------------------------------------------

let vmlinux: { code: number | null; stderr: string; doc: DiffDocument };
let dumps: { a: Map<number, DumpType>; b: Map<number, DumpType> } | undefined;

beforeAll(async () => {
  if (skip) return;
  const r = await runCli(["diff", VMLINUX, VMLINUX_612, "--json", "--exit-code"], { timeoutMs: 300_000 });
  vmlinux = { code: r.code, stderr: r.stderr, doc: JSON.parse(r.stdout) as DiffDocument };
  if (!noBpftool) dumps = { a: bpftoolDump(VMLINUX), b: bpftoolDump(VMLINUX_612) };
});

function entity(label: string): ChangedEntity {
  const e = vmlinux.doc.changed.find((c) => c.label === label);
  if (!e) throw new Error(`${label} is not reported as changed`);
  return e;
}

function change(e: ChangedEntity, what: Change["change"], name: string): Change | undefined {
  return e.changes.find((c) => c.change === what && (("member" in c && c.member === name) || ("name" in c && c.name === name)));
}

/** Checks a diff document's struct and union reports against the two dumps; returns how many members it checked. */
function crossCheck(doc: DiffDocument, a: Map<number, DumpType>, b: Map<number, DumpType>): number {
  let members = 0;
  for (const e of doc.changed) {
    if (!["struct", "union"].includes(e.a.kind) || !["struct", "union"].includes(e.b.kind)) continue;
    const ta = a.get(e.a.id)!;
    const tb = b.get(e.b.id)!;
    expect([ta.kind, tb.kind], e.label).toEqual([e.a.kind.toUpperCase(), e.b.kind.toUpperCase()]);
    if (e.name !== null) expect([ta.name, tb.name], e.label).toEqual([e.name, e.name]);
    const size = e.changes.find((c) => c.change === "size");
    if (size?.change === "size") expect([ta.size, tb.size], e.label).toEqual([size.old, size.new]);
    else expect(tb.size, e.label).toBe(ta.size);
    const ma = flatMembers(a, e.a.id);
    const mb = flatMembers(b, e.b.id);
    for (const c of e.changes) {
      const where = `${e.label} ${c.change} ${"member" in c ? c.member : ""}`;
      if (c.change === "member-removed") {
        expect(ma.get(c.member)?.bitOffset, where).toBe(c.old.bitOffset);
        expect(mb.has(c.member), where).toBe(false);
      } else if (c.change === "member-added") {
        expect(ma.has(c.member), where).toBe(false);
        expect(mb.get(c.member)?.bitOffset, where).toBe(c.new.bitOffset);
      } else if (c.change === "member-renamed") {
        expect([ma.get(c.member)?.bitOffset, mb.has(c.member)], where).toEqual([c.old.bitOffset, false]);
        expect([mb.get(c.newName)?.bitOffset, ma.has(c.newName)], where).toEqual([c.new.bitOffset, false]);
      } else if (c.change === "member-changed") {
        expect([ma.get(c.member)?.bitOffset, ma.get(c.member)?.bitfieldSize], where).toEqual([c.old.bitOffset, c.old.bitfieldSize]);
        expect([mb.get(c.member)?.bitOffset, mb.get(c.member)?.bitfieldSize], where).toEqual([c.new.bitOffset, c.new.bitfieldSize]);
      } else {
        continue;
      }
      members++;
    }
  }
  return members;
}

describe("btforge diff: Debian 6.1 vs 6.12 vmlinux", () => {
  test.skipIf(skip)("differences found: exit 1 with --exit-code, and a document that follows the schema", () => {
    expect(vmlinux.code, vmlinux.stderr).toBe(1);
    expect(vmlinux.stderr).toBe("");
    const validate = new Ajv({ strict: false }).compile(DIFF_JSON_SCHEMA);
    expect(validate(vmlinux.doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const s = vmlinux.doc.summary;
    expect(vmlinux.doc.different).toBe(true);
    expect([s.removed, s.changed, s.added]).toEqual([vmlinux.doc.removed.length, vmlinux.doc.changed.length, vmlinux.doc.added.length]);
    expect(s.unrelocatable + s.relocatable + s.compatible).toBe(s.changed);
    // "The 6.1 and 6.12 ones differ in thousands of types."
    expect(s.changed).toBeGreaterThan(1000);
    expect(s.added).toBeGreaterThan(1000);
  });

  test.skipIf(skip)("what `bpftool btf dump … format c` shows changed between them", () => {
    // struct task_struct: 9728 -> 9792 bytes; a new `saved_state` at byte 28 moves `sched_class`.
    const task = entity("struct task_struct");
    expect(task.changes).toContainEqual({ change: "size", old: 9728, new: 9792, impact: "relocatable" });
    expect(change(task, "member-added", "saved_state")).toMatchObject({ new: { type: "unsigned int", bitOffset: 224 } });
    expect(change(task, "member-changed", "sched_class")).toMatchObject({ moved: true, old: { bitOffset: 5248 }, new: { bitOffset: 5440 }, impact: "relocatable" });
    // struct sk_buff keeps its size; `wifi_acked` left its bitfield group (CO-RE cannot relocate it).
    const skb = entity("struct sk_buff");
    expect(skb.changes.find((c) => c.change === "size")).toBeUndefined();
    expect(change(skb, "member-removed", "wifi_acked")).toMatchObject({ old: { type: "__u8", bitfieldSize: 1, via: "(anon union).(anon struct)" }, impact: "unrelocatable" });
    // struct aa_perms: `stop` removed, `subtree` added where `deny` was, `xindex` widened u16 -> u32.
    const perms = entity("struct aa_perms");
    expect(change(perms, "member-removed", "stop")).toMatchObject({ old: { bitOffset: 160 } });
    expect(change(perms, "member-added", "subtree")).toMatchObject({ new: { bitOffset: 64 } });
    expect(change(perms, "member-changed", "xindex")).toMatchObject({ retyped: true, old: { type: "u16" }, new: { type: "u32" } });
    // enum OID lost three MD OIDs: every later value moved down by three.
    const oid = entity("enum OID");
    expect(change(oid, "enumerator-removed", "OID_md4WithRSAEncryption")).toMatchObject({ old: 13, impact: "unrelocatable" });
    expect(change(oid, "enumerator-changed", "OID_sha1WithRSAEncryption")).toMatchObject({ old: 14, new: 11, impact: "relocatable" });
    // An anonymous struct at its place: sk_buff's `headers` group.
    expect(vmlinux.doc.changed.some((c) => c.label === "struct sk_buff.headers (anon struct)" && c.name === null)).toBe(true);
  });

  test.skipIf(noBpftool)("every struct and union the report changes agrees with bpftool's dumps, member by member", () => {
    const members = crossCheck(vmlinux.doc, dumps!.a, dumps!.b);
    expect(members).toBeGreaterThan(10_000);
  });

  test.skipIf(noBpftool)("every named struct and union the report leaves out has the same layout in both dumps", () => {
    const { a, b } = dumps!;
    const reported = new Set([...vmlinux.doc.changed.map((c) => c.name), ...vmlinux.doc.removed.map((e) => e.name), ...vmlinux.doc.added.map((e) => e.name)]);
    const namesA = byName(a);
    const namesB = byName(b);
    let checked = 0;
    for (const [key, idsA] of namesA) {
      const idsB = namesB.get(key);
      const name = key.slice(4);
      if (!key.startsWith("tag ") || !idsB || idsA.length !== 1 || idsB.length !== 1 || reported.has(name)) continue;
      const ta = a.get(idsA[0]!)!;
      const tb = b.get(idsB[0]!)!;
      expect([tb.kind, tb.size], key).toEqual([ta.kind, ta.size]);
      const layout = (types: Map<number, DumpType>, id: number) => [...flatMembers(types, id)].map(([n, m]) => `${n} ${m.bitOffset} ${m.bitfieldSize}`);
      expect(layout(b, idsB[0]!), key).toEqual(layout(a, idsA[0]!));
      checked++;
    }
    expect(checked).toBeGreaterThan(5_000);
  });

  test.skipIf(noBpftool)("removed names are gone from the new dump, added ones absent from the old", () => {
    const namesA = byName(dumps!.a);
    const namesB = byName(dumps!.b);
    const key = (kind: string, name: string) => `${FAMILY[kind]} ${name}`;
    for (const e of vmlinux.doc.removed) if (e.name !== null && !/\(\d+ of \d+\)$/.test(e.label)) expect(namesB.has(key(e.kind, e.name)), e.label).toBe(false);
    for (const e of vmlinux.doc.added) if (e.name !== null && !/\(\d+ of \d+\)$/.test(e.label)) expect(namesA.has(key(e.kind, e.name)), e.label).toBe(false);
  });

  test.skipIf(skip)("a kernel against itself: no differences, exit 0 with --exit-code", async () => {
    const r = await runCli(["diff", VMLINUX_612, VMLINUX_612, "--exit-code"], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split("\n")[2]).toBe("no differences");
  });
});

describe("btforge diff: a module on each kernel (split BTF)", () => {
  test.skipIf(noBpftool)(`${MODULE} 6.1 on its vmlinux vs 6.12 on its own: agrees with bpftool -B`, async () => {
    const modA = KERNEL_6_1.module(MODULE)!;
    const modB = KERNEL_6_12.module(MODULE)!;
    const r = await runCli(["diff", modA, modB, "--base-a", VMLINUX, "--base-b", VMLINUX_612, "--json"], { timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as DiffDocument;
    expect(new Ajv({ strict: false }).compile(DIFF_JSON_SCHEMA)(doc)).toBe(true);
    const a = bpftoolDump(modA, VMLINUX);
    const b = bpftoolDump(modB, VMLINUX_612);
    // Only the modules' own types: bpftool -B prints exactly those.
    expect([doc.summary.typesA, doc.summary.typesB]).toEqual([a.size, b.size]);
    expect(crossCheck(doc, a, b)).toBeGreaterThan(50);
    // nft_expr_ops lost its `reduce` callback (6.12 dropped register tracking).
    const ops = doc.changed.find((c) => c.label === "struct nft_expr_ops");
    expect(ops?.changes).toContainEqual(expect.objectContaining({ change: "member-removed", member: "reduce", impact: "unrelocatable" }));
  });
});
