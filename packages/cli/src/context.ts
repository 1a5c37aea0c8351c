// What every command gets from the global options: the configuration to load, how loud to be, the
// progress reporter and where trace lines and warnings go.
import type { Command } from "commander";
import type { Encoding, LoadConfigOptions, ProgressReporter } from "@btforge/core";
import { SILENT_PROGRESS } from "@btforge/core";
import { progressBar } from "./progress-bar.js";

export interface GlobalOptions {
  config?: string;
  profile?: string;
  verbose?: boolean;
  quiet?: boolean;
}

export interface CommandContext {
  readonly options: GlobalOptions;
  /** For loadConfig / createEncoder. */
  readonly configOptions: LoadConfigOptions;
  readonly progress: ProgressReporter;
  readonly trace: ((line: string) => void) | undefined;
  /** Prints the encoding's warnings to stderr unless --quiet. */
  reportDiagnostics(encoding: Encoding): void;
}

export function commandContext(command: Command): CommandContext {
  const options = command.optsWithGlobals<GlobalOptions>();
  const quiet = options.quiet === true;
  return {
    options,
    configOptions: { configFile: options.config, profile: options.profile },
    progress: !quiet && process.stderr.isTTY ? progressBar(process.stderr) : SILENT_PROGRESS,
    trace: options.verbose && !quiet ? (line) => process.stderr.write(`btforge: trace: ${line}\n`) : undefined,
    reportDiagnostics(encoding) {
      if (quiet) return;
      for (const d of encoding.diagnostics) process.stderr.write(`btforge: warning: ${d.message}\n`);
    },
  };
}
