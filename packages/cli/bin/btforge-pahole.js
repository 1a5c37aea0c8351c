#!/usr/bin/env node
// `btforge-pahole`: btforge behind pahole's command line, for `make PAHOLE=btforge-pahole`. Committed
// as plain JavaScript so npm links it at install time; it starts the built front end.
import { existsSync } from "node:fs";

const built = new URL("../dist/pahole-bin.js", import.meta.url);
if (!existsSync(built)) {
  process.stderr.write("btforge-pahole: btforge is not built yet: run `npm run build` in the btforge checkout (npm ci builds it too)\n");
  process.exit(2);
}
await import(built.href);
