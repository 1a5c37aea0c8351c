// Every command, one line each: a command is a module exporting register(program).
import type { Command } from "commander";
import { register as dwarfStats } from "./dwarf-stats.js";

export function registerCommands(program: Command): void {
  dwarfStats(program);
}
