#!/usr/bin/env node
// The `btforge` command. Committed as plain JavaScript (not built) so that npm links it at install
// time, before TypeScript has run; it starts the built CLI, or says how to build it.
import { existsSync } from "node:fs";

const built = new URL("../dist/bin.js", import.meta.url);
if (!existsSync(built)) {
  process.stderr.write("btforge: the CLI is not built yet: run `npm run build` in the btforge checkout (npm ci builds it too)\n");
  process.exit(2);
}
await import(built.href);
