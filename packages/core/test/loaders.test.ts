// Core's loader plugins over real files: the committed sample object, a text file, a stripped copy.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { type BtforgeError, dwarfStats, Encoder, formatError, loaderPlugins } from "@btforge/core";
import { sortedCounts } from "../../../test/support/dwarf-counts.js";
import { llvmDwarfdumpCounts, llvmDwarfdumpMissing } from "../../../test/support/llvm-dwarfdump.js";
import { SAMPLE_OBJECT } from "../../../test/support/paths.js";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";

const dir = mkdtempSync(join(tmpdir(), "btforge-core-loaders-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const loaders = () => new Encoder({ plugins: loaderPlugins() });

describe("ElfLoaderPlugin and DwarfLoaderPlugin", () => {
  test.skipIf(skipBecause(llvmDwarfdumpMissing(), "loader vs llvm-dwarfdump"))("the sample's DWARF, as llvm-dwarfdump counts it", async () => {
    const encoding = await loaders().run(SAMPLE_OBJECT, { until: "dwarf" });
    try {
      const stats = dwarfStats(encoding.dwarf);
      const theirs = await llvmDwarfdumpCounts(SAMPLE_OBJECT);
      const ours = { units: stats.units, versions: stats.versions, unitTypes: stats.unitTypes, tags: stats.tags };
      expect(sortedCounts(ours)).toEqual(sortedCounts(theirs));
      expect(encoding.timings.taps.map((t) => `${t.hook}/${t.plugin}`)).toEqual(["load/elf-loader", "dwarf/dwarf-loader"]);
    } finally {
      encoding.close();
    }
  });

  test("runOn reuses a parsed input: the loaders read nothing again", async () => {
    const first = await loaders().run(SAMPLE_OBJECT, { until: "dwarf" });
    try {
      const seen: unknown[] = [];
      const second = new Encoder({
        plugins: [...loaderPlugins(), { apply: (e) => e.hooks.types.tap("look", (enc) => void seen.push(enc.elf, enc.dwarf)) }],
      });
      const again = await second.runOn(first.input, { until: "types" });
      expect(again).not.toBe(first);
      expect(seen).toEqual([first.elf, first.dwarf]);
      expect(seen[0]).toBe(first.elf);
      expect(seen[1]).toBe(first.dwarf);
      again.close(); // borrowed: must not close the first encoding's file
      expect(first.elf.readSection(".debug_abbrev")?.length).toBeGreaterThan(0);
    } finally {
      first.close();
    }
  });

  test("a text file: the ELF reader's error, named by core's plugin and hook", async () => {
    const path = join(dir, "not-elf.txt");
    writeFileSync(path, "hello\n".repeat(20));
    const err = (await loaders().run(path).catch((e: unknown) => e)) as BtforgeError;
    expect(err.code).toBe("ELF_NOT_ELF");
    expect(err.location?.file).toBe(path);
    expect(err.plugin).toBe("elf-loader");
    expect(err.hook).toBe("load");
    expect(formatError(err).split("\n")).toHaveLength(1);
  });

  test.skipIf(skipBecause(toolMissing("objcopy"), "NO_DWARF case"))("an ELF without DWARF: NO_DWARF", async () => {
    const path = join(dir, "stripped.o");
    copyFileSync(SAMPLE_OBJECT, path);
    execFileSync("objcopy", ["--strip-debug", path]);
    const err = (await loaders().run(path).catch((e: unknown) => e)) as BtforgeError;
    expect(err.code).toBe("NO_DWARF");
    expect(err.plugin).toBe("dwarf-loader");
    expect(formatError(err)).toBe(`btforge: ${path}: no DWARF: the file has no .debug_info section (built without -g, or stripped?)`);
  });
});
