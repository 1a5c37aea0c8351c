// Configuration: discovery by cosmiconfig, --config, profiles and extends, schema problems with
// key paths, and the merge rules. Every case works in its own temporary project folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { ConfigError, exitCodeFor, featurePlugins, formatError, loadConfig, NO_FEATURES, PAHOLE_FEATURES, PROFILES_DIR } from "@btforge/core";

const root = mkdtempSync(join(tmpdir(), "btforge-config-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let count = 0;

/** A fresh project folder (with a package.json, where cosmiconfig's search stops) holding `files`. */
function project(files: Record<string, unknown>): string {
  const dir = join(root, `p${count++}`);
  mkdirSync(dir);
  if (!("package.json" in files)) writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "p" }));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

async function problems(dir: string, options: { configFile?: string; profile?: string } = {}): Promise<ConfigError> {
  const err = await loadConfig({ cwd: dir, ...options }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

const profile = (name: string) => join(PROFILES_DIR, `${name}.json`);

describe("discovery", () => {
  test.each([
    ["btforge.config.json", JSON.stringify({ features: { global_var: true } })],
    ["btforge.config.yaml", "features:\n  global_var: true\n"],
    [".btforgerc", "features:\n  global_var: true\n"],
    [".btforgerc.json", JSON.stringify({ features: { global_var: true } })],
    ["btforge.config.mjs", "export default { features: { global_var: true } };\n"],
  ])("%s is found and merged over the default profile", async (name, content) => {
    const dir = project({ [name]: content });
    const config = await loadConfig({ cwd: dir });
    expect(config.files).toEqual([profile("default"), join(dir, name)]);
    expect(config.features.global_var).toBe(true);
    expect(config.features.dedup).toBe(true); // from the default profile
    expect(config.profile).toBe(name);
  });

  test("a btforge key in package.json", async () => {
    const dir = project({ "package.json": { name: "p", btforge: { profile: "minimal", jobs: 3 } } });
    const config = await loadConfig({ cwd: dir });
    expect(config.files).toEqual([profile("minimal"), join(dir, "package.json")]);
    expect(config.jobs).toBe(3);
    expect(config.profile).toBe("minimal");
  });

  test("found from a subfolder of the project", async () => {
    const dir = project({ "btforge.config.json": { jobs: 5 }, "src/deep/.keep": "" });
    expect((await loadConfig({ cwd: join(dir, "src/deep") })).jobs).toBe(5);
  });

  test("--config names the file; the search is skipped", async () => {
    const dir = project({ "btforge.config.json": { jobs: 5 }, "other/conf.json": { jobs: 7 } });
    const config = await loadConfig({ cwd: dir, configFile: "other/conf.json" });
    expect(config.jobs).toBe(7);
    expect(config.files.at(-1)).toBe(join(dir, "other/conf.json"));
  });

  test("no configuration file: the default profile", async () => {
    const config = await loadConfig({ cwd: project({}) });
    expect(config.profile).toBe("default");
    expect(config.files).toEqual([profile("default")]);
  });

  test("a --config file that does not exist, and one that does not parse", async () => {
    const dir = project({ "broken.json": "{ \"jobs\": " });
    expect((await problems(dir, { configFile: "missing.json" })).problems).toEqual(["missing.json: configuration file not found"]);
    const err = await problems(dir, { configFile: "broken.json" });
    expect(err.code).toBe("CONFIG_INVALID");
    expect(err.problems).toEqual([expect.stringMatching(/^broken\.json: cannot read configuration: /)]);
  });
});

describe("profiles and extends", () => {
  test("--profile selects config/NAME.json, relative to core and not to the cwd", async () => {
    const config = await loadConfig({ cwd: project({}), profile: "minimal" });
    expect(config.profile).toBe("minimal");
    expect(config.features).toMatchObject({ functions: false, dedup: false, var: false, global_var: false });
  });

  test("every shipped profile is valid and percpu/all-globals extend default", async () => {
    for (const name of ["default", "percpu", "all-globals", "minimal"]) {
      const config = await loadConfig({ cwd: project({}), profile: name });
      expect(config.profile).toBe(name);
    }
    const all = await loadConfig({ cwd: project({}), profile: "all-globals" });
    expect(all.files).toEqual([profile("default"), profile("all-globals")]);
    expect(all.features).toMatchObject({ var: true, global_var: true, dedup: true, float: true });
  });

  test("a configuration extends a profile and a file; later layers win", async () => {
    const dir = project({
      "btforge.config.json": { extends: ["percpu", "./team.json"], features: { enum64: false } },
      "team.json": { features: { float: false, enum64: true }, jobs: 2 },
    });
    const config = await loadConfig({ cwd: dir });
    expect(config.files).toEqual([profile("default"), profile("percpu"), join(dir, "team.json"), join(dir, "btforge.config.json")]);
    expect(config.features).toMatchObject({ var: true, global_var: false, float: false, enum64: false, dedup: true });
    expect(config.jobs).toBe(2);
  });

  test("--profile replaces the configuration's own profile", async () => {
    const dir = project({ "btforge.config.json": { profile: "minimal", jobs: 4 } });
    const config = await loadConfig({ cwd: dir, profile: "all-globals" });
    expect(config.features.global_var).toBe(true);
    expect(config.jobs).toBe(4);
  });

  test("a cycle in extends is an error naming the chain", async () => {
    const dir = project({ "btforge.config.json": { extends: "./a.json" }, "a.json": { extends: "./b.json" }, "b.json": { extends: ["./a.json"] } });
    const err = await problems(dir);
    expect(err.code).toBe("EXTENDS_CYCLE");
    expect(err.problems).toEqual(["extends cycle: a.json -> b.json -> a.json"]);
    expect(exitCodeFor(err)).toBe(2);
  });

  test("an unknown profile lists the known ones", async () => {
    const err = await problems(project({ "btforge.config.json": { extends: "nope" } }));
    expect(err.problems).toEqual(['btforge.config.json: unknown profile "nope" (known: all-globals, default, extmod, kernel-6.1, kernel-6.8, kernel-7.0, minimal, pahole-1.24, percpu)']);
  });
});

describe("schema", () => {
  test("one line per problem, with the key path and what was expected", async () => {
    const dir = project({
      "btforge.config.json": { plugins: [42, ["dedup", 5], "ok", ["dedup", {}]], features: { var: "some", bogus: true }, jobs: 0, colour: "red" },
    });
    const err = await problems(dir);
    expect(err.code).toBe("CONFIG_INVALID");
    expect([...err.problems].sort()).toEqual(
      [
        "btforge.config.json: /colour: unknown key",
        "btforge.config.json: /plugins/0: must be string or [name, options]",
        "btforge.config.json: /plugins/1: must be string or [name, options]",
        'btforge.config.json: /features/var: must be boolean',
        "btforge.config.json: /features/bogus: unknown key",
        "btforge.config.json: /jobs: must be >= 1",
      ].sort(),
    );
    expect(formatError(err).split("\n")).toEqual(err.problems.map((p) => `btforge: ${p}`));
    expect(exitCodeFor(err)).toBe(2);
  });

  test("problems in an extended file name that file", async () => {
    const dir = project({ "btforge.config.json": { extends: "./base.yaml" }, "base.yaml": "features:\n  float: 3\n" });
    expect((await problems(dir)).problems).toEqual(["base.yaml: /features/float: must be boolean"]);
  });
});

describe("merge", () => {
  test("a later mention of a plugin replaces it in place; [name, false] removes it", async () => {
    const dir = project({
      "btforge.config.json": { extends: "./base.json", plugins: [["b", { x: 2 }], ["a", false], "d"] },
      "base.json": { profile: "minimal", plugins: ["a", ["b", { x: 1 }], "c"] },
    });
    const config = await loadConfig({ cwd: dir });
    expect(config.plugins.map((p) => [p.ref, p.options, p.from])).toEqual([
      ["b", { x: 2 }, "btforge.config.json"],
      ["c", undefined, "base.json"],
      ["d", undefined, "btforge.config.json"],
    ]);
  });

  test("features map to plugins in one place", () => {
    expect(featurePlugins({ ...NO_FEATURES })).toEqual([]);
    expect(featurePlugins({ ...NO_FEATURES, dedup: true, var: true, decl_tag: true }).map((p) => p.plugin)).toEqual(["dedup", "decl-tag", "percpu-vars"]);
    expect(featurePlugins({ ...NO_FEATURES, global_var: true })).toEqual([{ plugin: "global-vars", feature: "global_var" }]);
    expect(featurePlugins({ ...NO_FEATURES, distilled_base: true })).toEqual([{ plugin: "distilled-base", feature: "distilled_base" }]);
    // global_var covers the per-CPU section: its options decide there too.
    expect(featurePlugins({ ...NO_FEATURES, var: true, global_var: true })).toEqual([{ plugin: "global-vars", feature: "global_var" }]);
  });

  test("lang_exclude: pahole's language names in any case; the default profile leaves Rust out as the kernel's build does; an unknown name exits 2", async () => {
    expect((await loadConfig({ cwd: project({}), search: false })).features.lang_exclude).toEqual(["rust"]);
    const ok = await loadConfig({ cwd: project({ "btforge.config.json": { features: { lang_exclude: ["Rust", "c++14", "ASM", "go"] } } }) });
    expect(ok.features.lang_exclude).toEqual(["Rust", "c++14", "ASM", "go"]);
    const cleared = await loadConfig({ cwd: project({ "btforge.config.json": { features: { lang_exclude: [] } } }) });
    expect(cleared.features.lang_exclude).toEqual([]);
    const err = await problems(project({ "btforge.config.json": { features: { lang_exclude: ["rust", "cobol"] } } }));
    expect(err.code).toBe("UNKNOWN_LANGUAGE");
    expect(err.problems[0]).toMatch(/^lang_exclude: unknown language "cobol" \(pahole's names: c89, c, ada83, c\+\+, cobol74, .*, rust, .*, asm\)$/);
    expect(exitCodeFor(err)).toBe(2);
  });

  test("the feature names are pahole's --btf_features, every one known to the schema", async () => {
    const dir = project({ "btforge.config.json": { features: Object.fromEntries(PAHOLE_FEATURES.map((f) => [f, false])) } });
    const config = await loadConfig({ cwd: dir });
    for (const f of PAHOLE_FEATURES) expect(config.features[f], f).toBe(false);
  });

});
