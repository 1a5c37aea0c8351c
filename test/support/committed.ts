/** The committed fixture objects (test/fixtures/obj) and the file llvm-dwarfdump reads for each. */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import type { BuiltOutput } from "./compile.js";
import { FIXTURE_OBJ_DIR, SAMPLE_OBJECT } from "./paths.js";

/** `NAME.zstd.o` is compared with llvm-dwarfdump's view of `NAME.o`: llvm-dwarfdump 14 has no zstd. */
export function committedObjects(): BuiltOutput[] {
  const objects = readdirSync(FIXTURE_OBJ_DIR)
    .filter((f) => f.endsWith(".o"))
    .sort()
    .map((f) => ({ file: join(FIXTURE_OBJ_DIR, f), oracleFile: join(FIXTURE_OBJ_DIR, f.replace(/\.zstd\.o$/, ".o")) }));
  return [...objects, { file: SAMPLE_OBJECT, oracleFile: SAMPLE_OBJECT }];
}
