/**
 * lang_exclude on real objects: a C unit, a Rust unit (rustc) and a C++ unit (g++) linked into one
 * relocatable object (`ld -r`). The default profile leaves Rust out as a kernel build does
 * (`--lang_exclude=rust`) and equals upstream pahole's output with that option, type for type;
 * leaving C++ out too gives exactly the C object's BTF. With nothing excluded the Rust and C++
 * units are encoded as far as BTF can say (valid BTF, loaded by the kernel): names BTF cannot
 * carry dropped with one warning per unit, Rust's reordered fields sorted; upstream pahole writes
 * BTF with Rust names the kernel rejects, and none for the C++ unit. An excluded unit's
 * variables are skipped as such, and a Rust-only object gets no BTF, as pahole writes none.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type BtfTable, dumpRaw, loadIntoKernel, parseBtf, validateBtf } from "@btforge/btf";
import { createEncoder, encodedBytes, type Encoding, readBtfBytes, readBtfFile, TYPES_ARTIFACT, type TypesStats, VARIABLES_ARTIFACT, type VariablesStats } from "@btforge/core";
import "../packages/cli/src/builtin-plugins.js";
import { cliMissing, runCli } from "./support/cli.js";
import { UPSTREAM_PAHOLE, upstreamPaholeMissing } from "./support/upstream-pahole.js";
import { expectKernelAccepts } from "./support/kernel-check.js";
import { skipBecause, skipKernel, toolMissing } from "./support/tools.js";

const missing = toolMissing("rustc") ?? toolMissing("gcc") ?? toolMissing("g++") ?? toolMissing("ld");
const skip = skipBecause(missing, "lang_exclude on real Rust/C++/C objects");
const noPahole = skipBecause(upstreamPaholeMissing(), "the comparison with upstream pahole --lang_exclude");
const noKernel = skipKernel("kernel loads of the lang_exclude objects");
const dir = mkdtempSync(join(tmpdir(), "btforge-lang-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => join(dir, name);

const C = `struct c_only { int a; long b; };
struct shared_c { char c; };
int c_counter;
struct c_only c_var;
int c_func(struct c_only *p, struct shared_c *s) { return p->a + s->c; }
`;
const RUST = `#![no_std]
#![crate_type = "lib"]
pub struct Point { pub x: u8, pub y: u64, pub z: u16 }
pub enum Shape { Circle(u32), Rect { w: u16, h: u16 }, Empty }
#[repr(C)]
pub struct CPoint { pub a: i32, pub b: i64 }
#[no_mangle]
pub extern "C" fn rust_area(s: &Shape, p: &Point, c: &CPoint) -> u64 {
    match s { Shape::Circle(r) => *r as u64 + p.y + c.b as u64, Shape::Rect { w, h } => (*w as u64) * (*h as u64) + p.x as u64, Shape::Empty => p.z as u64 }
}
#[no_mangle]
pub static mut RUST_COUNTER: Option<u32> = None;
`;
const CXX = `namespace ns { struct Inner { int v; virtual ~Inner() {} }; }
template <typename T> struct Box { T val; T get() const { return val; } };
struct Derived { int d; int& ref; Derived(int& r): ref(r) {} };
enum class Color : short { Red = 1, Green = 2 };
Box<long> box_long;
Box<ns::Inner*> box_inner;
Color colour = Color::Green;
extern "C" int cpp_func(Derived *d, Box<int> *b) { return d->d + b->get() + (int)colour; }
`;

/** A configuration file: the profile with these features over it. */
function config(name: string, profile: string, features: Record<string, unknown>): string {
  const path = file(`${name}.json`);
  writeFileSync(path, JSON.stringify({ extends: profile, features }));
  return path;
}

async function encode(input: string, configFile: string): Promise<Encoding> {
  const encoder = await createEncoder({ cwd: dir, configFile });
  return encoder.run(input, { until: "finalize" });
}

const namedTypes = (t: BtfTable) => {
  const out: string[] = [];
  for (let id = t.firstId; id <= t.lastId; id++) if (t.nameOff(id) !== 0) out.push(`${t.typeView(id).kind} ${t.name(id)}`);
  return out.sort();
};

const C_NAMES = ["FUNC c_func", "INT char", "INT int", "INT long int", "STRUCT c_only", "STRUCT shared_c"];
// rustc puts functions and statics in a DW_TAG_namespace (the crate): the function and variable
// walks look at a unit's top level only, so they become no FUNC or VAR either way.
const RUST_NAMES = ["STRUCT Point", "STRUCT CPoint", "STRUCT Shape", "INT u64"];

beforeAll(() => {
  if (skip) return;
  writeFileSync(file("c.c"), C);
  writeFileSync(file("r.rs"), RUST);
  writeFileSync(file("cxx.cc"), CXX);
  execFileSync("gcc", ["-g", "-O2", "-c", file("c.c"), "-o", file("c.o")]);
  execFileSync("rustc", ["--emit=obj", "-g", "-C", "opt-level=1", "-C", "panic=abort", file("r.rs"), "-o", file("r.o")], { stdio: "pipe" });
  execFileSync("g++", ["-g", "-O2", "-c", file("cxx.cc"), "-o", file("cxx.o")]);
  execFileSync("ld", ["-r", "-o", file("mixed.o"), file("c.o"), file("r.o"), file("cxx.o")]);
  execFileSync("ld", ["-r", "-o", file("c-rust.o"), file("c.o"), file("r.o")]);
}, 120_000);

describe.skipIf(skip)("lang_exclude on C + Rust + C++ linked together", () => {
  test("default profile (rust left out, as a kernel build): no Rust type or function; C++ encoded with one warning", async () => {
    const e = await encode(file("mixed.o"), config("default", "default", {}));
    const names = namedTypes(e.btf);
    for (const n of C_NAMES) expect(names).toContain(n);
    for (const n of RUST_NAMES) expect(names).not.toContain(n);
    expect(names).toContain("FUNC cpp_func");
    expect((e.artifacts.get(TYPES_ARTIFACT) as TypesStats).excludedUnits).toEqual({ rust: 1 });
    expect(e.diagnostics.map((d) => d.message)).toEqual([expect.stringMatching(/^unit "[^"]*cxx\.cc" \(c\+\+14\): \d+ names BTF cannot carry dropped \(the types stay, anonymous\); lang_exclude=c\+\+14 leaves such units out$/)]);
    expect(validateBtf(encodedBytes(e)).ok).toBe(true);
    e.close();
  });

  test("rust and c++14 left out: exactly the C object's BTF", async () => {
    const cfg = config("c-only", "default", { lang_exclude: ["rust", "c++14"] });
    const mixed = await encode(file("mixed.o"), cfg);
    const alone = await encode(file("c.o"), cfg);
    expect(namedTypes(mixed.btf)).toEqual(C_NAMES);
    expect(Buffer.from(encodedBytes(mixed)).equals(Buffer.from(encodedBytes(alone)))).toBe(true);
    expect(mixed.diagnostics).toEqual([]);
    mixed.close();
    alone.close();
  });

  test.skipIf(noPahole)("upstream pahole without --lang_exclude: Rust names the kernel rejects, and no BTF at all for C++", () => {
    const rust = file("pahole-rust.o");
    copyFileSync(file("r.o"), rust);
    execFileSync(UPSTREAM_PAHOLE, ["-J", "--btf_features=default", rust], { stdio: "pipe" });
    const verdict = validateBtf(readBtfBytes(rust));
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]!.message).toMatch(/Invalid name/);
    if (!noKernel) expect(loadIntoKernel(readBtfBytes(rust)).accepted).toBe(false);
    const cxx = file("pahole-cxx.o");
    copyFileSync(file("cxx.o"), cxx);
    const r = spawnSync(UPSTREAM_PAHOLE, ["-J", "--btf_features=default", cxx], { encoding: "utf8" });
    expect(r.stderr).toMatch(/Unsupported DW_TAG_reference_type/);
    expect(() => readBtfBytes(cxx)).toThrow(/no BTF/);
  });

  test.skipIf(noPahole)("equal to upstream pahole --lang_exclude=rust, type for type", async () => {
    const copy = file("pahole-c-rust.o");
    copyFileSync(file("c-rust.o"), copy);
    execFileSync(UPSTREAM_PAHOLE, ["-J", "--btf_features=default", "--lang_exclude=rust", copy], { stdio: "pipe" });
    const e = await encode(file("c-rust.o"), config("default2", "default", {}));
    expect(dumpRaw(parseBtf(encodedBytes(e)))).toBe(dumpRaw(readBtfFile(copy)));
    e.close();
  });

  test("nothing left out: the Rust unit as far as BTF can say it, valid and loaded by the kernel", async () => {
    const e = await encode(file("mixed.o"), config("all-langs", "default", { lang_exclude: [] }));
    const names = namedTypes(e.btf);
    for (const n of [...C_NAMES, ...RUST_NAMES, "FUNC cpp_func"]) expect(names).toContain(n);
    const point = (() => {
      for (let id = 1; id <= e.btf.lastId; id++) if (e.btf.name(id) === "Point") return e.btf.typeView(id);
      throw new Error("no Point");
    })();
    // rustc lays Point out as y, z, x; BTF lists members by offset.
    expect((point.members as { name: string; bitOffset: number }[]).map((m) => m.name)).toEqual(["y", "z", "x"]);
    expect(e.diagnostics.map((d) => d.message).sort()).toEqual([
      expect.stringMatching(/^unit "[^"]*cxx\.cc" \(c\+\+14\): \d+ names BTF cannot carry dropped/),
      expect.stringMatching(/^unit "[^"]*r\.rs\/@\/[^"]*" \(rust\): 1 name BTF cannot carry dropped \(the types stay, anonymous\); lang_exclude=rust leaves such units out$/),
    ]);
    const bytes = encodedBytes(e);
    expect(validateBtf(bytes).ok).toBe(true);
    if (!noKernel) expectKernelAccepts(bytes, "mixed.o with every language");
    e.close();
  });

  test("an excluded unit's variables are skipped as such (all-globals); left in, the C++ globals are VARs", async () => {
    const vars = (t: BtfTable) => namedTypes(t).filter((n) => n.startsWith("VAR "));
    const excluded = await encode(file("mixed.o"), config("globals", "all-globals", { lang_exclude: ["rust", "c++14"] }));
    expect(vars(excluded.btf)).toEqual(["VAR c_counter", "VAR c_var"]);
    expect((excluded.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats).skipped["language-excluded"]).toBe(3);
    excluded.close();
    const kept = await encode(file("mixed.o"), config("globals-cxx", "all-globals", {}));
    expect(vars(kept.btf)).toEqual(["VAR box_inner", "VAR box_long", "VAR c_counter", "VAR c_var", "VAR colour"]);
    expect((kept.artifacts.get(VARIABLES_ARTIFACT) as VariablesStats).skipped["language-excluded"]).toBeUndefined();
    expect(validateBtf(encodedBytes(kept)).ok).toBe(true);
    kept.close();
  });

  test.skipIf(cliMissing() !== undefined)("a Rust-only object: no types, nothing written, a warning saying why, exit 0", async () => {
    const out = file("rust-only.btf");
    const r = await runCli(["encode", file("r.o"), "-o", out]);
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n")[0]).toBe(`${file("r.o")}: profile default, not written (no types)`);
    expect(r.stderr.trimEnd().split("\n")).toEqual([`btforge: warning: no types to encode (every unit left out by lang_exclude: rust): nothing written`]);
    expect(existsSync(out)).toBe(false);
  });
});
