// The validator's target: one blob, several kernels, each with its own verdict. The cases are the
// rules that changed (header size and layout section in 7.1, the wide info field in 7.2, kinds and
// kind flags before); where the running kernel can be reached, every case is also loaded into it
// and the offline verdict by the running kernel's rules must be the kernel's, reason included.

import { describe, expect, test } from "vitest";
import { BtfKind } from "../src/constants.js";
import { loadManyIntoKernel, runningKernelTarget } from "../src/kernel/index.js";
import { skipBecause, skipKernel } from "../../../test/support/tools.js";
import { kernelRules, knownRuleVersions, NEWEST_KNOWN_KERNEL, parseKernelVersion } from "../src/validate/targets.js";
import { formatProblems, validateBtf } from "../src/validate/index.js";
import { info, LIBBPF_LAYOUTS, rawBlob, strOff } from "./layout-blobs.js";
import { BlobBuilder } from "./validate-blobs.js";

interface TargetCase {
  name: string;
  bytes: Uint8Array;
  /** Per target: undefined when valid, else the kernel's first reason. */
  verdicts: Record<string, string | undefined>;
}

const STRINGS = "\0int\0x\0s\0loc\0ab\0"; // 16 bytes: every section order stays aligned
const plainTypes = (strings = STRINGS) => [
  [strOff(strings, "int"), info(BtfKind.INT, 0), 4, 0x01000020],
  [strOff(strings, "s"), info(BtfKind.STRUCT, 1), 4, strOff(strings, "x"), 1, 0],
];

const withLayout = () => rawBlob({ types: plainTypes(), strings: STRINGS, layouts: LIBBPF_LAYOUTS });

/** The layout section last, then its length patched and the blob cut to match (a bad layout the sections still tile). */
function layoutOfLength(len: number): Uint8Array {
  const { bytes } = rawBlob({ types: plainTypes(), strings: STRINGS, layouts: LIBBPF_LAYOUTS, order: ["types", "strings", "layout"] });
  const out = bytes.slice(0, bytes.length - 80 + len);
  new DataView(out.buffer).setUint32(28, len, true);
  return out;
}

function built(build: (b: BlobBuilder) => void): Uint8Array {
  const b = new BlobBuilder();
  build(b);
  return b.bytes();
}

/** A struct of n anonymous int members: vlen n. */
function wideStruct(n: number): Uint8Array {
  const members: number[] = [];
  for (let i = 0; i < n; i++) members.push(0, 1, i * 32);
  return rawBlob({ types: [plainTypes()[0]!, [strOff(STRINGS, "s"), info(BtfKind.STRUCT, n), n * 4, ...members]], strings: STRINGS }).bytes;
}

const unknownKind = (kind: number, layout: boolean) =>
  rawBlob({
    types: [plainTypes()[0]!, [strOff(STRINGS, "loc"), info(kind, 0), 1]],
    strings: STRINGS,
    layouts: layout ? [...LIBBPF_LAYOUTS, ...Array.from({ length: kind - 20 }, () => [0, 0]), [0, 0]] : undefined,
  }).bytes;

const INVALID_HEADER = "Unsupported btf_header";

function cases(): TargetCase[] {
  const partial = rawBlob({ types: plainTypes(), strings: STRINGS, hdrLen: 28 }).bytes;
  partial.fill(1, 24, 28);
  const unaligned = "\0int\0x\0s\0"; // 10 bytes: a layout section after it is misaligned
  return [
    { name: "layout section, as pahole --btf_features=layout writes it", bytes: withLayout().bytes, verdicts: { "6.1": INVALID_HEADER, "6.18": INVALID_HEADER, "7.0": INVALID_HEADER, "7.1": undefined, "7.2": undefined } },
    { name: "32-byte header with zero layout fields", bytes: rawBlob({ types: plainTypes(), strings: STRINGS, hdrLen: 32 }).bytes, verdicts: { "6.1": undefined, "6.18": undefined, "7.1": undefined } },
    {
      name: "strings before types under a 32-byte header",
      bytes: rawBlob({ types: plainTypes(), strings: STRINGS, hdrLen: 32, order: ["strings", "types"] }).bytes,
      verdicts: { "6.18": "String section is not at the end", "7.1": undefined },
    },
    { name: "hdr_len 28, bytes in the partial layout field", bytes: partial, verdicts: { "6.18": INVALID_HEADER, "7.1": undefined } },
    { name: "layout_len not a multiple of 4", bytes: layoutOfLength(78), verdicts: { "6.18": INVALID_HEADER, "7.1": "layout_len is not multiple of 4" } },
    { name: "layout_len 2", bytes: layoutOfLength(2), verdicts: { "6.18": INVALID_HEADER, "7.1": "Layout section is too small" } },
    {
      name: "layout section at an unaligned offset",
      bytes: rawBlob({ types: plainTypes(unaligned), strings: unaligned, layouts: LIBBPF_LAYOUTS, order: ["strings", "layout", "types"] }).bytes,
      verdicts: { "6.18": INVALID_HEADER, "7.1": "Unaligned layout_off" },
    },
    { name: "vlen 65536 (bit 16)", bytes: wideStruct(0x10000), verdicts: { "6.18": "Invalid btf_info:4010000", "7.1": "Invalid btf_info:4010000", "7.2": undefined } },
    { name: "kind 40 (bit 29)", bytes: unknownKind(40, false), verdicts: { "6.18": "Invalid btf_info:28000000", "7.2": "Invalid kind:40" } },
    { name: "kind 25, no layout section", bytes: unknownKind(25, false), verdicts: { "6.1": "Invalid kind:25", "6.18": "Invalid kind:25", "7.2": "Invalid kind:25" } },
    // The layout lets a reader step over kind 25; the 7.1 kernel still refuses a kind it does not know.
    { name: "kind 25 described by the layout section", bytes: unknownKind(25, true), verdicts: { "6.18": INVALID_HEADER, "7.1": "Invalid kind:25", "7.2": "Invalid kind:25" } },
    { name: "FLOAT (5.13)", bytes: built((b) => b.float("float", 4)), verdicts: { "5.10": "Invalid btf_info:10000000", "5.13": undefined } },
    {
      name: "DECL_TAG (5.16)",
      bytes: built((b) => b.declTag("tag", b.struct("s", 4, [["x", b.int("int"), 0]]))),
      verdicts: { "5.15": "Invalid kind:17", "5.16": undefined },
    },
    { name: "TYPE_TAG (5.17)", bytes: built((b) => b.ptr(b.typeTag("user", b.int("int")))), verdicts: { "5.16": "Invalid kind:18", "5.17": undefined } },
    { name: "ENUM64 (6.0)", bytes: built((b) => b.enum64("e", 8, [["A", 1n << 40n]])), verdicts: { "5.19": "Invalid kind:19", "6.0": undefined } },
    { name: "signed ENUM, kind_flag (6.0)", bytes: built((b) => b.enum("e", 4, [["A", -1]], true)), verdicts: { "5.19": "Invalid btf_info kind_flag", "6.0": undefined } },
    { name: "attribute TYPE_TAG, kind_flag (6.14)", bytes: built((b) => b.ptr(b.typeTag("aligned", b.int("int"), true))), verdicts: { "6.13": "Invalid btf_info kind_flag", "6.14": undefined } },
    {
      name: "attribute DECL_TAG, kind_flag (6.14)",
      bytes: built((b) => b.declTag("packed", b.struct("s", 4, [["x", b.int("int"), 0]]), -1, true)),
      verdicts: { "6.13": "Invalid btf_info kind_flag", "6.14": undefined },
    },
  ];
}

describe("verdicts per target kernel", () => {
  test.each(cases().map((c) => [c.name, c] as const))("%s", (_name, c) => {
    for (const [target, reason] of Object.entries(c.verdicts)) {
      const result = validateBtf(c.bytes, { target });
      const got = result.ok ? undefined : result.problems[0]!.reason;
      expect({ target, reason: got }, formatProblems(result).join("; ")).toEqual({ target, reason });
    }
  });

  test("the default target is the newest kernel the facts name; versions are read as the kernel prints them", () => {
    expect(NEWEST_KNOWN_KERNEL).toBe("7.2");
    expect(knownRuleVersions()).toContain("7.1");
    expect(kernelRules().version).toBe("7.2");
    expect(kernelRules("6.18.44-fc-v595").version).toBe("6.18");
    expect(parseKernelVersion("6.1")).toEqual([6, 1]);
    expect(parseKernelVersion("7")).toBeUndefined();
    // Between two changes, the older one's rules: 6.6 reads the 24-byte header and signed enums.
    expect(kernelRules("6.6")).toMatchObject({ headerSize: 24, enumKindFlag: true, tagKindFlag: false, layoutSection: false, wideInfo: false });
    expect(kernelRules("7.1")).toMatchObject({ headerSize: 32, layoutSection: true, wideInfo: false, infoMask: 0x9f00ffff });
    expect(kernelRules("7.2")).toMatchObject({ wideInfo: true, infoMask: 0xffffffff });
    expect(() => kernelRules("4.17")).toThrow(/Linux 4.17 has no BTF/);
    expect(() => kernelRules("9.0")).toThrow(/up to 7.2, not 9.0/);
    expect(() => validateBtf(new Uint8Array(0), { target: "six" })).toThrow(/not of the form/);
    expect(kernelRules("5.15").hasKind(BtfKind.DECL_TAG)).toBe(false);
    expect(kernelRules("5.16").hasKind(BtfKind.DECL_TAG)).toBe(true);
  });

  test("the default target judges by the newest rules: a layout section is valid", () => {
    expect(validateBtf(withLayout().bytes)).toEqual({ ok: true, problems: [] });
  });

  test("big-endian layout BTF, checked as its own kernel would (anyByteOrder): the layout fields and flags are read in its order", () => {
    const layouts = LIBBPF_LAYOUTS.map(([i, e]) => [i, e, 0x0102]);
    const big = rawBlob({ types: plainTypes(), strings: STRINGS, layouts, big: true }).bytes;
    expect(validateBtf(big, { target: "7.1", anyByteOrder: true })).toEqual({ ok: true, problems: [] });
    expect(validateBtf(big, { target: "7.0", anyByteOrder: true }).problems[0]!.reason).toBe("Unsupported btf_header");
    const cut = layoutOfLength(78);
    expect(validateBtf(cut, { target: "7.1", anyByteOrder: true }).problems[0]!.reason).toBe("layout_len is not multiple of 4");
  });
});

const running = runningKernelTarget();
const kernelSkip = skipKernel("the kernel cross-check of the target cases") || skipBecause(running.ok ? undefined : running.reason, "the kernel cross-check of the target cases");

describe.skipIf(kernelSkip)("the running kernel's verdicts are its rules' verdicts", () => {
  test("every case loaded into the running kernel: same verdict, same reason as offline by its version's rules", () => {
    const all = cases();
    const verdicts = loadManyIntoKernel(all.map((c) => c.bytes));
    const target = running.ok ? running.target : "";
    const rows = all.map((c, i) => {
      const offline = validateBtf(c.bytes, { target });
      const v = verdicts[i]!;
      const lastLine = v.log.trimEnd().split("\n").pop() ?? "";
      const reasonMatches = offline.ok || lastLine.trim().endsWith(offline.problems[0]!.reason);
      return { name: c.name, offline: offline.ok ? "accept" : offline.problems[0]!.reason, kernel: v.accepted ? "accept" : `${v.errno} ${lastLine.trim()}`, agree: offline.ok === v.accepted && reasonMatches };
    });
    console.log(`target cases on the running kernel (${target}):\n${rows.map((r) => `  ${r.agree ? "same" : "DIFF"}  ${r.name}: offline ${r.offline} | kernel ${r.kernel}`).join("\n")}`);
    expect(rows.filter((r) => !r.agree)).toEqual([]);
    // The layout section is the case that matters here: this kernel refuses it, and says why.
    const layout = verdicts[0]!;
    if (!running.ok || running.target !== "7.1") {
      expect(layout.accepted).toBe(false);
      expect(layout.log).toContain(INVALID_HEADER);
    }
  });
});
