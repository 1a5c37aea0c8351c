// What a run keeps of its input: a run that read its own ELF drops the parsed DWARF before
// finalize (dedup then has that memory); keepDwarf keeps it; a types snapshot lets another run
// over the same input skip load, dwarf and types and still give the same BTF.
import { expect, test } from "vitest";
import { writeBtf } from "@btforge/btf";
import { Encoder, emptyConfig, FunctionsPlugin, loaderPlugins, NO_FEATURES, snapshotTypes, type TypesSnapshot, TypesPlugin } from "@btforge/core";
import { SAMPLE_OBJECT } from "../../../test/support/paths.js";

const config = { ...emptyConfig("test"), features: { ...NO_FEATURES, functions: true } };
const encoder = () => new Encoder({ config, plugins: [...loaderPlugins(), new TypesPlugin(), new FunctionsPlugin()] });

test("the DWARF is dropped before finalize unless keepDwarf", async () => {
  const dropped = await encoder().run(SAMPLE_OBJECT);
  expect(dropped.hasDwarf).toBe(false);
  const kept = await encoder().run(SAMPLE_OBJECT, { keepDwarf: true });
  expect(kept.hasDwarf).toBe(true);
  expect(writeBtf(kept.btf)).toEqual(writeBtf(dropped.btf));
  dropped.close();
  kept.close();
});

test("a run from a types snapshot skips load, dwarf and types and gives the same BTF", async () => {
  const first = encoder();
  let snapshot: TypesSnapshot | undefined;
  const full = await first.run(SAMPLE_OBJECT, { keepDwarf: true, afterTypes: (e) => (snapshot = snapshotTypes(first, e, "first")) });
  const again = await encoder().runOn(full.input, { fromTypes: snapshot });
  expect(again.timings.phases.types).toBeUndefined();
  expect(again.timings.phases.symbols).toBeGreaterThan(0);
  expect(writeBtf(again.btf)).toEqual(writeBtf(full.btf));
  const other = new Encoder({ config: { ...config, features: { ...config.features, float: true } }, plugins: [...loaderPlugins(), new TypesPlugin()] });
  await expect(other.runOn(full.input, { fromTypes: snapshot })).rejects.toThrow(/other type features or plugins/);
  full.close();
});
