// Builds the commander program, runs it, and turns every failure into one line on stderr and an
// exit code: 0 success, 1 bad input or failure, 2 usage or configuration.
import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { exitCodeFor, formatError, toBtforgeError } from "@btforge/core";
import { registerCommands } from "./commands/index.js";
import { paholeMain } from "./pahole/run.js";
import { ExitCode, stdoutClosed } from "./output.js";

const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };

export function createProgram(): Command {
  const program = new Command("btforge")
    .description("DWARF to BTF encoder for Linux kernel and BPF work (what pahole -J does), built from plugins")
    .version(version)
    .option("--config <file>", "use this configuration file instead of searching for btforge.config.* / .btforgerc*")
    .option("--profile <name>", "start from the encoding profile config/NAME.json")
    .option("-v, --verbose", "explain: the trail of errors, a trace of phases and plugins")
    .option("-q, --quiet", "no progress bar, no warnings")
    .exitOverride()
    .configureOutput({
      // commander's own usage errors: one line, in btforge's voice.
      outputError: (text, write) => write(`btforge: ${text.replace(/^error: /, "").trimEnd()}\n`),
    });
  registerCommands(program);
  return program;
}

function isVerbose(argv: readonly string[]): boolean {
  return argv.includes("--verbose") || argv.includes("-v");
}

/** Runs the command line; resolves to the exit code (never rejects). */
export async function main(argv: readonly string[]): Promise<number> {
  // `btforge pahole ...` speaks pahole's (argp) syntax, which commander would misread.
  if (argv[2] === "pahole") return paholeMain(argv.slice(3));
  try {
    await createProgram().parseAsync([...argv]);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with "errors" whose exit code is 0.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof ExitCode) return err.code;
    if (stdoutClosed()) return 0;
    const error = toBtforgeError(err);
    process.stderr.write(`${formatError(error, { verbose: isVerbose(argv) })}\n`);
    return exitCodeFor(error);
  }
}
