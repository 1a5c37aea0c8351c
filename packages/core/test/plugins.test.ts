// Plugin references in configuration: registered names, relative paths (a third-party plugin that
// taps a phase of a real run), npm names, and options checked against the plugin's own schema.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigError, createEncoder, type Encoder, exitCodeFor, loadConfig, pluginEntries, registerPlugin, resolvePlugins } from "@btforge/core";
import { SAMPLE_OBJECT } from "../../../test/support/paths.js";

const root = mkdtempSync(join(tmpdir(), "btforge-plugins-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

function project(files: Record<string, unknown>): string {
  const dir = join(root, `p${count++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p" }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

/** A registered plugin with options and a static schema: it counts units in the types phase. */
class UnitCounter {
  static readonly name = "test-unit-counter";
  static readonly schema = {
    type: "object",
    additionalProperties: false,
    properties: { key: { type: "string" }, times: { type: "integer", minimum: 1 } },
  };
  constructor(readonly options: { key?: string; times?: number } = {}) {}
  apply(encoder: Encoder): void {
    encoder.hooks.types.tap(UnitCounter.name, (encoding) => {
      encoding.artifacts.set(this.options.key ?? "units", encoding.dwarf.units().length * (this.options.times ?? 1));
    });
  }
}
registerPlugin(UnitCounter.name, UnitCounter);
registerPlugin("test-lazy", () => Promise.resolve({ default: UnitCounter }));

// A plugin as a third party would ship it: plain JavaScript beside its schema.json, importing nothing.
const THIRD_PARTY = `
export default class SectionLister {
  static name = "section-lister";
  constructor(options = {}) { this.prefix = options.prefix ?? "."; }
  apply(encoder) {
    encoder.hooks.load.tap(SectionLister.name, (encoding) => encoding.artifacts.set("loaded-before-me", encoding.hasElf));
    encoder.hooks.types.tapPromise(SectionLister.name, async (encoding) => {
      const names = encoding.elf.sections.map((s) => s.name).filter((n) => n.startsWith(this.prefix));
      encoding.artifacts.set("sections", names);
    });
  }
}
`;
const THIRD_PARTY_SCHEMA = { type: "object", additionalProperties: false, properties: { prefix: { type: "string", minLength: 1 } } };

async function configError(dir: string): Promise<ConfigError> {
  const err = await createEncoder({ cwd: dir }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

describe("plugin references", () => {
  test("a third-party plugin by relative path taps the load and types phases of a real run", async () => {
    const dir = project({
      "btforge.config.json": { profile: "minimal", plugins: [["./tools/section-lister.mjs", { prefix: ".debug_" }]] },
      "tools/section-lister.mjs": THIRD_PARTY,
      "tools/schema.json": THIRD_PARTY_SCHEMA,
    });
    const encoder = await createEncoder({ cwd: dir });
    const encoding = await encoder.run(SAMPLE_OBJECT, { until: "types" });
    try {
      expect(encoding.artifacts.get("loaded-before-me")).toBe(true); // core's elf-loader taps load first
      expect(encoding.artifacts.get("sections")).toEqual(expect.arrayContaining([".debug_info", ".debug_abbrev", ".debug_str"]));
      expect((encoding.artifacts.get("sections") as string[]).every((n) => n.startsWith(".debug_"))).toBe(true);
      expect(encoding.timings.taps.map((t) => t.plugin)).toContain("section-lister");
    } finally {
      encoding.close();
    }
  });

  test("a third-party plugin's bad option: one line naming the plugin and the option path, exit 2", async () => {
    const dir = project({
      "btforge.config.json": { profile: "minimal", plugins: [["./tools/section-lister.mjs", { prefix: "", colour: 1 }]] },
      "tools/section-lister.mjs": THIRD_PARTY,
      "tools/schema.json": THIRD_PARTY_SCHEMA,
    });
    const err = await configError(dir);
    expect(err.code).toBe("PLUGIN_OPTIONS");
    expect(err.problems).toEqual([
      'btforge.config.json: plugin "section-lister": option /colour: unknown key',
      'btforge.config.json: plugin "section-lister": option /prefix: must NOT have fewer than 1 characters',
    ]);
    expect(exitCodeFor(err)).toBe(2);
  });

  test("a registered name, with options; and one loaded lazily", async () => {
    const dir = project({
      "btforge.config.json": { profile: "minimal", plugins: [[UnitCounter.name, { times: 3 }], ["test-lazy", { key: "lazy" }]] },
    });
    const encoding = await (await createEncoder({ cwd: dir })).run(SAMPLE_OBJECT, { until: "types" });
    encoding.close();
    expect(encoding.artifacts.get("units")).toBe(3);
    expect(encoding.artifacts.get("lazy")).toBe(1);
  });

  test("a registered plugin's bad option", async () => {
    const dir = project({ "btforge.config.json": { profile: "minimal", plugins: [[UnitCounter.name, { times: 0 }]] } });
    expect((await configError(dir)).problems).toEqual([`btforge.config.json: plugin "${UnitCounter.name}": option /times: must be >= 1`]);
  });

  test("unknown names, missing paths and missing packages are all reported at once", async () => {
    const dir = project({ "btforge.config.json": { profile: "minimal", plugins: ["no-such-plugin", "./nowhere.mjs", "@nobody/btforge-plugin-x"] } });
    const err = await configError(dir);
    expect(err.code).toBe("PLUGIN_NOT_FOUND");
    expect(err.problems).toHaveLength(3);
    expect(err.problems[0]).toMatch(/^btforge\.config\.json: plugin "no-such-plugin" not found \(registered: .*dwarf-loader, elf-loader/);
    expect(err.problems[1]).toMatch(/^btforge\.config\.json: plugin "\.\/nowhere\.mjs" not found/);
    expect(err.problems[2]).toMatch(/^btforge\.config\.json: plugin "@nobody\/btforge-plugin-x" not found/);
  });

  test("a module that is not a plugin, and options for a plugin without a schema", async () => {
    const dir = project({
      "btforge.config.json": { profile: "minimal", plugins: ["./not-a-plugin.mjs", ["./bare.mjs", { x: 1 }]] },
      "not-a-plugin.mjs": "export default 42;\n",
      "bare.mjs": "export default class Bare { apply() {} }\n",
    });
    const err = await configError(dir);
    expect(err.problems).toEqual([
      'btforge.config.json: plugin "./not-a-plugin.mjs" is not a plugin: expected a class with apply(encoder), a factory returning one, or an object with apply',
      'btforge.config.json: plugin "Bare": option /: this plugin takes no options',
    ]);
  });

  test("a factory export gets the options", async () => {
    const dir = project({
      "btforge.config.json": { profile: "minimal", plugins: [["./factory.mjs", {}]] },
      "factory.mjs": "export default (options) => ({ apply(encoder) { encoder.hooks.load.tap('f', (e) => e.artifacts.set('opts', options)); } });\n",
    });
    const encoding = await (await createEncoder({ cwd: dir })).run(SAMPLE_OBJECT, { until: "load" });
    encoding.close();
    expect(encoding.artifacts.get("opts")).toEqual({});
  });

  test("core's plugins come first, then the features' plugins, then the configured ones", async () => {
    const config = await loadConfig({ cwd: project({ "btforge.config.json": { profile: "percpu", plugins: ["x", ["dedup", {}]] } }) });
    expect(pluginEntries(config).map((e) => `${e.ref}@${e.from}`)).toEqual([
      "elf-loader@core",
      "dwarf-loader@core",
      "types@core",
      "functions@core",
      "variables@core",
      "dedup@btforge.config.json",
      "decl-tag@features.decl_tag",
      "type-tag@features.type_tag",
      "percpu-vars@features.var",
      "x@btforge.config.json",
    ]);
  });

  test("an instance in a JavaScript configuration is used as it is", async () => {
    const dir = project({
      "btforge.config.mjs": "export default { profile: 'minimal', plugins: [{ apply(e) { e.hooks.load.tap('inline', (enc) => enc.artifacts.set('inline', true)); } }] };\n",
    });
    const config = await loadConfig({ cwd: dir });
    const plugins = await resolvePlugins(config);
    // core's five (loaders, types, functions, variables), then the inline instance itself
    expect(plugins).toHaveLength(6);
    expect(plugins[5]!.constructor).toBe(Object);
  });
});
