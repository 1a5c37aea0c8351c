// `btforge experiment` as a user runs it (the built CLI): each profile's figures equal what
// `btforge encode` reports for it alone, growth is computed from those, the input is opened and read
// once whatever the number of profiles (fs calls counted by a preloaded module), the JSON follows
// its published schema, the SVG is well-formed, and a failing profile does not hide the others.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { EXPERIMENT_JSON_SCHEMA } from "../src/report/experiment-schema.js";
import type { ExperimentReport } from "../src/report/experiment-report.js";
import type { EncodeReport } from "../src/report/encode-report.js";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { CLI_BIN, SAMPLE_OBJECT } from "../../../test/support/paths.js";
import { kernelLoadMissing, skipBecause, toolMissing } from "../../../test/support/tools.js";

const notBuilt = skipBecause(cliMissing(), "experiment CLI tests");
const dir = mkdtempSync(join(tmpdir(), "btforge-experiment-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Adds known types on top of whatever core encodes; `vars` adds VARs in two DATASECs, `broken` a
// PTR to a type id no table has, so the validator fails.
const TINY_PLUGIN = `
export default class TinyTypes {
  static name = "tiny-types";
  static schema = { type: "object", additionalProperties: false, properties: { vars: { type: "integer" }, broken: { type: "boolean" } } };
  constructor(options = {}) { this.options = options; }
  apply(encoder) {
    encoder.hooks.types.tap("tiny-types", (encoding) => {
      const t = encoding.btf;
      const int = t.addInt("btforge_test_int", 4, 1, 0, 32);
      t.addStruct("btforge_test_pair", 8, [{ name: "a", type: int, bitOffset: 0 }, { name: "b", type: int, bitOffset: 32 }]);
      const n = this.options.vars ?? 0;
      if (n > 0) {
        const data = Array.from({ length: n }, (_, i) => t.addVar("btforge_test_v" + i, int, 1));
        t.addDatasec(".data", 4 * n, data.map((type, i) => ({ type, offset: 4 * i, size: 4 })));
        const pcpu = t.addVar("btforge_test_pcpu", int, 1);
        t.addDatasec(".data..percpu", 4, [{ type: pcpu, offset: 0, size: 4 }]);
      }
      if (this.options.broken) t.addPtr(900000);
    });
  }
}
`;

// Counts the opens of the input file and the bytes read through them, reported at exit.
const FS_SPY = `
import fs from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";
const target = resolve(process.env.BTFORGE_SPY_FILE);
const fds = new Set();
let opens = 0, bytes = 0;
const { openSync, readSync, closeSync, writeFileSync } = fs;
fs.openSync = function (path, ...rest) {
  const fd = openSync.call(this, path, ...rest);
  if (typeof path === "string" && resolve(path) === target) { opens++; fds.add(fd); }
  return fd;
};
fs.readSync = function (fd, ...rest) { const n = readSync.call(this, fd, ...rest); if (fds.has(fd)) bytes += n; return n; };
fs.closeSync = function (fd) { fds.delete(fd); return closeSync.call(this, fd); };
syncBuiltinESMExports();
process.on("exit", () => writeFileSync(process.env.BTFORGE_SPY_OUT, JSON.stringify({ opens, bytes })));
`;

let base: string;
let vars: string;
let moreVars: string;
let broken: string;
beforeAll(() => {
  writeFileSync(join(dir, "tiny.mjs"), TINY_PLUGIN);
  writeFileSync(join(dir, "spy.mjs"), FS_SPY);
  const config = (name: string, options: Record<string, unknown>) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ profile: "minimal", plugins: [["./tiny.mjs", options]] }));
    return file;
  };
  base = config("base", {});
  vars = config("vars", { vars: 3 });
  moreVars = config("more-vars", { vars: 40 });
  broken = config("broken", { broken: true });
});

async function experimentJson(profiles: string[], extra: string[] = []): Promise<{ code: number | null; stderr: string; report: ExperimentReport }> {
  const r = await runCli(["experiment", SAMPLE_OBJECT, "--profiles", profiles.join(","), "--json", "--quiet", ...extra]);
  return { code: r.code, stderr: r.stderr, report: JSON.parse(r.stdout) as ExperimentReport };
}

async function encodeJson(config: string): Promise<EncodeReport> {
  const r = await runCli(["encode", SAMPLE_OBJECT, "--config", config, "--json", "--quiet"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as EncodeReport;
}

/** The CLI under the fs spy: how often the input was opened and how many bytes were read from it. */
function spied(args: string[]): Promise<{ code: number | null; opens: number; bytes: number }> {
  const out = join(dir, `spy-${Math.random().toString(36).slice(2)}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", join(dir, "spy.mjs"), CLI_BIN, ...args], {
      stdio: "ignore",
      env: { ...process.env, BTFORGE_SPY_FILE: SAMPLE_OBJECT, BTFORGE_SPY_OUT: out },
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, ...(JSON.parse(readFileSync(out, "utf8")) as { opens: number; bytes: number }) }));
  });
}

describe("btforge experiment", () => {
  test.skipIf(notBuilt)("each profile's figures are its own encode's; growth over the first follows from them", async () => {
    const { code, stderr, report } = await experimentJson([base, vars, moreVars]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const alone = await Promise.all([base, vars, moreVars].map(encodeJson));
    expect(report.profiles.map((p) => p.profile)).toEqual([base, vars, moreVars]);
    report.profiles.forEach((p, i) => {
      expect(p.btf).toEqual(alone[i].btf);
      expect(p.validation).toEqual({ ok: true, problems: 0 });
      expect(p.ok).toBe(true);
    });
    expect(report.profiles[0].growth).toBeNull();
    for (const p of report.profiles.slice(1)) {
      const first = alone[0].btf;
      const mine = p.btf!;
      const delta = mine.totalBytes - first.totalBytes;
      expect(p.growth!.totalBytes).toEqual({ bytes: delta, percent: Math.round((delta / first.totalBytes) * 10000) / 100 });
      expect(p.growth!.typeBytes.bytes).toBe(mine.typeBytes - first.typeBytes);
      expect(p.growth!.stringBytes.bytes).toBe(mine.stringBytes - first.stringBytes);
      expect(p.growth!.vars).toEqual({ bytes: mine.vars - first.vars, percent: first.vars === 0 ? null : expect.any(Number) });
    }
    expect(report.profiles[1].btf!.datasecs).toEqual({ ".data": 3, ".data..percpu": 1 });
    expect(report.profiles[2].btf!.datasecs).toEqual({ ".data": 40, ".data..percpu": 1 });
    expect(report.sections).toEqual([".data", ".data..percpu"]);
    expect(report.kinds).toEqual(Object.keys(report.profiles[2].btf!.kinds));
  });

  test.skipIf(notBuilt)("--json follows the published schema (--json-schema)", async () => {
    const schema = await runCli(["experiment", "--json-schema"]);
    expect(schema.code).toBe(0);
    expect(JSON.parse(schema.stdout)).toEqual(EXPERIMENT_JSON_SCHEMA);
    const validate = new Ajv({ strict: false }).compile(EXPERIMENT_JSON_SCHEMA);
    const { report } = await experimentJson([base, vars]);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(Object.keys(report)).toEqual(["file", "parse", "profiles", "kinds", "sections", "totalMs"]);
    const failing = await experimentJson([base, broken]);
    expect(validate(failing.report), JSON.stringify(validate.errors)).toBe(true);
  });

  test.skipIf(notBuilt)("the input is opened and read once, whatever the number of profiles", async () => {
    const one = await spied(["encode", SAMPLE_OBJECT, "--config", base, "--quiet"]);
    const three = await spied(["experiment", SAMPLE_OBJECT, "--profiles", [base, vars, moreVars].join(","), "--quiet"]);
    expect(one.code).toBe(0);
    expect(three.code).toBe(0);
    expect(one.opens).toBe(1);
    expect(three.opens).toBe(1);
    expect(three.bytes).toBe(one.bytes);
    expect(one.bytes).toBeGreaterThan(0);
  });

  test.skipIf(notBuilt)("text: one aligned column per profile, growth under each size, the parse timed once", async () => {
    const r = await runCli(["experiment", SAMPLE_OBJECT, "--profiles", `${base},${vars}`, "--quiet"]);
    expect(r.code).toBe(0);
    const { report } = await experimentJson([base, vars]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`${SAMPLE_OBJECT}: 2 profiles over one parse of the DWARF`);
    const head = lines[2];
    expect(head.trim().split(/ +/)).toEqual([base, vars]);
    const row = (label: string) => lines.find((l) => l.startsWith(`${label} `) && l.trimEnd().length > label.length)!.slice(label.length).trim().split(/ {2,}/);
    const [b, v] = report.profiles.map((p) => p.btf!);
    expect(row("total bytes")).toEqual([String(b.totalBytes), String(v.totalBytes)]);
    const g = v.totalBytes - b.totalBytes;
    expect(row("  growth")).toEqual([`+${g} (+${((g / b.totalBytes) * 100).toFixed(1)}%)`]);
    expect(row("  DATASEC .data")).toEqual(["0", "3"]);
    expect(row("validation")).toEqual(["valid", "valid"]);
    // Figures are right-aligned: every full row ends at the same column.
    const full = lines.slice(2).filter((l) => /^(total bytes|type bytes|string bytes|types|VARs|validation|time total) /.test(l));
    expect(new Set(full.map((l) => l.length)).size).toBe(1);
    expect(lines.at(-1)).toMatch(/^time: parse once [\d.]+ m?s \(load [\d.]+ m?s, dwarf [\d.]+ m?s\), then 2 encodes [\d.]+ m?s; experiment [\d.]+ m?s$/);
  });

  test.skipIf(notBuilt)("a profile that fails is reported beside the others; one error line naming it; exit 1", async () => {
    const r = await runCli(["experiment", SAMPLE_OBJECT, "--profiles", `${base},${broken},${vars}`, "--json", "--quiet"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as ExperimentReport;
    expect(report.profiles.map((p) => p.ok)).toEqual([true, false, true]);
    expect(report.profiles[1]).toMatchObject({ validation: { ok: false }, error: expect.stringContaining("not valid") });
    expect(report.profiles[1].btf!.types).toBe(report.profiles[0].btf!.types + 1);
    expect(report.profiles[2].btf!.vars).toBe(4);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^btforge: ${SAMPLE_OBJECT}: profile ${broken}: the encoded BTF is not valid`));
  });

  test.skipIf(notBuilt || skipBecause(toolMissing("python3"), "SVG parsed as XML"))("--svg writes a well-formed chart: a stacked bar per profile, VAR bars per section", async () => {
    const svg = join(dir, "chart.svg");
    const r = await runCli(["experiment", SAMPLE_OBJECT, "--profiles", `${base},${vars},${moreVars}`, "--svg", svg, "--quiet"]);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const parsed = spawnSync("python3", ["-c", "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.tag)", svg], { encoding: "utf8" });
    expect(parsed.stdout.trim()).toBe("{http://www.w3.org/2000/svg}svg");
    const text = readFileSync(svg, "utf8");
    const titles = [...text.matchAll(/<rect [^>]*><title>([^<]*)<\/title>/g)].map((m) => m[1]);
    for (const p of ["base.json", "vars.json", "more-vars.json"]) {
      const full = join(dir, p);
      expect(titles.filter((t) => t.startsWith(`${full}: types `))).toHaveLength(1);
      expect(titles.filter((t) => t.startsWith(`${full}: strings `))).toHaveLength(1);
      expect(titles.filter((t) => t.startsWith(`${full}: .data `) || t.startsWith(`${full}: .data..percpu `))).toHaveLength(2);
    }
    expect(titles).toContain(`${join(dir, "more-vars.json")}: .data 40 VARs`);
  });

  test.skipIf(notBuilt)("--kernel: each profile's BTF is loaded where the kernel can be asked, else the reason it was not", async () => {
    const { code, report } = await experimentJson([base, vars], ["--kernel"]);
    expect(code).toBe(0);
    const reason = kernelLoadMissing();
    for (const p of report.profiles) expect(p.kernel).toEqual(reason === undefined ? { accepted: true } : { skipped: expect.any(String) });
  });

  test.skipIf(notBuilt)("usage and configuration problems end before the input is read, exit 2", async () => {
    const cases: [string[], RegExp][] = [
      [["--profiles", `${base},${base}`], /names .* twice/],
      [["--profiles", `${base},`], /empty entry/],
      [["--profiles", "minimal", "--profile", "default"], /name every profile in --profiles/],
      [["--profiles", "minimal,no-such-profile"], /no-such-profile/],
      [[], /needs --profiles/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(["experiment", SAMPLE_OBJECT, ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(dir, "chart.never.svg"))).toBe(false);
  });
});

/** Undefined when `encode --profile NAME` works on the sample (its plugins are all registered), else why not. */
function profileMissing(name: string): string | undefined {
  if (cliMissing()) return cliMissing();
  const r = spawnSync(process.execPath, [CLI_BIN, "encode", SAMPLE_OBJECT, "--profile", name, "--json", "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) return `encode --profile ${name} fails: ${r.stderr.trim().split("\n")[0]}`;
  return (JSON.parse(r.stdout) as EncodeReport).btf.types > 0 ? undefined : "core's types plugin is not there yet";
}

describe("btforge experiment over the shipped profiles", () => {
  const missing = skipBecause(profileMissing("minimal") ?? profileMissing("default"), "experiment minimal,default");
  test.skipIf(missing)("minimal,default on the sample: growth is the difference of the two encodes' outputs", async () => {
    const outs = ["minimal", "default"].map((p) => join(dir, `${p}.btf`));
    for (const [i, p] of ["minimal", "default"].entries()) expect((await runCli(["encode", SAMPLE_OBJECT, "--profile", p, "-o", outs[i], "--quiet"])).code).toBe(0);
    const sizes = outs.map((f) => readFileSync(f).length);
    const { code, report } = await experimentJson(["minimal", "default"]);
    expect(code).toBe(0);
    expect(report.profiles.map((p) => p.btf!.totalBytes)).toEqual(sizes);
    expect(report.profiles[1].growth!.totalBytes).toEqual({ bytes: sizes[1] - sizes[0], percent: Math.round(((sizes[1] - sizes[0]) / sizes[0]) * 10000) / 100 });
    expect(report.profiles.map((p) => p.validation)).toEqual([{ ok: true, problems: 0 }, { ok: true, problems: 0 }]);
  });

  const reuse = skipBecause(profileMissing("percpu") ?? profileMissing("all-globals"), "experiment percpu,all-globals");
  test.skipIf(reuse)("percpu,all-globals: the second profile starts from the first's types and gives what its own encode gives", async () => {
    const own = join(dir, "all-globals.btf");
    expect((await runCli(["encode", SAMPLE_OBJECT, "--profile", "all-globals", "-o", own, "--quiet"])).code).toBe(0);
    const { code, report } = await experimentJson(["percpu", "all-globals"]);
    expect(code).toBe(0);
    expect(report.profiles.map((p) => p.typesFrom)).toEqual([null, "percpu"]);
    expect(report.profiles[0].phases.types).toBeGreaterThan(0);
    expect(report.profiles[1].phases.types).toBeUndefined();
    expect(report.profiles[1].btf!.totalBytes).toBe(readFileSync(own).length);
    expect(report.profiles[1].btf!.vars).toBeGreaterThan(report.profiles[0].btf!.vars);
  });
});
