import { test, expect } from "vitest";
import { validateBtf, formatProblems } from "../src/validate/index.js";
import { loadIntoKernel, kernelAvailable } from "../src/kernel/index.js";
import { seedBuilders } from "./validate-blobs.js";

test("seeds", () => {
  for (const { name, builder } of seedBuilders()) {
    const bytes = builder.bytes();
    const r = validateBtf(bytes);
    const k = kernelAvailable().ok ? loadIntoKernel(bytes) : undefined;
    console.log(name, r.ok, formatProblems(r), k?.accepted, k?.log.split("\n").slice(-3).join("|"));
    expect(r.ok).toBe(true);
  }
});
