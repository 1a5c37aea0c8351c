// The validator's rules one by one, on hand-built blobs: the verdict and the kernel's reason.
// Where the running kernel can be reached, the same blobs go to BPF_BTF_LOAD too, which checks
// that each expectation written here is the kernel's and not a guess.

import { describe, expect, test } from "vitest";
import { loadManyIntoKernel } from "../src/kernel/index.js";
import { skipKernel } from "../../../test/support/tools.js";
import { formatProblems, validateBtf } from "../src/validate/index.js";
import { BtfKind } from "../src/constants.js";
import { ruleCases } from "./validate-cases.js";
import { allKindsSeed, aggregatesSeed, chainsSeed, BlobBuilder } from "./validate-blobs.js";

const cases = ruleCases();
/**
 * The cases give the verdicts of Linux 6.18, the kernel they were checked against; the rules that
 * differ between kernels (header size, info bits, kind flags) are tested per target in
 * validate-targets.test.ts.
 */
const CASES_TARGET = "6.18";

describe("validateBtf rules", () => {
  test.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const result = validateBtf(c.bytes, { target: CASES_TARGET });
    if (c.reason === undefined) {
      expect(formatProblems(result)).toEqual([]);
      expect(result.ok).toBe(true);
    } else {
      expect(result.ok).toBe(false);
      expect(result.problems[0]!.reason).toBe(c.reason);
    }
  });

  test("valid blobs covering every kind", () => {
    expect(validateBtf(allKindsSeed().bytes())).toEqual({ ok: true, problems: [] });
    expect(validateBtf(aggregatesSeed().bytes())).toEqual({ ok: true, problems: [] });
    expect(validateBtf(chainsSeed().bytes())).toEqual({ ok: true, problems: [] });
  });

  test("problems name the type, its record offset, and read like the kernel's log", () => {
    const b = new BlobBuilder();
    const i = b.int("int");
    b.struct("s", 6, [["a", i, 0], ["b", i, 32]]);
    const result = validateBtf(b.bytes(), { name: "s.btf" });
    expect(result.problems).toEqual([
      {
        typeId: 2,
        offset: 24 + 16 + 12 + 12,
        reason: "Member exceeds struct_size",
        message: "STRUCT s size=6 vlen=2 member b type_id=1 bits_offset=32 Member exceeds struct_size",
      },
    ]);
    expect(formatProblems(result)).toEqual([
      "s.btf: [2] STRUCT s size=6 vlen=2 member b type_id=1 bits_offset=32 Member exceeds struct_size (offset 0x40)",
    ]);
  });

  test("a big-endian blob gets the kernel's reason and a hint", () => {
    const be = ruleCases().find((c) => c.name === "big-endian blob")!;
    const [p] = validateBtf(be.bytes).problems;
    expect(p!.reason).toBe("btf_header not found");
    expect(p!.message).toContain("big-endian");
    // The rules do not depend on byte order: on request, the blob is checked as a big-endian kernel would.
    expect(validateBtf(be.bytes, { anyByteOrder: true })).toEqual({ ok: true, problems: [] });
  });

  test("pass 1 reports every broken record it can walk past, the kernel's first one first", () => {
    const b = new BlobBuilder();
    b.float("f", 6);
    b.int("int", 4, 40);
    b.type(BtfKind.PTR, "p", 0, false, 0);
    const result = validateBtf(b.bytes());
    expect(result.problems.map((p) => [p.typeId, p.reason])).toEqual([
      [1, "Invalid type_size"],
      [2, "nr_bits exceeds type_size"],
      [3, "Invalid name"],
    ]);
    expect(validateBtf(b.bytes(), { maxProblems: 1 }).problems).toHaveLength(1);
  });
});

describe.skipIf(skipKernel("the kernel cross-check of the rule cases"))("the rule cases are the kernel's", () => {
  test("same verdict and same reason from BPF_BTF_LOAD", () => {
    const verdicts = loadManyIntoKernel(cases.map((c) => c.bytes));
    const mismatches: string[] = [];
    cases.forEach((c, i) => {
      const v = verdicts[i]!;
      const last = v.log.trimEnd().split("\n").pop()!.trim();
      if (c.reason === undefined ? !v.accepted : v.accepted || !last.endsWith(c.reason)) {
        mismatches.push(`${c.name}: expected ${c.reason ?? "accept"}, kernel ${v.accepted ? "accepted" : `${v.errno}: ${last}`}`);
      }
    });
    expect(mismatches).toEqual([]);
  });
});
