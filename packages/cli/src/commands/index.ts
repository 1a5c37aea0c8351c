// Every command, one line each: a command is a module exporting register(program).
import type { Command } from "commander";
import { register as dump } from "./dump.js";
import { register as dwarfStats } from "./dwarf-stats.js";
import { register as validate } from "./validate.js";

export function registerCommands(program: Command): void {
  dwarfStats(program);
  dump(program);
  validate(program);
}
