#!/usr/bin/env node
// Reading all the DWARF of a file, side by side: `btforge dwarf-stats` (walks every DIE) against
// pahole's DWARF loader (`pahole -F dwarf --sizes`, which loads every type) and llvm-dwarfdump.
// Default input: the cached Debian 6.1 vmlinux. Usage: npm run bench:dwarf [-- FILE] (after npm run build).
import { homedir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { best, haveTool, printTable } from "./lib/measure.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = process.argv[2] ?? join(homedir(), ".cache/btforge/6.1.0-50-cloud-amd64/vmlinux");
const cli = join(root, "packages/cli/dist/bin.js");

const rows = [best("btforge dwarf-stats --json", [process.execPath, cli, "dwarf-stats", "--json", file], 3)];
if (haveTool("pahole")) rows.push(best("pahole -F dwarf --sizes", ["pahole", "-F", "dwarf", "--sizes", file]));
if (haveTool("llvm-dwarfdump")) rows.push(best("llvm-dwarfdump --debug-info", ["sh", "-c", `llvm-dwarfdump --debug-info '${file}' > /dev/null`]));
console.log(file);
printTable(rows);
