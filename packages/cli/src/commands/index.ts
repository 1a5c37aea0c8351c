// Every command, one line each: a command is a module exporting register(program).
import type { Command } from "commander";
// Configurations name the built-in plugins (dedup, percpu-vars, global-vars) by short name: every
// command that encodes needs them registered first.
import "../builtin-plugins.js";
import { register as diff } from "./diff.js";
import { register as dump } from "./dump.js";
import { register as dwarfStats } from "./dwarf-stats.js";
import { register as encode } from "./encode.js";
import { register as experiment } from "./experiment.js";
import { register as pahole } from "./pahole.js";
import { register as validate } from "./validate.js";

export function registerCommands(program: Command): void {
  encode(program);
  experiment(program);
  dwarfStats(program);
  dump(program);
  validate(program);
  pahole(program);
  diff(program);
}
