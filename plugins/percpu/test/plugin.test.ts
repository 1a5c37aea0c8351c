// The per-CPU plugin answers core's variable emitter: the per-CPU section and its variables are
// in, every other section is left to other plugins (no opinion). Core finds it as "percpu-vars"
// (features.vars = "percpu") and checks its options against schema.json.
import { describe, expect, test } from "vitest";
import { Encoder, emptyConfig, type Encoding, type EncoderPlugin, registerPlugin, resolvePlugins } from "@btforge/core";
import type { ElfSection } from "@btforge/elf";
import DefaultExport, { PERCPU_SECTION, PercpuVarsPlugin, percpuVars } from "../src/index.js";

const section = (name: string, flags = 3n): ElfSection => ({
  index: 1, name, type: 1, flags, addr: 0n, offset: 0, size: 64, link: 0, info: 0, addralign: 8, entsize: 0,
});
const variable = (name: string, sectionName: string) => ({ name, section: sectionName, address: 0n, size: 4 });

/** An Encoding (no input needed: the inclusion hooks take what they are given). */
async function encodingWith(plugins: EncoderPlugin[]): Promise<Encoding> {
  return new Encoder({ plugins }).run("in-memory", { until: "load" });
}

describe("PercpuVarsPlugin", () => {
  test("includes .data..percpu and its variables, and nothing else", async () => {
    const encoding = await encodingWith([new PercpuVarsPlugin()]);
    expect(PERCPU_SECTION).toBe(".data..percpu");
    expect(encoding.includesSection(section(".data..percpu"))).toBe(true);
    expect(encoding.includesVariable(variable("runqueues", ".data..percpu"))).toBe(true);
    for (const other of [".data", ".bss", ".data..percpu..read_mostly", ".data..percpu."]) {
      expect(encoding.includesSection(section(other))).toBe(false);
      expect(encoding.includesVariable(variable("x", other))).toBe(false);
    }
  });

  test("has no opinion on other sections, so another plugin can include them", async () => {
    const data: EncoderPlugin = {
      apply: (e) => {
        e.hooks.includeSection.tap("data", (_enc, s) => (s.name === ".data" ? true : undefined));
      },
    };
    const encoding = await encodingWith([new PercpuVarsPlugin(), data]);
    expect(encoding.includesSection(section(".data"))).toBe(true);
    expect(encoding.includesSection(section(".data..percpu"))).toBe(true);
  });

  test("the section option names another per-CPU section", async () => {
    const encoding = await encodingWith([percpuVars({ section: ".percpu" })]);
    expect(encoding.includesSection(section(".percpu"))).toBe(true);
    expect(encoding.includesSection(section(".data..percpu"))).toBe(false);
    expect(encoding.includesVariable(variable("v", ".percpu"))).toBe(true);
  });

  test("core resolves percpu-vars to it (default export) and checks its options", async () => {
    expect(DefaultExport).toBe(PercpuVarsPlugin);
    expect(PercpuVarsPlugin.name).toBe("percpu-vars");
    registerPlugin("percpu-vars", () => import("../src/index.js"));
    const config = { ...emptyConfig(), features: { ...emptyConfig().features, var: true } };
    const plugins = await resolvePlugins(config);
    expect(plugins.filter((p) => p instanceof PercpuVarsPlugin)).toHaveLength(1);
    const withOptions = (options: Record<string, unknown>) => ({ ...config, plugins: [{ ref: "percpu-vars", options, from: "test", baseDir: process.cwd() }] });
    const [configured] = (await resolvePlugins(withOptions({ section: ".percpu" }))).filter((p) => p instanceof PercpuVarsPlugin);
    expect((configured as PercpuVarsPlugin).section).toBe(".percpu");
    await expect(resolvePlugins(withOptions({ section: 3 }))).rejects.toThrow(/section/);
    await expect(resolvePlugins(withOptions({ section: "" }))).rejects.toThrow(/section/);
    await expect(resolvePlugins(withOptions({ sections: [".x"] }))).rejects.toThrow(/sections/);
  });
});
