// The all-globals plugin answers core's variable emitter: every allocated, non-code section its
// include/exclude globs allow, and their variables unless `statics` or `names` leave them out.
// Core finds it as "global-vars" (features.vars = "all") and checks its options against schema.json.
import { describe, expect, test } from "vitest";
import { Encoder, emptyConfig, type Encoding, type EncoderPlugin, registerPlugin, resolvePlugins, type VariableCandidate } from "@btforge/core";
import type { ElfSection } from "@btforge/elf";
import DefaultExport, { GlobalVarsPlugin, globalVars } from "../src/index.js";

const section = (name: string, flags = 3n): ElfSection => ({
  index: 1, name, type: 1, flags, addr: 0n, offset: 0, size: 64, link: 0, info: 0, addralign: 8, entsize: 0,
});
const candidate = (name: string, sectionName: string, external: boolean): VariableCandidate => ({
  name, section: sectionName, address: 0n, size: 4, external, offset: 0,
});

async function encodingWith(plugins: EncoderPlugin[]): Promise<Encoding> {
  return new Encoder({ plugins }).run("in-memory", { until: "load" });
}

describe("GlobalVarsPlugin", () => {
  test("by default: every allocated data section and every variable, never a code section", async () => {
    const encoding = await encodingWith([new GlobalVarsPlugin()]);
    for (const name of [".data", ".bss", ".rodata", ".data..percpu", ".init.data", "__param"]) {
      expect(encoding.includesSection(section(name))).toBe(true);
    }
    expect(encoding.includesSection(section(".text", 0x6n))).toBe(false);
    expect(encoding.includesSection(section(".init.text", 0x6n))).toBe(false);
    expect(encoding.includesVariable(candidate("jiffies_64", ".data", true))).toBe(true);
    expect(encoding.includesVariable(candidate("static_key", ".data", false))).toBe(true);
  });

  test("include and exclude globs choose the sections", async () => {
    const encoding = await encodingWith([globalVars({ include: [".data*", ".bss"], exclude: [".data..percpu*"] })]);
    expect(encoding.includesSection(section(".data"))).toBe(true);
    expect(encoding.includesSection(section(".data..read_mostly"))).toBe(true);
    expect(encoding.includesSection(section(".bss"))).toBe(true);
    expect(encoding.includesSection(section(".rodata"))).toBe(false);
    expect(encoding.includesSection(section(".data..percpu"))).toBe(false);
    // Variables of sections it does not own are left to others (here: nobody, so no).
    expect(encoding.includesVariable(candidate("v", ".rodata", true))).toBe(false);
  });

  test("statics: false and names filter variables", async () => {
    const encoding = await encodingWith([globalVars({ statics: false, names: ["init_*", "/_ops$/"] })]);
    expect(encoding.includesVariable(candidate("init_task", ".data", true))).toBe(true);
    expect(encoding.includesVariable(candidate("tcp_ops", ".data", true))).toBe(true);
    expect(encoding.includesVariable(candidate("init_static", ".data", false))).toBe(false);
    expect(encoding.includesVariable(candidate("jiffies", ".data", true))).toBe(false);
  });

  test("a plugin ahead of it (per-CPU) keeps its own answers", async () => {
    const percpuFirst: EncoderPlugin = {
      apply: (e) => {
        e.hooks.includeVariable.tap("percpu", (_enc, v) => (v.section === ".data..percpu" ? true : undefined));
      },
    };
    const encoding = await encodingWith([percpuFirst, globalVars({ statics: false })]);
    expect(encoding.includesVariable(candidate("pcpu_static", ".data..percpu", false))).toBe(true);
    expect(encoding.includesVariable(candidate("data_static", ".data", false))).toBe(false);
  });

  test("core resolves global-vars to it (default export) and checks its options", async () => {
    expect(DefaultExport).toBe(GlobalVarsPlugin);
    expect(GlobalVarsPlugin.name).toBe("global-vars");
    registerPlugin("global-vars", () => import("../src/index.js"));
    const config = { ...emptyConfig(), features: { ...emptyConfig().features, global_var: true } };
    expect((await resolvePlugins(config)).filter((p) => p instanceof GlobalVarsPlugin)).toHaveLength(1);
    const withOptions = (options: Record<string, unknown>) => ({ ...config, plugins: [{ ref: "global-vars", options, from: "test", baseDir: process.cwd() }] });
    expect((await resolvePlugins(withOptions({ include: [".data"], exclude: [], statics: false, names: ["x*"] }))).length).toBeGreaterThan(0);
    await expect(resolvePlugins(withOptions({ statics: "no" }))).rejects.toThrow(/statics/);
    await expect(resolvePlugins(withOptions({ include: ".data" }))).rejects.toThrow(/include/);
    await expect(resolvePlugins(withOptions({ names: [""] }))).rejects.toThrow(/names/);
    await expect(resolvePlugins(withOptions({ sections: [] }))).rejects.toThrow(/sections/);
  });
});
