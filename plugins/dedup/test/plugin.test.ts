// The plugin inside an Encoder: it taps finalize at the DEDUP stage, replaces encoding.btf,
// records its figures and a trace line; core finds it by the name "dedup" and checks its options.
import { BtfKind, BtfTable } from "@btforge/btf";
import { Encoder, emptyConfig, FINALIZE_STAGE, registerPlugin, resolvePlugins, type Encoding } from "@btforge/core";
import { describe, expect, test } from "vitest";
import DefaultExport, { DEDUP_ARTIFACT, DedupPlugin, dedup, type DedupStats } from "../src/index.js";

/** A types-phase stand-in for the encoder: two units' copies of the same struct. */
function twoUnits(encoding: Encoding): void {
  const t = new BtfTable();
  for (let unit = 0; unit < 2; unit++) {
    const int = t.addInt("int", 4, 1, 0, 32);
    t.addStruct("point", 8, [
      { name: "x", type: int, bitOffset: 0 },
      { name: "y", type: int, bitOffset: 32 },
    ]);
  }
  encoding.btf = t;
}

async function encode(plugins: { apply(e: Encoder): void }[]): Promise<{ encoding: Encoding; trace: string[]; seenAfter: number[] }> {
  const trace: string[] = [];
  const seenAfter: number[] = [];
  const encoder = new Encoder({
    plugins: [
      { apply: (e) => e.hooks.types.tap("two-units", twoUnits) },
      ...plugins,
      { apply: (e) => e.hooks.finalize.tap({ name: "after-dedup", stage: FINALIZE_STAGE.DEDUP + 10 }, (enc) => void seenAfter.push(enc.btf.count)) },
    ],
    trace: (line) => trace.push(line),
  });
  const encoding = await encoder.run("in-memory", { until: "finalize" });
  return { encoding, trace, seenAfter };
}

describe("DedupPlugin", () => {
  test("replaces encoding.btf before later finalize stages and records its figures", async () => {
    const { encoding, trace, seenAfter } = await encode([new DedupPlugin()]);
    expect(encoding.btf.count).toBe(2);
    expect(encoding.btf.kind(2)).toBe(BtfKind.STRUCT);
    expect(seenAfter).toEqual([2]);
    const stats = encoding.artifacts.get(DEDUP_ARTIFACT) as DedupStats;
    expect(stats.typesBefore).toBe(4);
    expect(stats.typesAfter).toBe(2);
    expect(Array.from(stats.remap)).toEqual([0, 1, 2, 1, 2]);
    expect(trace.some((l) => l.startsWith("[dedup] 4 types → 2"))).toBe(true);
  });

  test("without the plugin the copies stay (the stand-in really duplicates)", async () => {
    const { encoding } = await encode([]);
    expect(encoding.btf.count).toBe(4);
  });

  test("the factory and the default export are the plugin", async () => {
    expect(DefaultExport).toBe(DedupPlugin);
    expect(DedupPlugin.name).toBe("dedup");
    const { encoding } = await encode([dedup({ strict: true })]);
    expect(encoding.btf.count).toBe(2);
  });

  test("core resolves the name dedup to it and checks options against schema.json", async () => {
    registerPlugin("dedup", () => import("../src/index.js"));
    const config = { ...emptyConfig(), features: { ...emptyConfig().features, dedup: true } };
    const plugins = await resolvePlugins(config);
    expect(plugins.some((p) => p instanceof DedupPlugin)).toBe(true);
    const bad = { ...config, plugins: [{ ref: "dedup", options: { strict: "yes" }, from: "test", baseDir: process.cwd() }] };
    await expect(resolvePlugins(bad)).rejects.toThrow(/strict/);
    const unknown = { ...config, plugins: [{ ref: "dedup", options: { fast: true }, from: "test", baseDir: process.cwd() }] };
    await expect(resolvePlugins(unknown)).rejects.toThrow(/fast/);
  });
});
