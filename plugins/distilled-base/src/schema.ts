// The options schema, loaded from the package's schema.json (one source of truth for ajv and docs).
import { readFileSync } from "node:fs";

export const schema: object = JSON.parse(readFileSync(new URL("../schema.json", import.meta.url), "utf8")) as object;
