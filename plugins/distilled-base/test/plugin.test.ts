// The distilled-base plugin on a small "kernel" and "module" compiled here: the module's split BTF
// is rewritten onto its distilled base, both validate, relocation onto the kernel's BTF gives back
// what the module says without the feature, and the write phase puts .BTF and .BTF.base into the
// ELF in one rewrite (or FILE and FILE.base beside raw output). Without a base the feature is a
// usage error before any DWARF is read; a later encode without the feature refuses to leave a
// stale .BTF.base behind. The real-kernel suite compares with upstream pahole.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BtfTable, copyType, dumpRaw, parseBtf, readHeader, relocateSplitBtf, validateBtf, writeBtf } from "@btforge/btf";
import { createEncoder, encodedBytes, type Encoding, exitCodeFor, readBtfBytes, registerPlugin, toBtforgeError, VerifyBtfPlugin, WriteBtfPlugin, type WriteTarget } from "@btforge/core";
import { ElfFile } from "@btforge/elf";
import { typeDifference } from "../../../packages/btf/test/equivalence.js";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import DefaultExport, { DISTILLED_BASE_ARTIFACT, DistilledBasePlugin, type DistilledBaseStats } from "../src/index.js";

registerPlugin("dedup", () => import("@btforge/plugin-dedup"));
registerPlugin("percpu-vars", () => import("@btforge/plugin-percpu"));
registerPlugin("distilled-base", () => import("../src/index.js"));

const noGcc = skipBecause(toolMissing("gcc"), "the distilled-base plugin tests (they compile a kernel and a module)");
const dir = mkdtempSync(join(tmpdir(), "btforge-distilled-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HEADER = `
struct list { struct list *next, *prev; };
struct sock { int state; struct list link; unsigned long flags; };
typedef struct sock sock_t;
enum mode { OFF, ON = 5 };
struct opaque;
struct sock *sock_alloc(int state);
`;
const KERNEL = `${HEADER}
struct opaque { int hidden; };
struct sock *sock_alloc(int state) { static struct sock s; s.state = state; return &s; }
struct opaque *get_opaque(void) { static struct opaque o; return &o; }
enum mode kernel_mode;
double kernel_ratio;
`;
const MODULE = `${HEADER}
struct opaque *get_opaque(void);
struct mod_state { struct sock embedded; sock_t *ptr; enum mode mode; struct opaque *o; struct { int a, b; } anon; double ratio; };
struct mod_state mod_global;
int mod_init(struct mod_state *m, double r) { m->ptr = sock_alloc(1); m->o = get_opaque(); m->ratio = r; return m->mode; }
`;

const profile = (name: string, features: Record<string, unknown>) => {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ extends: "default", features }));
  return file;
};

async function encode(file: string, features: Record<string, unknown>, options: { base?: BtfTable; target?: WriteTarget } = {}): Promise<Encoding> {
  const plugins = [new VerifyBtfPlugin(), ...(options.target ? [new WriteBtfPlugin({ target: options.target })] : [])];
  const encoder = await createEncoder({ cwd: dir, configFile: profile(`p${Math.random().toString(36).slice(2)}`, features), plugins });
  return encoder.run(file, { base: options.base });
}

let kernelObj: string;
let moduleObj: string;
let kernel: BtfTable;
let plain: BtfTable;
let distilled: Encoding;

beforeAll(async () => {
  if (noGcc) return;
  for (const [name, source] of [["kernel", KERNEL], ["module", MODULE]] as const) {
    writeFileSync(join(dir, `${name}.c`), source);
    execFileSync("gcc", ["-g", "-O2", "-c", join(dir, `${name}.c`), "-o", join(dir, `${name}.o`)]);
  }
  kernelObj = join(dir, "kernel.o");
  moduleObj = join(dir, "module.o");
  const k = await encode(kernelObj, {});
  kernel = parseBtf(encodedBytes(k));
  k.close();
  const p = await encode(moduleObj, {}, { base: kernel });
  plain = parseBtf(encodedBytes(p), { base: kernel });
  p.close();
  distilled = await encode(moduleObj, { distilled_base: true }, { base: kernel });
});

describe.skipIf(noGcc)("DistilledBasePlugin", () => {
  test("core resolves distilled-base to it (default export); it takes no options", () => {
    expect(DefaultExport).toBe(DistilledBasePlugin);
    expect(DistilledBasePlugin.name).toBe("distilled-base");
    expect(DistilledBasePlugin.schema).toMatchObject({ type: "object", additionalProperties: false, properties: {} });
  });

  test("the split BTF ends on a distilled base: named types memberless and sized, the rest moved into the split", () => {
    const base = distilled.btf.base!;
    const lines = dumpRaw(base).trim().split("\n").map((l) => l.replace(/^\[\d+\] /, ""));
    expect([...lines].sort()).toEqual([
      "ENUM 'mode' encoding=UNSIGNED size=4 vlen=0",
      "FLOAT 'double' size=8",
      "INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED",
      "STRUCT 'opaque' size=4 vlen=0",
      "STRUCT 'sock' size=32 vlen=0",
    ]);
    // In the kernel's id order.
    const { idMap } = relocateSplitBtf(parseBtf(encodedBytes(distilled), { base }), kernel);
    const kernelIds = Array.from(idMap.subarray(1, base.lastId + 1));
    expect(kernelIds).toEqual([...kernelIds].sort((a, b) => a - b));
    const stats = distilled.artifacts.get(DISTILLED_BASE_ARTIFACT) as DistilledBaseStats;
    expect(stats).toMatchObject({ fullBaseTypes: kernel.count, baseTypes: 5, splitTypesBefore: plain.count });
    // sock_t and the pointer to sock lived in the kernel's BTF; now the module carries them.
    expect(stats.splitTypesAfter).toBeGreaterThan(stats.splitTypesBefore);
    expect(validateBtf(writeBtf(base)).ok).toBe(true);
    expect(validateBtf(encodedBytes(distilled), { base }).ok).toBe(true);
  });

  test("relocated onto the kernel's BTF, the module's types say what they say without the feature", () => {
    const r = relocateSplitBtf(parseBtf(encodedBytes(distilled), { base: distilled.btf.base! }), kernel);
    expect(validateBtf(writeBtf(r.split), { base: kernel }).ok).toBe(true);
    for (let i = 0; i < plain.count; i++) expect(typeDifference(plain, plain.firstId + i, r.split, r.split.firstId + i)).toBeUndefined();
  });

  test("--elf-out and in place: .BTF and .BTF.base in one rewrite; again in place, same bytes and size", async () => {
    const out = join(dir, "module-out.o");
    const e = await encode(moduleObj, { distilled_base: true }, { base: kernel, target: { inElf: out } });
    e.close();
    const elf = ElfFile.open(out);
    const sections = elf.sections.map((s) => s.name);
    expect(sections.slice(-2)).toEqual([".BTF", ".BTF.base"]);
    const baseBytes = elf.readSection(".BTF.base")!;
    expect(Buffer.from(baseBytes).equals(Buffer.from(writeBtf(distilled.btf.base!)))).toBe(true);
    expect(Buffer.from(elf.readSection(".BTF")!).equals(Buffer.from(encodedBytes(distilled)))).toBe(true);
    elf.close();
    const before = readFileSync(out);
    const again = await encode(out, { distilled_base: true }, { base: kernel, target: { inPlace: true } });
    again.close();
    expect(readFileSync(out).equals(before)).toBe(true);
  });

  test("raw -o FILE writes FILE (split) and FILE.base (distilled base)", async () => {
    const raw = join(dir, "module.btf");
    const e = await encode(moduleObj, { distilled_base: true }, { base: kernel, target: { raw } });
    e.close();
    expect(readdirSync(dir).filter((f) => f.startsWith("module.btf")).sort()).toEqual(["module.btf", "module.btf.base"]);
    const base = parseBtf(readFileSync(`${raw}.base`));
    expect(dumpRaw(base)).toBe(dumpRaw(distilled.btf.base!));
    expect(validateBtf(readFileSync(raw), { base }).ok).toBe(true);
  });

  test("a big-endian ELF gets a big-endian .BTF.base", async () => {
    const be = join(dir, "be.o");
    copyFileSync(new URL("../../../test/fixtures/obj/clang14-aarch64_be-dwarf4-O0-layout.o", import.meta.url), be);
    // A base that holds the object's int only: the rest is the "module"'s own.
    const own = await encode(be, {});
    const ownTable = parseBtf(encodedBytes(own));
    own.close();
    const beBase = new BtfTable();
    const int = [...Array(ownTable.count).keys()].map((i) => i + 1).find((id) => ownTable.name(id) === "int")!;
    copyType(ownTable, int, beBase, () => 0);
    const e = await encode(be, { distilled_base: true }, { base: beBase, target: { inPlace: true } });
    e.close();
    const elf = ElfFile.open(be);
    expect(readHeader(elf.readSection(".BTF.base")!).byteOrder).toBe("big");
    expect(readHeader(elf.readSection(".BTF")!).byteOrder).toBe("big");
    elf.close();
  });

  test("a module that needs no type of its base: no distilled base can be made; a module with no own type: an empty .BTF, no .BTF.base", async () => {
    // The kernel refuses a base BTF without types, so an empty distilled base is an error, said as such.
    const unrelated = new BtfTable();
    unrelated.addInt("unrelated_t", 4, 0, 0, 32);
    const err = toBtforgeError(await encode(moduleObj, { distilled_base: true }, { base: unrelated }).catch((e: unknown) => e));
    expect(err.message).toMatch(/refers to no type of its base: its distilled base would be empty, which the kernel refuses/);
    // Every type already in the base: an empty split .BTF (valid, harmless on any vmlinux), no .BTF.base.
    const same = join(dir, "same.o");
    copyFileSync(kernelObj, same);
    const e = await encode(same, { distilled_base: true }, { base: kernel, target: { inPlace: true } });
    expect(e.btf.count).toBe(0);
    expect(e.artifacts.has(DISTILLED_BASE_ARTIFACT)).toBe(false);
    e.close();
    const sameElf = ElfFile.open(same);
    expect(sameElf.findSection(".BTF.base")).toBeUndefined();
    expect(parseBtf(sameElf.readSection(".BTF")!, { base: kernel }).count).toBe(0);
    sameElf.close();
  });

  test("without a base: FEATURE_NEEDS_BASE (exit 2) at the load phase, before any DWARF is read", async () => {
    const err = toBtforgeError(await encode(moduleObj, { distilled_base: true }).catch((e: unknown) => e));
    expect(err.code).toBe("FEATURE_NEEDS_BASE");
    expect(err.phase).toBe("load");
    expect(err.message).toMatch(/feature distilled_base works on split BTF and no base was given: encode with -B\/--base FILE/);
    expect(exitCodeFor(err)).toBe(2);
  });

  test("a .BTF.base left by an earlier encode is never left beside a .BTF not built on it", async () => {
    const file = join(dir, "stale.o");
    copyFileSync(moduleObj, file);
    (await encode(file, { distilled_base: true }, { base: kernel, target: { inPlace: true } })).close();
    const before = readFileSync(file);
    const err = toBtforgeError(await encode(file, {}, { base: kernel, target: { inPlace: true } }).catch((e: unknown) => e));
    expect(err.code).toBe("STALE_BTF_BASE");
    expect(err.message).toMatch(/stale\.o: section \.BTF\.base: a distilled base from an earlier encode is there/);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readBtfBytes(file).length).toBeGreaterThan(0);
  });
});
