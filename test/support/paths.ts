/** Where things live, relative to the repository root (found from this file, not the cwd). */
import { fileURLToPath } from "node:url";

const fromRoot = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

export const REPO_ROOT = fromRoot("");
export const FIXTURE_C_DIR = fromRoot("test/fixtures/c");
export const FIXTURE_OBJ_DIR = fromRoot("test/fixtures/obj");
export const SAMPLE_OBJECT = fromRoot("test/sample/sample.o");
/** Compiled matrix cells; gitignored. */
export const TEST_BUILD_DIR = fromRoot("test/.build");
export const CLI_BIN = fromRoot("packages/cli/dist/bin.js");
