// `btforge encode` as a user runs it (the built CLI): the summary against bpftool's reading of what
// was written, --json, --in-place keeping every other section byte-identical (readelf), a killed
// --in-place run leaving the original intact, the progress bar on a terminal only, and a failed
// validation still showing what was produced. A tiny JS plugin (written to a temp dir and named in a
// config file) adds known types, so the command is exercised whatever core's encoder produces.
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, watch, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { bpftoolCounts } from "../../../test/support/bpftool-counts.js";
import { cliMissing, runCli } from "../../../test/support/cli.js";
import { CLI_BIN, FIXTURE_OBJ_DIR, SAMPLE_OBJECT } from "../../../test/support/paths.js";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import { peerSections, readelfMissing } from "../../elf/test/readelf.js";

const notBuilt = skipBecause(cliMissing(), "encode CLI tests");
const noBpftool = skipBecause(toolMissing("bpftool"), "encode output read by bpftool");
const noReadelf = skipBecause(readelfMissing, "encode --in-place vs readelf");
const dir = mkdtempSync(join(tmpdir(), "btforge-encode-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Adds INT, PTR and a struct whose name no real input has; options add VARs in a DATASEC, a type
// that cannot validate (a PTR to a type id far past any table), and progress ticks.
const TINY_PLUGIN = `
export default class TinyTypes {
  static name = "tiny-types";
  static schema = { type: "object", additionalProperties: false, properties: {
    vars: { type: "boolean" }, broken: { type: "boolean" }, progress: { type: "boolean" } } };
  constructor(options = {}) { this.options = options; }
  apply(encoder) {
    encoder.hooks.types.tap("tiny-types", (encoding) => {
      const t = encoding.btf;
      if (this.options.progress) { encoding.progress.start(2); encoding.progress.tick("a.c"); encoding.progress.tick("b.c"); encoding.progress.stop(); }
      const int = t.addInt("btforge_test_int", 4, 1, 0, 32);
      t.addPtr(int);
      t.addStruct("btforge_test_pair", 8, [{ name: "a", type: int, bitOffset: 0 }, { name: "b", type: int, bitOffset: 32 }]);
      if (this.options.vars) {
        const v = ["btforge_test_a", "btforge_test_b", "btforge_test_c"].map((n) => t.addVar(n, int, 1));
        t.addDatasec(".data", 12, v.map((type, i) => ({ type, offset: i * 4, size: 4 })));
      }
      if (this.options.broken) t.addPtr(900000);
    });
  }
}
`;

function config(name: string, options: Record<string, boolean>): string {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ profile: "minimal", plugins: [["./tiny.mjs", options]] }));
  return file;
}

let plain: string;
let withVars: string;
let broken: string;
let ticking: string;
beforeAll(() => {
  writeFileSync(join(dir, "tiny.mjs"), TINY_PLUGIN);
  plain = config("plain", {});
  withVars = config("vars", { vars: true });
  broken = config("broken", { broken: true });
  ticking = config("ticking", { progress: true });
});

interface Counts {
  types: number;
  kinds: Record<string, number>;
  vars: number;
  datasecs: Record<string, number>;
}

const bpftool = bpftoolCounts;

interface Report {
  ok: boolean;
  output: { kind: string; path: string } | null;
  btf: Counts & { totalBytes: number; typeBytes: number; stringBytes: number; headerBytes: number; layoutBytes: number };
  validation: { ok: boolean; problems: number } | null;
  warnings: number;
  timings: { totalMs: number; phases: Record<string, number>; taps: { hook: string; plugin: string; ms: number }[] };
  error: string | null;
}

const counts = (r: Report): Counts => ({ types: r.btf.types, kinds: r.btf.kinds, vars: r.btf.vars, datasecs: r.btf.datasecs });
const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

describe("btforge encode", () => {
  test.skipIf(notBuilt || noBpftool)("-o writes raw BTF that bpftool reads; the --json summary counts what bpftool sees", async () => {
    const out = join(dir, "vars.btf");
    const r = await runCli(["encode", SAMPLE_OBJECT, "--config", withVars, "-o", out, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(Object.keys(report)).toEqual(["file", "profile", "ok", "output", "base", "btf", "dedup", "distilledBase", "types", "functions", "variables", "validation", "warnings", "timings", "error"]);
    expect(Object.keys(report.btf)).toEqual(["types", "kinds", "headerBytes", "typeBytes", "stringBytes", "layoutBytes", "totalBytes", "vars", "datasecs"]);
    expect(report).toMatchObject({ ok: true, output: { kind: "raw", path: out }, validation: { ok: true, problems: 0 }, error: null });
    const { text, ...peer } = bpftool(out);
    expect(counts(report)).toEqual(peer);
    expect(text).toContain("STRUCT 'btforge_test_pair' size=8 vlen=2");
    expect(report.btf.datasecs[".data"]).toBe(3);
    expect(report.btf.totalBytes).toBe(readFileSync(out).length);
    expect(report.btf.headerBytes + report.btf.typeBytes + report.btf.stringBytes + report.btf.layoutBytes).toBe(report.btf.totalBytes);
    expect(Object.keys(report.timings.phases)).toEqual(["load", "dwarf", "types", "symbols", "finalize", "write", "done"]);
    expect(report.timings.taps.some((t) => t.hook === "types" && t.plugin === "tiny-types")).toBe(true);
  });

  test.skipIf(notBuilt)("text: kinds as an aligned table with the total, bytes, verdict, warnings, time per phase", async () => {
    const [text, json] = await Promise.all([runCli(["encode", SAMPLE_OBJECT, "--config", withVars]), runCli(["encode", SAMPLE_OBJECT, "--config", withVars, "--json"])]);
    expect(text.code).toBe(0);
    const report = JSON.parse(json.stdout) as Report;
    const lines = text.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`${SAMPLE_OBJECT}: profile minimal, not written (no -o, --in-place or --elf-out)`);
    const header = lines.indexOf(lines.find((l) => /^kind +types$/.test(l))!);
    const total = lines.findIndex((l) => /^total +\d+$/.test(l));
    const rows = lines.slice(header + 1, total).map((l) => /^(\w+) +(\d+)$/.exec(l)!);
    expect(Object.fromEntries(rows.map((m) => [m[1], Number(m[2])]))).toEqual(report.btf.kinds);
    expect(new Set(lines.slice(header, total + 1).map((l) => l.length)).size).toBe(1);
    expect(lines[total]).toMatch(new RegExp(`^total +${report.btf.types}$`));
    const b = report.btf;
    expect(lines).toContain(`bytes: header ${b.headerBytes}, types ${b.typeBytes}, strings ${b.stringBytes}, total ${b.totalBytes}`);
    expect(lines).toContain(`variables: ${b.vars} VARs, DATASEC entries per section:`);
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}\.data +3$/));
    expect(lines).toContain("validation: valid BTF");
    expect(lines).toContain("warnings: 0");
    expect(lines.at(-1)).toMatch(/^time: load [\d.]+ ms, dwarf [\d.]+ ms, types [\d.]+ ms, symbols [\d.]+ ms, finalize [\d.]+ ms, write [\d.]+ ms, done [\d.]+ ms; total [\d.]+ ms$/);
  });

  test.skipIf(notBuilt)("--verbose: trace lines on stderr and a time per plugin tap", async () => {
    const r = await runCli(["encode", SAMPLE_OBJECT, "--config", plain, "--verbose"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^btforge: trace: \[tiny-types\] types: [\d.]+ ms$/m);
    expect(r.stderr.trimEnd().split("\n").every((l) => l.startsWith("btforge: trace: "))).toBe(true);
    expect(r.stdout).toMatch(/^hook +plugin +ms$/m);
    expect(r.stdout).toMatch(/^types +tiny-types +[\d.]+$/m);
    expect(r.stdout).toMatch(/^finalize +verify +[\d.]+$/m);
  });

  test.skipIf(notBuilt)("--no-verify skips the validator; --quiet still prints the summary", async () => {
    const r = await runCli(["encode", SAMPLE_OBJECT, "--config", plain, "--no-verify", "--quiet", "--json"]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.validation).toBeNull();
    expect(report.timings.taps.some((t) => t.plugin === "verify")).toBe(false);
  });

  test.skipIf(notBuilt)("invalid BTF: the kinds are printed, then one error line, exit 1, nothing written", async () => {
    const out = join(dir, "broken.btf");
    const r = await runCli(["encode", SAMPLE_OBJECT, "--config", broken, "-o", out]);
    expect(r.code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(r.stdout).toMatch(/^kind +types$/m);
    expect(r.stdout).toMatch(/^STRUCT +\d+$/m);
    expect(r.stdout).toContain("not written");
    expect(r.stdout).toMatch(/^validation: \d+ problem\(s\)$/m);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^btforge: ${SAMPLE_OBJECT}: the encoded BTF is not valid, nothing written .*type_id=900000`));
    const json = await runCli(["encode", SAMPLE_OBJECT, "--config", broken, "--json"]);
    const report = JSON.parse(json.stdout) as Report;
    expect(report).toMatchObject({ ok: false, output: null, validation: { ok: false } });
    expect(report.error).toContain("not valid");
    expect(report.btf.kinds.STRUCT).toBeGreaterThanOrEqual(1);
  });

  test.skipIf(notBuilt)("a failure before the types phase: the error line only", async () => {
    const notElf = join(dir, "notes.txt");
    writeFileSync(notElf, "not an object file\n".repeat(8));
    const r = await runCli(["encode", notElf, "--config", plain]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  test.skipIf(notBuilt)("two output targets: a usage error, exit 2", async () => {
    const r = await runCli(["encode", SAMPLE_OBJECT, "-o", join(dir, "x.btf"), "--in-place"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("btforge: -o and --in-place exclude each other: choose one place for the BTF\n");
  });

  test.skipIf(notBuilt || noReadelf || noBpftool)("--in-place: .BTF added; every other section byte-identical; same bytes as -o", async () => {
    const copy = join(dir, "inplace.o");
    copyFileSync(SAMPLE_OBJECT, copy);
    const before = peerSections(copy);
    const beforeBytes = readFileSync(copy);
    const raw = join(dir, "inplace.btf");
    expect((await runCli(["encode", copy, "--config", withVars, "-o", raw])).code).toBe(0);
    const r = await runCli(["encode", copy, "--config", withVars, "--in-place", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Report).output).toEqual({ kind: "in-place", path: copy });
    const after = peerSections(copy);
    const afterBytes = readFileSync(copy);
    const slice = (bytes: Buffer, s: { offset: number; size: number }) => bytes.subarray(s.offset, s.offset + s.size);
    const btf = after.filter((s) => s.name === ".BTF");
    expect(btf).toHaveLength(1);
    expect(slice(afterBytes, btf[0]).equals(readFileSync(raw))).toBe(true);
    for (const s of before) {
      const t = after[s.index];
      expect({ ...t, offset: 0, size: 0 }, s.name).toEqual({ ...s, offset: 0, size: 0 });
      if (s.name === ".shstrtab") {
        // The name table grows by ".BTF\0": its old contents stay, as a prefix.
        expect(slice(afterBytes, t).subarray(0, s.size).equals(slice(beforeBytes, s))).toBe(true);
        continue;
      }
      expect(t.size, s.name).toBe(s.size);
      if (s.type !== 8 /* NOBITS */) expect(slice(afterBytes, t).equals(slice(beforeBytes, s)), s.name).toBe(true);
    }
    expect(bpftool(copy).text).toBe(bpftool(raw).text);
    // Encoding again replaces the section: same file, byte for byte.
    expect((await runCli(["encode", copy, "--config", withVars, "--in-place"])).code).toBe(0);
    expect(readFileSync(copy).equals(afterBytes)).toBe(true);
  });

  test.skipIf(notBuilt)("--elf-out writes a copy with .BTF; the input is not touched", async () => {
    const input = join(dir, "elfout-in.o");
    const output = join(dir, "elfout-out.o");
    copyFileSync(SAMPLE_OBJECT, input);
    const hash = sha(input);
    const r = await runCli(["encode", input, "--config", plain, "--elf-out", output]);
    expect(r.code, r.stderr).toBe(0);
    expect(sha(input)).toBe(hash);
    expect(r.stdout.split("\n")[0]).toMatch(new RegExp(`wrote \\d+ bytes to ${output} \\(\\.BTF section of a copy\\)$`));
    if (!noReadelf) expect(peerSections(output).some((s) => s.name === ".BTF")).toBe(true);
  });

  test.skipIf(notBuilt || skipBecause(toolMissing("objcopy"), "killed --in-place run"))(
    "--in-place killed while it writes: the original ELF is intact",
    async () => {
      // A big section makes the write long enough to be caught in the middle: the kill lands as
      // soon as the temporary file appears beside the input.
      const big = join(dir, "big.o");
      const filler = join(dir, "filler.bin");
      writeFileSync(filler, Buffer.alloc(192 * 1024 * 1024, 0x5a));
      const made = spawnSync("objcopy", ["--add-section", `.btforge_filler=${filler}`, SAMPLE_OBJECT, big]);
      expect(made.status, made.stderr?.toString()).toBe(0);
      rmSync(filler);
      const hash = sha(big);
      const names = new Set(readdirSync(dir));
      const child = spawn(process.execPath, [CLI_BIN, "encode", big, "--config", plain, "--in-place"], { stdio: "ignore" });
      let sawTemp = false;
      const watcher = watch(dir, (_event, name) => {
        if (!sawTemp && name && !names.has(name) && name.startsWith(".big.o.") && name.endsWith(".tmp")) {
          sawTemp = true;
          child.kill("SIGKILL");
        }
      });
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on("close", (c, s) => resolve([c, s])));
      watcher.close();
      expect(sawTemp, `exit ${code}: the write never started or finished unseen`).toBe(true);
      expect(signal).toBe("SIGKILL");
      expect(sha(big)).toBe(hash);
    },
    60_000,
  );

  test.skipIf(notBuilt || skipBecause(toolMissing("script"), "progress bar on a terminal"))("a progress bar on a terminal only, not with --quiet", async () => {
    const inTty = (extra: string) =>
      spawnSync("script", ["-qfec", `${process.execPath} ${CLI_BIN} encode ${SAMPLE_OBJECT} --config ${ticking} ${extra}`, "/dev/null"], { encoding: "utf8" }).stdout;
    const bar = /\d\/\d+ /;
    expect(inTty("")).toMatch(/2\/2 b\.c/);
    expect(inTty("--quiet")).not.toMatch(bar);
    const piped = await runCli(["encode", SAMPLE_OBJECT, "--config", ticking]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe("");
  });
});

/** Undefined when core's own encoder makes types (the minimal profile, no test plugin), else why not. */
function coreEncoderMissing(): string | undefined {
  if (cliMissing()) return cliMissing();
  const r = spawnSync(process.execPath, [CLI_BIN, "encode", SAMPLE_OBJECT, "--profile", "minimal", "--json", "--no-verify", "--quiet"], { encoding: "utf8" });
  if (r.status !== 0) return `encode --profile minimal fails: ${r.stderr.trim()}`;
  return (JSON.parse(r.stdout) as Report).btf.types > 0 ? undefined : "core's types plugin is not there yet (no types encoded)";
}

describe("btforge encode with core's encoder", () => {
  const noEncoder = skipBecause(coreEncoderMissing(), "encode with core's encoder");
  const inputs = [SAMPLE_OBJECT, ...["gcc12-dwarf5-O2-corpus.o", "gcc12-dwarf4-O2-bitfields.o", "clang14-dwarf5-O0-clang_btf_tags.o"].map((f) => join(FIXTURE_OBJ_DIR, f))];
  test.skipIf(noEncoder || noBpftool).each(inputs)("%s: -o output is read by bpftool as summarized, and the kernel takes it", async (input) => {
    const out = join(dir, `${input.split("/").pop()}.btf`);
    const r = await runCli(["encode", input, "--profile", "minimal", "-o", out, "--json", "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as Report;
    const { text: _text, ...peer } = bpftool(out);
    expect(counts(report)).toEqual(peer);
    expect(report.btf.totalBytes).toBe(readFileSync(out).length);
    expect(report.validation).toEqual({ ok: true, problems: 0 });
    const kernel = await runCli(["validate", out, "--kernel"]);
    expect(kernel.code, kernel.stdout).toBe(0);
    expect(kernel.stdout).toMatch(/kernel: (accepted|not checked)/);
  });
});
