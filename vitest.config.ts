import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// Tests run against the TypeScript sources, not dist/, so a test never sees a stale build.
const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const alias = {
  "@btforge/elf": src("./packages/elf/src/index.ts"),
  "@btforge/dwarf": src("./packages/dwarf/src/index.ts"),
  "@btforge/btf": src("./packages/btf/src/index.ts"),
  "@btforge/core": src("./packages/core/src/index.ts"),
  "@btforge/plugin-dedup": src("./plugins/dedup/src/index.ts"),
  "@btforge/plugin-percpu": src("./plugins/percpu/src/index.ts"),
  "@btforge/plugin-global-vars": src("./plugins/global-vars/src/index.ts"),
  "@btforge/plugin-distilled-base": src("./plugins/distilled-base/src/index.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    // Differential suites shell out to gcc, clang, pahole and bpftool; keep them from starving each other on 2 cores.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 600_000,
    include: [
      "packages/*/test/**/*.test.ts",
      "plugins/*/test/**/*.test.ts",
      "test/**/*.test.ts",
    ],
  },
});
