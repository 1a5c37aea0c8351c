// btforge (the CLI) as a library: run the command line in-process, or extend the program.
export { createProgram, main } from "./main.js";
export type { CommandContext, GlobalOptions } from "./context.js";
export { commandContext } from "./context.js";
export { print, table } from "./output.js";
