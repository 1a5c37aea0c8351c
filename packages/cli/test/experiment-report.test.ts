// report/experiment-report.ts, experiment-table.ts and experiment-svg.ts on hand-made runs: growth
// and its percentages, the union of kinds (in kind order) and sections, failed profiles shown as
// such rather than as zeros, and a chart that escapes names and is the same for the same report.
import { Ajv } from "ajv";
import { describe, expect, test } from "vitest";
import type { BtfSummary } from "../src/report/btf-summary.js";
import { experimentReport, type ProfileRun } from "../src/report/experiment-report.js";
import { EXPERIMENT_JSON_SCHEMA } from "../src/report/experiment-schema.js";
import { experimentSvg } from "../src/report/experiment-svg.js";
import { formatExperimentTable } from "../src/report/experiment-table.js";

function summary(kinds: Record<string, number>, datasecs: Record<string, number>, typeBytes: number, stringBytes: number): BtfSummary {
  const types = Object.values(kinds).reduce((a, b) => a + b, 0);
  return { types, kinds, headerBytes: 24, typeBytes, stringBytes, layoutBytes: 0, totalBytes: 24 + typeBytes + stringBytes, vars: kinds.VAR ?? 0, datasecs };
}

function run(profile: string, btf: BtfSummary | null, error: string | null = null): ProfileRun {
  return {
    profile,
    config: profile,
    typesFrom: null,
    btf,
    validation: btf ? { ok: error === null, problems: error === null ? 0 : 1 } : null,
    kernel: null,
    warnings: 0,
    phases: { load: 0.1, dwarf: 0.1, types: 10, symbols: 2, finalize: 3, write: 0.5, done: 0 },
    totalMs: 16,
    error,
  };
}

const percpu = summary({ INT: 2, STRUCT: 3, VAR: 4, DATASEC: 1 }, { ".data..percpu": 4 }, 1000, 500);
const all = summary({ INT: 2, PTR: 1, STRUCT: 3, VAR: 10, DATASEC: 3 }, { ".bss": 3, ".data": 3, ".data..percpu": 4 }, 1300, 700);

describe("experimentReport", () => {
  test("growth over the first profile, in bytes and percent; kinds in kind order; sections sorted", () => {
    const r = experimentReport("vmlinux", { loadMs: 1, dwarfMs: 2 }, [run("percpu", percpu), run("all-globals", all)], 40);
    expect(r.parse).toEqual({ loadMs: 1, dwarfMs: 2, totalMs: 3 });
    expect(r.profiles[0].growth).toBeNull();
    expect(r.profiles[1].growth).toEqual({
      totalBytes: { bytes: 500, percent: 32.81 },
      typeBytes: { bytes: 300, percent: 30 },
      stringBytes: { bytes: 200, percent: 40 },
      types: { bytes: 9, percent: 90 },
      vars: { bytes: 6, percent: 150 },
    });
    expect(r.kinds).toEqual(["INT", "PTR", "STRUCT", "VAR", "DATASEC"]);
    expect(r.sections).toEqual([".bss", ".data", ".data..percpu"]);
    expect(r.profiles.map((p) => p.ok)).toEqual([true, true]);
    expect(new Ajv({ strict: false }).validate(EXPERIMENT_JSON_SCHEMA, r)).toBe(true);
  });

  test("a zero baseline has no percentage; a failed profile has no growth and is not ok", () => {
    const none = summary({ INT: 1 }, {}, 16, 5);
    const r = experimentReport("x.o", { loadMs: 0, dwarfMs: 0 }, [run("a", none), run("b", all), run("c", null, "x.o: broken")], 1);
    expect(r.profiles[1].growth!.vars).toEqual({ bytes: 10, percent: null });
    expect(r.profiles[2]).toMatchObject({ ok: false, growth: null, btf: null });
  });

  test("a kernel rejection makes the profile not ok; a skipped check does not", () => {
    const rejected = { ...run("a", percpu), kernel: { accepted: false as const, errno: "EINVAL" } };
    const skipped = { ...run("b", percpu), kernel: { skipped: "not root" } };
    const r = experimentReport("x.o", { loadMs: 0, dwarfMs: 0 }, [rejected, skipped], 1);
    expect(r.profiles.map((p) => p.ok)).toEqual([false, true]);
  });
});

describe("formatExperimentTable", () => {
  test("a column per profile; a failed one shows '-' and its error below the table", () => {
    const r = experimentReport("x.o", { loadMs: 1, dwarfMs: 2 }, [run("percpu", percpu), run("all-globals", all), run("broken", null, "x.o: no good")], 60);
    const lines = formatExperimentTable(r).split("\n");
    expect(lines[2].trim().split(/ +/)).toEqual(["percpu", "all-globals", "broken"]);
    const row = (label: string) => lines.find((l) => l.startsWith(label))!.slice(label.length).trim().split(/ {2,}/);
    expect(row("total bytes")).toEqual(["1524", "2024", "-"]);
    expect(row("  DATASEC .bss")).toEqual(["0", "3", "-"]);
    expect(row("validation")).toEqual(["valid", "valid", "failed"]);
    expect(row("time types")).toEqual(["10.0 ms", "10.0 ms", "10.0 ms"]);
    expect(row("  growth")).toEqual(["+500 (+32.8%)"]);
    expect(lines.at(-1)).toBe("broken: x.o: no good");
    expect(lines.at(-2)).toBe("time: parse once 3.0 ms (load 1.0 ms, dwarf 2.0 ms), then 3 encodes 48.0 ms; experiment 60.0 ms");
  });
});

describe("experimentSvg", () => {
  test("deterministic, names escaped, a stacked bar per profile and a bar per profile and section", () => {
    const r = experimentReport("a<b>&.o", { loadMs: 1, dwarfMs: 2 }, [run("p<1>", percpu), run("./dir/all&.json", all)], 60);
    const svg = experimentSvg(r);
    expect(experimentSvg(r)).toBe(svg);
    expect(svg).not.toMatch(/<1>|all&\.json|a<b>/);
    expect(svg).toContain("p&#60;1&#62;: types 1000 bytes");
    expect(svg).toContain("./dir/all&#38;.json: strings 700 bytes");
    const bars = [...svg.matchAll(/<title>([^<]*) VARs<\/title>/g)].map((m) => m[1]);
    expect(bars).toEqual([
      "p&#60;1&#62;: .bss 0",
      "./dir/all&#38;.json: .bss 3",
      "p&#60;1&#62;: .data 0",
      "./dir/all&#38;.json: .data 3",
      "p&#60;1&#62;: .data..percpu 4",
      "./dir/all&#38;.json: .data..percpu 4",
    ]);
    // Bar heights follow the figures: the all-globals stack is (1300+700)/(1000+500) times taller.
    const height = (title: string) => Number(new RegExp(`height="([\\d.]+)"[^>]*><title>${title.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`).exec(svg)![1]);
    const stack = (p: string, t: number, s: number) => height(`${p}: types ${t} bytes`) + height(`${p}: strings ${s} bytes`);
    expect(stack("./dir/all&#38;.json", 1300, 700) / stack("p&#60;1&#62;", 1000, 500)).toBeCloseTo(2000 / 1500, 2);
  });
});
