// The C header dumpC prints must compile and must reproduce the BTF's layout:
//  - the header of the host's /sys/kernel/btf/vmlinux compiles with clang -target bpf and gcc;
//  - a CO-RE BPF program on it compiles with clang -O2 -g -target bpf and carries CO-RE
//    relocations in .BTF.ext;
//  - a fixture of tricky layouts, turned into BTF by gcc + pahole and by clang -target bpf, is
//    dumped and compiled together with _Static_assert checks of every struct's size and every
//    member's offset, the numbers taken from the BTF (so a wrong padding or packing fails);
//    the fixture's dump is also compared with bpftool's.

import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BtfKind, BtfTable, dumpC, memberOffset, parseBtf } from "@btforge/btf";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import { bpftool, hasVmlinuxBtf, tempDir, VMLINUX_BTF } from "./helpers.js";

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const missing = toolMissing;
const skip = skipBecause;

/** Run a tool; on failure the error shows its stderr (the compiler's diagnostics). */
function run(tool: string, args: string[], cwd = dir): void {
  const r = spawnSync(tool, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${tool} ${args.join(" ")} failed:\n${r.stderr}`);
}

const noClang = missing("clang");
const noGcc = missing("gcc");
const noObjcopy = missing("llvm-objcopy");
const noPahole = missing("pahole");

describe("the vmlinux header", () => {
  const why = hasVmlinuxBtf ? undefined : `${VMLINUX_BTF} is absent`;
  const header = join(dir, "vmlinux.h");
  if (!why) writeFileSync(header, dumpC(parseBtf(readFileSync(VMLINUX_BTF), { name: VMLINUX_BTF })));
  writeFileSync(join(dir, "include.c"), '#include "vmlinux.h"\nint use_it(struct task_struct *t) { return t->pid; }\n');

  test.skipIf(skip(why ?? noClang, "the clang -target bpf compile of the vmlinux header"))("compiles with clang -target bpf", () => {
    run("clang", ["-target", "bpf", "-Werror", "-c", "include.c", "-o", "include.bpf.o"]);
  });

  test.skipIf(skip(why ?? noGcc, "the gcc compile of the vmlinux header"))("compiles with gcc (preserve_access_index pragma guarded out)", () => {
    run("gcc", ["-DBPF_NO_PRESERVE_ACCESS_INDEX", "-Wall", "-Werror", "-c", "include.c", "-o", "include.gcc.o"]);
  });

  test.skipIf(skip(why ?? noClang ?? noObjcopy, "the CO-RE program"))("a CO-RE BPF program on it compiles and has CO-RE relocations", () => {
    writeFileSync(
      join(dir, "core.c"),
      `#include "vmlinux.h"
#define SEC(name) __attribute__((section(name), used))
static long (*probe_read_kernel)(void *dst, __u32 size, const void *src) = (void *)113;

SEC("kprobe/do_nanosleep")
int on_sleep(struct pt_regs *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx->di;
	int pid = 0;
	struct task_struct *parent = 0;
	probe_read_kernel(&pid, sizeof(pid), __builtin_preserve_access_index(&task->pid));
	probe_read_kernel(&parent, sizeof(parent), __builtin_preserve_access_index(&task->real_parent));
	return pid + (parent != 0);
}
char LICENSE[] SEC("license") = "GPL";
`,
    );
    run("clang", ["-O2", "-g", "-target", "bpf", "-c", "core.c", "-o", "core.o"]);
    run("llvm-objcopy", ["--dump-section", ".BTF.ext=core.btf.ext", "core.o"]);
    // struct btf_ext_header: magic, version, flags, hdr_len, then four u32 of func/line info and
    // core_relo_off, core_relo_len (hdr_len 32 when CO-RE relocations are present).
    const ext = readFileSync(join(dir, "core.btf.ext"));
    expect(ext.readUInt16LE(0)).toBe(0xeb9f);
    expect(ext.readUInt32LE(4)).toBeGreaterThanOrEqual(32);
    const coreReloLen = ext.readUInt32LE(28);
    // Each record is 16 bytes (insn_off, type_id, access_str_off, kind) after a per-section
    // header; task->pid and task->real_parent (ctx->di too) give at least three.
    expect(coreReloLen).toBeGreaterThanOrEqual(3 * 16);
  });
});

// ---- layout fixture ---------------------------------------------------------------------------

const TRICKY_C = `
typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef long long s64;

struct bits { u8 a: 3; u8 b: 5; u32 c: 17; u32 : 0; u32 d: 2; u64 e: 40; int f: 3; char tail; };
struct __attribute__((packed)) packed_all { char c; int i; short s; u64 q; };
struct packed_member { char c; int i __attribute__((packed)); char d; u64 q; };
struct holds_packed { char c; struct packed_all inner; short after; };
struct __attribute__((packed, aligned(4))) packed_aligned { char c; int i; };
struct __attribute__((packed)) packed_bits { u8 a: 4; u32 b: 30; u64 c: 50; char d; };
typedef int aligned_int __attribute__((aligned(16)));
struct __attribute__((aligned(64))) cacheline { int counter; };
struct aligned_member { char c; int i __attribute__((aligned(32))); aligned_int ai; struct cacheline cl; char after; };
struct anon { int kind; union { int as_int; float as_float; struct { short lo; short hi; }; }; struct { char a; union { char b; unsigned char ub; }; }; long tail; };
struct flex { int n; long data[]; };
struct zero_len { int n; char z[0]; };
struct empty {};
struct holds_empty { int a; struct empty e; int b; };
typedef int (*binop_t)(int, int);
struct fnptrs {
	void (*cb)(void *ctx, const char *fmt, ...);
	int (*table[4])(long);
	binop_t ops[3];
	char *(*(*getter)(int))[8];
	void (*(*signal_like)(int, void (*)(int)))(int);
	int (*noargs)(void);
};
struct multi { int m[2][3][4]; char *names[5]; const volatile int *cvp; int *const cp; const char *const *ccp; int *volatile vp[2]; int (*arrp)[7]; };
enum neg { NEG_A = -5, NEG_B = -1, NEG_C = 0, NEG_D = 2147483647 };
enum big64 { BIG_A = 1, BIG_B = 0xffffffff00000000ULL, BIG_C = 0x8000000000000000ULL };
enum sbig64 { SB_A = -3, SB_B = 0x7fffffffffffLL };
enum __attribute__((packed)) small_enum { SMALL_A, SMALL_B = 200 };
struct enums_in { enum neg n; enum big64 b; enum sbig64 sb; enum small_enum se; enum small_enum se2; int after; enum { ANON_X = 7 } anon_e; };
typedef struct chain_s chain_s_t;
typedef chain_s_t chain2_t;
typedef const chain2_t chain3_t;
struct chain_s { chain3_t *self; chain2_t *other; int v; };
struct fwd_only;
struct uses_fwd { struct fwd_only *p; union fwd_union *u; };
struct node { struct node *next; struct list { struct node *first; } *owner; };
struct a_needs_b;
struct b_needs_a;
struct a_needs_b { struct b_needs_a *b; int x; };
struct b_needs_a { struct a_needs_b a; int y; };
union un { char c[3]; u64 q; struct { u16 x: 4; } bf; };
struct mixed_pad { char c; s64 big; char d; u16 s: 3; u16 t: 9; char e; };
struct all { struct bits a; struct packed_all b; struct packed_member c; struct holds_packed d; struct packed_aligned e;
	struct packed_bits e2; struct aligned_member f; struct anon g; struct zero_len h; struct holds_empty i; struct fnptrs j;
	struct multi k; struct enums_in l; struct chain_s m; struct uses_fwd n; struct node o; struct b_needs_a p; union un q;
	struct mixed_pad r; chain3_t *s; struct flex t; };
struct all g_all;
`;
// Two compilation units with different types of the same names: BTF keeps both.
const DUP_A_C = "struct dup { int a; char name[16]; };\ntypedef struct dup dup_t;\nenum dupe { DUP_ONE = 1 };\ndup_t dup_a_var;\nenum dupe dupe_a;\n";
const DUP_B_C = "struct dup { long x; long y; short z; };\ntypedef struct dup dup_t;\nenum dupe { DUP_ONE = 2, DUP_TWO = 3 };\ndup_t dup_b_var;\nenum dupe dupe_b;\n";

/** `_Static_assert`s of sizes and member offsets of every named struct/union, from the BTF. */
function layoutAsserts(table: BtfTable): string {
  const byName = new Map<string, number[]>();
  for (let id = 1; id <= table.lastId; id++) {
    const kind = table.kind(id);
    if ((kind !== BtfKind.STRUCT && kind !== BtfKind.UNION) || table.nameOff(id) === 0) continue;
    const key = `${kind === BtfKind.UNION ? "union" : "struct"} ${table.name(id)}`;
    byName.set(key, [...(byName.get(key) ?? []), id]);
  }
  const lines: string[] = [];
  for (const [tag, ids] of byName) {
    if (ids.length === 1) {
      const id = ids[0]!;
      lines.push(`_Static_assert(sizeof(${tag}) == ${table.sizeOrType(id)}, "size of ${tag}");`);
      forEachOffset(table, id, 0, (member, bytes) => lines.push(`_Static_assert(__builtin_offsetof(${tag}, ${member}) == ${bytes}, "${tag}.${member}");`));
    } else {
      // Which one became NAME___2 depends on dump order; the sizes must match as a set.
      const [a, b] = [table.sizeOrType(ids[0]!), table.sizeOrType(ids[1]!)];
      lines.push(`_Static_assert((sizeof(${tag}) == ${a} && sizeof(${tag}___2) == ${b}) || (sizeof(${tag}) == ${b} && sizeof(${tag}___2) == ${a}), "sizes of ${tag}");`);
    }
  }
  return lines.join("\n") + "\n";
}

/** Byte offsets of named non-bitfield members, through anonymous members (C11 reaches them directly). */
function forEachOffset(table: BtfTable, id: number, baseBits: number, visit: (member: string, bytes: number) => void): void {
  const kflag = table.kindFlag(id);
  const w = table.words(id);
  for (let at = 0; at < w.length; at += 3) {
    const bits = baseBits + memberOffset.bitOffset(w[at + 2]!, kflag);
    if (memberOffset.bitfieldSize(w[at + 2]!, kflag) !== 0) continue;
    if (w[at] === 0) {
      const kind = table.kind(w[at + 1]!);
      if (kind === BtfKind.STRUCT || kind === BtfKind.UNION) forEachOffset(table, w[at + 1]!, bits, visit);
    } else {
      visit(table.strings.get(w[at]!), bits / 8);
    }
  }
}

/** Dump, write header + asserts, compile; returns the number of assertions. */
function compileWithAsserts(table: BtfTable, name: string, compiler: string, flags: string[]): number {
  writeFileSync(join(dir, `${name}.h`), dumpC(table));
  const asserts = layoutAsserts(table);
  writeFileSync(join(dir, `${name}-check.c`), `#include "${name}.h"\n${asserts}`);
  run(compiler, [...flags, "-c", `${name}-check.c`, "-o", `${name}-check.o`]);
  return asserts.split("\n").length - 1;
}

function bpftoolC(file: string): string {
  return execFileSync(bpftool!, ["btf", "dump", "file", file, "format", "c"], { encoding: "utf8" });
}

describe("layout fixture: _Static_assert of sizes and offsets", () => {
  writeFileSync(join(dir, "tricky.c"), TRICKY_C);
  writeFileSync(join(dir, "dup_a.c"), DUP_A_C);
  writeFileSync(join(dir, "dup_b.c"), DUP_B_C);

  test.skipIf(skip(noGcc ?? noPahole, "the gcc + pahole layout fixture"))("gcc -g + pahole -J: the header compiles with gcc and every assert holds", () => {
    run("gcc", ["-g", "-c", "tricky.c", "-o", "tricky.o"]);
    run("gcc", ["-g", "-c", "dup_a.c", "-o", "dup_a.o"]);
    run("gcc", ["-g", "-c", "dup_b.c", "-o", "dup_b.o"]);
    run("ld", ["-r", "tricky.o", "dup_a.o", "dup_b.o", "-o", "fixture.o"]);
    run("pahole", ["-J", "--btf_encode_detached", "fixture.btf", "fixture.o"]);
    const file = join(dir, "fixture.btf");
    const table = parseBtf(readFileSync(file), { name: file });
    const header = dumpC(table);
    expect(header).toContain("struct dup___2 {");
    expect(header).toContain("DUP_ONE___2 = 2,");
    expect(header).toContain("} __attribute__((packed));");
    const n = compileWithAsserts(table, "fixture", "gcc", ["-DBPF_NO_PRESERVE_ACCESS_INDEX", "-Werror"]);
    expect(n).toBeGreaterThan(100);
    if (!noClang) compileWithAsserts(table, "fixture-clang", "clang", ["-DBPF_NO_PRESERVE_ACCESS_INDEX", "-Werror"]);
    if (bpftool) expect(withoutEnumModes(header)).toBe(bpftoolC(file));
  });

  test.skipIf(skip(noClang ?? noObjcopy, "the clang -target bpf layout fixture"))("clang -g -target bpf: the header compiles for bpf and every assert holds", () => {
    run("clang", ["-g", "-target", "bpf", "-c", "tricky.c", "-o", "tricky.bpf.o"]);
    run("llvm-objcopy", ["--dump-section", ".BTF=tricky.bpf.btf", "tricky.bpf.o"]);
    const file = join(dir, "tricky.bpf.btf");
    const table = parseBtf(readFileSync(file), { name: file });
    const n = compileWithAsserts(table, "tricky-bpf", "clang", ["-target", "bpf", "-Werror"]);
    expect(n).toBeGreaterThan(100);
    if (bpftool) expect(withoutEnumModes(dumpC(table))).toBe(bpftoolC(join(dir, "tricky.bpf.o")));
  });

  test.skipIf(skip(noGcc, "the negative layout check"))("the asserts can fail: a wrong size breaks the compile", () => {
    const t = new BtfTable();
    const int = t.addInt("int", 4, 1, 0, 32);
    const s = t.addStruct("probe", 8, [{ name: "a", type: int, bitOffset: 0 }]);
    writeFileSync(join(dir, "probe.h"), dumpC(t));
    const asserts = layoutAsserts(t).replace(`== ${t.sizeOrType(s)}`, "== 4");
    writeFileSync(join(dir, "probe-check.c"), `#include "probe.h"\n${asserts}`);
    expect(() => run("gcc", ["-DBPF_NO_PRESERVE_ACCESS_INDEX", "-c", "probe-check.c", "-o", "probe-check.o"])).toThrow(/size of struct probe/);
  });
});

/** The enum mode attributes libbpf 1.1 (bpftool 7.1) does not print; newer libbpf does. */
function withoutEnumModes(text: string): string {
  return text.replace(/ __attribute__\(\(mode\((byte|word)\)\)\)/g, "");
}
