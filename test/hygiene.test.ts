/**
 * The rules the suites live by, checked so they cannot quietly lapse (issue 12):
 * - every test file vitest runs is type-checked by `npm test` (tsconfig.tests.json);
 * - a missing peer skips with its reason printed, and fails where CI said every peer is installed;
 * - tests ask whether the kernel can load BTF through test/support/tools.ts (skipKernel,
 *   kernelLoadMissing) and assert through test/support/kernel-check.ts, never kernelAvailable()
 *   directly, whose result was once read through a property it does not have;
 * - no test asserts how fast something ran (speed belongs to the bench scripts).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { REPO_ROOT } from "./support/paths.js";
import { skipBecause } from "./support/tools.js";

/** Every *.test.ts under the folders vitest.config.ts includes. */
function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === "node_modules" || e.name === "dist" || e.name.startsWith(".")) continue;
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith(".test.ts")) out.push(relative(REPO_ROOT, path));
    }
  };
  walk(join(REPO_ROOT, "test"));
  for (const group of ["packages", "plugins"]) {
    for (const pkg of readdirSync(join(REPO_ROOT, group))) {
      try {
        walk(join(REPO_ROOT, group, pkg, "test"));
      } catch {
        // A package without tests.
      }
    }
  }
  return out.sort();
}

describe("test hygiene", () => {
  test("tsc type-checks every test file vitest runs", () => {
    const listed = execFileSync(process.execPath, [join(REPO_ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.tests.json", "--listFilesOnly"], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      maxBuffer: 1 << 26,
    });
    const checked = new Set(listed.split("\n").filter(Boolean).map((f) => relative(REPO_ROOT, f.trim())));
    const files = testFiles();
    expect(files.length).toBeGreaterThan(50);
    expect(files.filter((f) => !checked.has(f))).toEqual([]);
  });

  /** What a test file does that the rules above forbid, one line each. */
  function offences(file: string, text: string): string[] {
    const out: string[] = [];
    if (/\bkernelAvailable\(/.test(text)) out.push(`${file}: kernelAvailable() (use skipKernel / kernelLoadMissing)`);
    if (/spawnSync\([^)]*\[\s*"(--version|version)"\s*\]/.test(text)) out.push(`${file}: its own tool probe (use toolMissing)`);
    if (/performance\.now\(\)[^;\n]*\)\.toBeLessThan|toBeLessThan\([^)]*\b(ms|Ms|seconds)\b/.test(text)) out.push(`${file}: a timed assertion`);
    return out;
  }

  test("the rules catch what they are about", () => {
    expect(offences("a", "const k = kernelAvailable();\nif (k.available) load();")).toHaveLength(1);
    expect(offences("b", 'const missing = spawnSync("zstd", ["--version"]).status !== 0;')).toHaveLength(1);
    expect(offences("c", "expect(ms).toBeLessThan(theirs.ms + 4000);")).toHaveLength(1);
    expect(offences("d", 'if (!skipKernel("x")) expectKernelAccepts(bytes, "x");')).toEqual([]);
  });

  test("no test reads kernelAvailable() itself, finds tools its own way, or times itself", () => {
    const self = relative(REPO_ROOT, new URL(import.meta.url).pathname);
    const found = testFiles()
      .filter((f) => f !== self)
      .flatMap((f) => offences(f, readFileSync(join(REPO_ROOT, f), "utf8")));
    expect(found).toEqual([]);
  });

  describe("skipBecause", () => {
    const saved = process.env.BTFORGE_REQUIRE_PEERS;
    afterEach(() => {
      if (saved === undefined) delete process.env.BTFORGE_REQUIRE_PEERS;
      else process.env.BTFORGE_REQUIRE_PEERS = saved;
      vi.restoreAllMocks();
    });

    test("prints the reason and skips; runs when nothing is missing", () => {
      delete process.env.BTFORGE_REQUIRE_PEERS;
      const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
      expect(skipBecause("frobtool is not installed", "the frob comparison")).toBe(true);
      expect(warn).toHaveBeenCalledWith("skipping the frob comparison: frobtool is not installed");
      expect(skipBecause(undefined, "the frob comparison")).toBe(false);
    });

    test("fails instead where CI says every peer is installed", () => {
      process.env.BTFORGE_REQUIRE_PEERS = "1";
      expect(() => skipBecause("frobtool is not installed", "the frob comparison")).toThrow(/the frob comparison cannot run: frobtool is not installed/);
      expect(skipBecause(undefined, "the frob comparison")).toBe(false);
    });
  });
});
