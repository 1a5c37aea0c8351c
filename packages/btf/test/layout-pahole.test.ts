// BTF with a kind layout section as upstream pahole writes it (--btf_features=default,layout), for
// an object compiled here and for the cached Debian 6.1 vmlinux: read, written back byte for byte
// (also through the other byte order), dumped as bpftool dumps it, validated per target, and
// refused by the running kernel (6.18 knows no layout section) with the reason its rules give.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runUpstreamPahole, upstreamPaholeMissing } from "../../../test/support/upstream-pahole.js";
import { kernelMissing, VMLINUX } from "../../../test/support/kernel-files.js";
import { skipBecause, skipKernel, toolMissing } from "../../../test/support/tools.js";
import { dumpRaw } from "../src/dump.js";
import { loadIntoKernel, runningKernelTarget } from "../src/kernel/index.js";
import { parseBtf } from "../src/parse.js";
import { formatProblems, validateBtf } from "../src/validate/index.js";
import { writeBtf } from "../src/write.js";
import { LIBBPF_LAYOUTS } from "./layout-blobs.js";

const C_SOURCE = `
struct list { struct list *next, *prev; };
struct obj { unsigned a:3, b:5; long l; struct list node; char name[16]; float f; double d[2]; };
union val { int i; double d; char s[8]; };
enum color { RED, GREEN = 5, BLUE = -1 };
enum big { HUGE = 1ULL << 40 };
typedef int (*cb_t)(const char *, ...);
struct obj gobj;
union val gval;
enum color gcolor;
enum big gbig;
cb_t gcb;
int use(struct obj *o, const volatile union val *v, ...) { return o->a + v->i; }
`;

const noGcc = toolMissing("gcc");
const noPahole = upstreamPaholeMissing();
const skipFixture = skipBecause(noGcc ?? noPahole, "upstream pahole's layout BTF of a compiled object");
const dir = mkdtempSync(join(tmpdir(), "btforge-layout-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** upstream pahole's raw BTF of `input` with the given --btf_features (a child process the test awaits). */
async function paholeBtf(input: string, features: string, out: string): Promise<Uint8Array> {
  const r = await runUpstreamPahole([`--btf_features=${features}`, `--btf_encode_detached=${out}`, input]);
  if (r.status !== 0) throw new Error(`upstream pahole failed on ${input}: ${r.stderr.trim()}`);
  return new Uint8Array(readFileSync(out));
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/** The checks every layout blob from pahole must pass. */
function checkRoundTrip(bytes: Uint8Array): void {
  const t = parseBtf(bytes);
  // libbpf's layout: 32-byte header, types, the layout section, strings.
  expect(t.header).toMatchObject({ hdrLen: 32, typeOff: 0, layoutOff: t.header!.typeLen, layoutLen: 80, strOff: t.header!.typeLen + 80 });
  expect(t.kindLayouts!.map((l) => [l.infoSize, l.elemSize, l.flags])).toEqual(LIBBPF_LAYOUTS.map(([i, e]) => [i, e, 0]));
  expect(same(writeBtf(t), bytes)).toBe(true);
  const big = writeBtf(t, { endianness: "big" });
  expect(same(big, bytes)).toBe(false);
  expect(same(writeBtf(parseBtf(big), { endianness: "little" }), bytes)).toBe(true);
}

describe.skipIf(skipFixture)("upstream pahole --btf_features=default,layout on a compiled object", () => {
  let withLayout: Uint8Array;
  let without: Uint8Array;
  beforeAll(async () => {
    writeFileSync(join(dir, "f.c"), C_SOURCE);
    execFileSync("gcc", ["-g", "-O2", "-c", "f.c", "-o", "f.o"], { cwd: dir, stdio: "pipe" });
    withLayout = await paholeBtf(join(dir, "f.o"), "default,layout", join(dir, "layout.btf"));
    without = await paholeBtf(join(dir, "f.o"), "default", join(dir, "plain.btf"));
  });

  test("read and written back byte for byte, in either byte order", () => {
    checkRoundTrip(withLayout);
  });

  test("the types are those pahole writes without the feature; only the layout section differs", () => {
    const a = parseBtf(withLayout);
    const b = parseBtf(without);
    expect(b.kindLayouts).toBeUndefined();
    expect(dumpRaw(a)).toBe(dumpRaw(b));
    expect(same(a.strings.bytes(), b.strings.bytes())).toBe(true);
  });

  test.skipIf(skipBecause(toolMissing("bpftool"), "bpftool dump of layout BTF"))("dumped as bpftool dumps it", () => {
    const theirs = execFileSync("bpftool", ["btf", "dump", "file", join(dir, "layout.btf")], { encoding: "utf8" });
    expect(dumpRaw(parseBtf(withLayout))).toBe(theirs);
  });

  test("valid for 7.1 and later; before 7.1 the layout fields are an unsupported header", () => {
    expect(formatProblems(validateBtf(withLayout, { target: "7.1" }))).toEqual([]);
    expect(validateBtf(withLayout).ok).toBe(true);
    for (const target of ["6.1", "6.18", "7.0"]) {
      expect(validateBtf(withLayout, { target }).problems[0]).toMatchObject({ reason: "Unsupported btf_header", offset: 24 });
    }
    // Without the feature pahole writes a 32-byte header too, with zero layout fields: every kernel takes it.
    expect(parseBtf(without).header!.hdrLen).toBe(32);
    expect(validateBtf(without, { target: "6.1" }).ok).toBe(true);
  });

  const running = runningKernelTarget();
  const noKernel = skipKernel("kernel verdict on layout BTF") || skipBecause(running.ok ? undefined : running.reason, "kernel verdict on layout BTF");
  test.skipIf(noKernel)("the running kernel's verdict is the one its rules give offline", () => {
    const v = loadIntoKernel(withLayout);
    if (!running.ok) throw new Error(running.reason);
    const offline = validateBtf(withLayout, { target: running.target });
    expect(v.accepted).toBe(offline.ok);
    if (!v.accepted) {
      expect(v.errno).toBe("E2BIG");
      expect(v.log.trimEnd().split("\n").pop()).toBe(offline.problems[0]!.reason);
    }
    expect(loadIntoKernel(without).accepted).toBe(true);
  });
});

describe.skipIf(skipBecause(noPahole ?? kernelMissing(), "upstream pahole's layout BTF of the cached vmlinux"))("upstream pahole --btf_features=default,layout on the Debian 6.1 vmlinux", () => {
  let bytes: Uint8Array;
  beforeAll(async () => {
    bytes = await paholeBtf(VMLINUX, "default,layout", join(dir, "vmlinux.btf"));
  });

  test("read and written back byte for byte, in either byte order", () => {
    expect(bytes.length).toBeGreaterThan(1_000_000);
    checkRoundTrip(bytes);
  });

  test.skipIf(skipBecause(toolMissing("bpftool"), "bpftool dump of the vmlinux layout BTF"))("dumped as bpftool dumps it, line for line", () => {
    const theirs = execFileSync("bpftool", ["btf", "dump", "file", join(dir, "vmlinux.btf")], { encoding: "utf8", maxBuffer: 1 << 30 });
    const ours = dumpRaw(parseBtf(bytes));
    expect(ours.length).toBe(theirs.length);
    expect(ours === theirs).toBe(true);
  });

  test("valid by the rules of 7.1, refused by those of 6.1", () => {
    expect(validateBtf(bytes, { target: "7.1", maxProblems: 3 }).ok).toBe(true);
    expect(validateBtf(bytes, { target: "6.1" }).problems[0]!.reason).toBe("Unsupported btf_header");
  });
});
