import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Tests run against the TypeScript sources, not dist/, so a test never sees a stale build. The
// package → source mapping is tsconfig.tests.json's `paths`, the same one `tsc` type-checks the
// tests with.
const root = new URL("./", import.meta.url);
const { compilerOptions } = JSON.parse(readFileSync(new URL("tsconfig.tests.json", root), "utf8")) as {
  compilerOptions: { paths: Record<string, [string]> };
};
const alias = Object.fromEntries(Object.entries(compilerOptions.paths).map(([name, [path]]) => [name, fileURLToPath(new URL(path, root))]));

export default defineConfig({
  resolve: { alias },
  test: {
    // Differential suites shell out to gcc, clang, pahole and bpftool; keep them from starving each other on 2 cores.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // Speed is measured by the bench scripts, never by a test's deadline: a deadline here only
    // catches a hang, so it is far above any test's time on a machine shared with other work.
    testTimeout: 600_000,
    hookTimeout: 1_800_000,
    include: ["packages/*/test/**/*.test.ts", "plugins/*/test/**/*.test.ts", "test/**/*.test.ts"],
  },
});
