// The built CLI as a user runs it (`node packages/cli/dist/bin.js`; build first with `npx tsc -b`):
// dwarf-stats output against llvm-dwarfdump, its text table, and errors as one line with exit 1
// (input) or 2 (usage, configuration).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { sortedCounts } from "../../../test/support/dwarf-counts.js";
import { llvmDwarfdumpCounts, llvmDwarfdumpMissing } from "../../../test/support/llvm-dwarfdump.js";
import { CLI_BIN, FIXTURE_OBJ_DIR, SAMPLE_OBJECT } from "../../../test/support/paths.js";
import { skipBecause } from "../../../test/support/tools.js";

const notBuilt = skipBecause(cliMissing(), "CLI tests");
const dir = mkdtempSync(join(tmpdir(), "btforge-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A DWARF 4 object with .debug_types type units: more than one unit type and version to count.
const TYPE_UNITS_FIXTURE = join(FIXTURE_OBJ_DIR, "gcc12-dwarf4-types-O0-recursive.o");

function expectOneLine(stderr: string, ...contains: string[]): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines, stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^btforge: /);
  for (const c of contains) expect(lines[0]).toContain(c);
}

describe("btforge dwarf-stats", () => {
  for (const file of [SAMPLE_OBJECT, TYPE_UNITS_FIXTURE]) {
    test.skipIf(notBuilt || skipBecause(llvmDwarfdumpMissing(), "CLI vs llvm-dwarfdump"))(`--json on ${file.split("/").pop()} equals llvm-dwarfdump`, async () => {
      const r = await runCli(["dwarf-stats", file, "--json"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const json = JSON.parse(r.stdout) as Record<string, unknown>;
      expect(Object.keys(json)).toEqual(["file", "units", "versions", "unitTypes", "tags"]);
      expect(json.file).toBe(file);
      const { units, versions, unitTypes, tags } = json as { units: number; versions: Record<string, number>; unitTypes: Record<string, number>; tags: Record<string, number> };
      expect(sortedCounts({ units, versions, unitTypes, tags })).toEqual(sortedCounts(await llvmDwarfdumpCounts(file)));
    });
  }

  test.skipIf(notBuilt)("text: an aligned table by count, descending, with the total", async () => {
    const [text, json] = await Promise.all([runCli(["dwarf-stats", TYPE_UNITS_FIXTURE]), runCli(["dwarf-stats", TYPE_UNITS_FIXTURE, "--json"])]);
    expect(text.code).toBe(0);
    const stats = JSON.parse(json.stdout) as { units: number; tags: Record<string, number> };
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(TYPE_UNITS_FIXTURE);
    expect(lines[1]).toMatch(new RegExp(`^units: ${stats.units} \\(DWARF 4: ${stats.units}; DW_UT_type: \\d+, DW_UT_compile: 1\\)$`));
    const header = lines.indexOf("tag" + lines.find((l) => l.startsWith("tag "))!.slice(3));
    const rows = lines.slice(header + 1, -1).map((l) => /^(DW_TAG_\w+) +(\d+)$/.exec(l)!);
    expect(rows.every((m) => m !== null)).toBe(true);
    expect(Object.fromEntries(rows.map((m) => [m[1], Number(m[2])]))).toEqual(stats.tags);
    const counts = rows.map((m) => Number(m[2]));
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect(new Set(lines.slice(header).map((l) => l.length)).size).toBe(1); // right-aligned counts
    const total = Object.values(stats.tags).reduce((a, b) => a + b, 0);
    expect(lines.at(-1)).toMatch(new RegExp(`^total +${total}$`));
  });
});

describe("errors", () => {
  test.skipIf(notBuilt)("a file that is not ELF: one line, exit 1; --verbose adds the trail", async () => {
    const path = join(dir, "notes.txt");
    writeFileSync(path, "not an object file\n".repeat(8));
    const r = await runCli(["dwarf-stats", path]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, path);
    const verbose = await runCli(["dwarf-stats", path, "--verbose"]);
    const lines = verbose.stderr.trimEnd().split("\n").filter((l) => !l.startsWith("btforge: trace: "));
    expect(lines[0]).toBe(r.stderr.trimEnd());
    expect(lines[1]).toBe("  in plugin elf-loader, hook load, phase load [ELF_NOT_ELF]");
    expect(verbose.stderr).not.toMatch(/\n\s+at /);
  });

  test.skipIf(notBuilt)("a missing file: one line naming it, exit 1", async () => {
    const path = join(dir, "missing.o");
    const r = await runCli(["dwarf-stats", path]);
    expect(r.code).toBe(1);
    expectOneLine(r.stderr, path);
  });

  test.skipIf(notBuilt)("the stack only with BTFORGE_DEBUG=1", () => {
    const r = spawnSync(process.execPath, [CLI_BIN, "dwarf-stats", join(dir, "missing.o")], { encoding: "utf8", env: { ...process.env, BTFORGE_DEBUG: "1" } });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  test.skipIf(notBuilt)("an invalid --config file: one line per problem, exit 2", async () => {
    const config = join(dir, "bad.json");
    writeFileSync(config, JSON.stringify({ plugins: [7], features: { var: "most" } }));
    const r = await runCli(["dwarf-stats", SAMPLE_OBJECT, "--config", config]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n").sort()).toEqual(
      [`btforge: ${config}: /plugins/0: must be string or [name, options]`, `btforge: ${config}: /features/var: must be boolean`].sort(),
    );
  });

  test.skipIf(notBuilt)("an invalid configuration found in the working directory, exit 2", async () => {
    const project = join(dir, "project");
    spawnSync("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), "{}");
    writeFileSync(join(project, ".btforgerc.yaml"), "jobs: many\n");
    const r = await runCli(["dwarf-stats", SAMPLE_OBJECT], { cwd: project });
    expect(r.code).toBe(2);
    expectOneLine(r.stderr, ".btforgerc.yaml: /jobs: must be integer");
  });

  test.skipIf(notBuilt)("usage errors exit 2: unknown profile, unknown option, missing argument", async () => {
    const profile = await runCli(["dwarf-stats", SAMPLE_OBJECT, "--profile", "fastest"]);
    expect(profile.code).toBe(2);
    expectOneLine(profile.stderr, 'unknown profile "fastest"');
    const option = await runCli(["dwarf-stats", SAMPLE_OBJECT, "--colour"]);
    expect(option.code).toBe(2);
    expectOneLine(option.stderr, "--colour");
    const argument = await runCli(["dwarf-stats"]);
    expect(argument.code).toBe(2);
    expectOneLine(argument.stderr, "file");
  });

  test.skipIf(notBuilt)("--version prints the package version", async () => {
    const r = await runCli(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
