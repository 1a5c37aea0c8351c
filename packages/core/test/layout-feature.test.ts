// The feature `layout` (pahole's --btf_features=layout): a configuration that turns it on gets the
// kind layout section in the BTF the encoding writes; split BTF does not get one (upstream pahole
// adds it to base BTF only: a reader takes the base's); without the feature nothing changes.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseBtf, standardKindLayouts, validateBtf } from "@btforge/btf";
import { createEncoder, encodedBytes } from "@btforge/core";
import { SAMPLE_OBJECT } from "../../../test/support/paths.js";

const dir = mkdtempSync(join(tmpdir(), "btforge-layout-feature-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** On the minimal profile: core alone registers no feature plugins (dedup is a plugin package the CLI adds). */
function configFile(features: Record<string, boolean>): string {
  const file = join(dir, `c${Object.keys(features).join("-") || "none"}.json`);
  writeFileSync(file, JSON.stringify({ extends: "minimal", features }));
  return file;
}

/** The bytes the write phase would write for SAMPLE_OBJECT, optionally as split BTF on `base`. */
async function encode(features: Record<string, boolean>, base?: Uint8Array): Promise<Uint8Array> {
  const encoder = await createEncoder({ configFile: configFile(features), search: false });
  const encoding = await encoder.run(SAMPLE_OBJECT, { until: "finalize", base: base && parseBtf(base) });
  try {
    return encodedBytes(encoding);
  } finally {
    encoding.close();
  }
}

describe("feature layout", () => {
  test("is carried out (no longer refused as not supported)", () => {
  });

  test("base BTF: the standard layout section after the types, the same types and strings", async () => {
    const withLayout = await encode({ layout: true });
    const plain = await encode({});
    const a = parseBtf(withLayout);
    const b = parseBtf(plain);
    expect(a.header).toMatchObject({ hdrLen: 32, typeOff: 0, layoutOff: a.header!.typeLen, strOff: a.header!.typeLen + a.header!.layoutLen });
    expect(a.kindLayouts).toEqual(standardKindLayouts());
    expect(b.header).toMatchObject({ hdrLen: 24, layoutLen: 0 });
    expect(b.kindLayouts).toBeUndefined();
    expect(Buffer.from(a.strings.bytes()).equals(Buffer.from(b.strings.bytes()))).toBe(true);
    expect(a.count).toBe(b.count);
    expect(validateBtf(withLayout, { target: "7.1" }).ok).toBe(true);
    expect(validateBtf(withLayout, { target: "7.0" }).problems[0]!.reason).toBe("Unsupported btf_header");
  });

  test("split BTF: no layout section of its own, as upstream pahole", async () => {
    const base = await encode({ layout: true });
    const split = parseBtf(await encode({ layout: true }, base), { base: parseBtf(base) });
    expect(split.header).toMatchObject({ hdrLen: 24, layoutLen: 0 });
    expect(split.kindLayouts).toBeUndefined();
  });
});
