// `btforge encode FILE... [-B BASE] [-o OUT.btf | --in-place | --elf-out OUT.elf] [--json] [--no-verify]`:
// the whole pipeline over each input, then a summary of what the BTF holds. With -B the result is
// split BTF on BASE (a module's BTF on its vmlinux); BASE is read once for every input, so one call
// encodes a kernel's modules. Writing (core's writeEncodedBtf, to each input's destination) and
// verifying (core's VerifyBtfPlugin) are applied after the configured plugins.
import type { Command } from "commander";
import type { BtfTable } from "@btforge/btf";
import {
  BtforgeError,
  btforgeError,
  Encoder,
  type Encoding,
  type EncoderPlugin,
  loadConfig,
  exitCodeFor,
  formatError,
  PHASES,
  readBtfFile,
  type ResolvedConfig,
  resolvePlugins,
  toBtforgeError,
  VerifyBtfPlugin,
  writeEncodedBtf,
  type WriteTarget,
} from "@btforge/core";
import { commandContext } from "../context.js";
import { ExitCode, print } from "../output.js";
import { type EncodeReport, encodeReport, formatEncodeReport, type OutputTarget } from "../report/encode-report.js";

interface EncodeOptions {
  base?: string;
  output?: string;
  inPlace?: boolean;
  elfOut?: string;
  json?: boolean;
  verify: boolean;
}

/**
 * Keeps the Encoding of a failed run. Core closes a failed Encoding and rejects with the error
 * alone; its `failed` hook is the one place that still sees the Encoding, with everything the
 * phases built before the failure. Capturing it there (rather than running until "finalize"
 * ourselves and then writing) keeps one code path for every phase, so a validator failure in
 * finalize still lets the CLI print the types per kind before the error line.
 */
export class FailedEncodingCapture implements EncoderPlugin {
  static readonly name = "cli-failure-summary";
  encoding: Encoding | undefined;

  apply(encoder: Encoder): void {
    encoder.hooks.failed.tap(FailedEncodingCapture.name, (encoding) => {
      this.encoding = encoding;
    });
  }
}

/** Where the BTF goes: the command line's choice, else the configuration's `output`, else nowhere. */
export function chooseOutput(file: string, options: EncodeOptions, config: ResolvedConfig): { target: WriteTarget; output: OutputTarget } | undefined {
  const chosen = [options.output !== undefined && "-o", options.inPlace && "--in-place", options.elfOut !== undefined && "--elf-out"].filter(Boolean);
  if (chosen.length > 1) throw btforgeError("USAGE", [`${chosen.join(" and ")} exclude each other: choose one place for the BTF`]);
  return outputFor(file, options, config);
}

/** The write target for one of the inputs (the choice was checked once by chooseOutput). */
function outputFor(file: string, options: EncodeOptions, config: ResolvedConfig): { target: WriteTarget; output: OutputTarget } | undefined {
  if (options.output !== undefined) return { target: { raw: options.output }, output: { kind: "raw", path: options.output } };
  if (options.inPlace) return { target: { inPlace: true }, output: { kind: "in-place", path: file } };
  if (options.elfOut !== undefined) return { target: { inElf: options.elfOut }, output: { kind: "elf", path: options.elfOut } };
  if (config.output.file !== undefined) return { target: { raw: config.output.file }, output: { kind: "raw", path: config.output.file } };
  if (config.output.inPlace) return { target: { inPlace: true }, output: { kind: "in-place", path: file } };
  return undefined;
}

/** Whether the types phase had finished when the run failed: only then is there BTF worth describing. */
export function failedAfterTypes(error: BtforgeError): boolean {
  const at = PHASES.indexOf(error.phase as (typeof PHASES)[number]);
  return at > PHASES.indexOf("types");
}

/** Several inputs cannot share one output file. */
function checkInputs(files: readonly string[], options: EncodeOptions): void {
  if (files.length < 2) return;
  const single = options.output !== undefined ? "-o" : options.elfOut !== undefined ? "--elf-out" : undefined;
  if (single) throw btforgeError("USAGE", [`${single} names one output file, but ${files.length} inputs were given: use --in-place, or one input`]);
}

/** Where each run's BTF goes, set before each input's run (in place, each input is its own destination). */
class PerInputWrite implements EncoderPlugin {
  static readonly name = "write-btf";
  target: WriteTarget | undefined;

  apply(encoder: Encoder): void {
    encoder.hooks.write.tap(PerInputWrite.name, (encoding) => {
      if (this.target) writeEncodedBtf(encoding, this.target);
    });
  }
}

async function encode(files: string[], options: EncodeOptions, command: Command): Promise<void> {
  const context = commandContext(command);
  const verbose = context.options.verbose === true;
  checkInputs(files, options);
  const config = await loadConfig(context.configOptions);
  chooseOutput(files[0]!, options, config);
  // The base is read once, whatever the number of inputs.
  const base: BtfTable | undefined = options.base === undefined ? undefined : readBtfFile(options.base);
  const capture = new FailedEncodingCapture();
  const writer = new PerInputWrite();
  const extra: EncoderPlugin[] = [capture];
  if (options.verify) extra.push(new VerifyBtfPlugin());
  extra.push(writer);
  const encoder = new Encoder({ config, plugins: [...(await resolvePlugins(config)), ...extra], progress: context.progress, trace: context.trace });

  const reports: EncodeReport[] = [];
  let failures = 0;
  let lastError: BtforgeError | undefined;
  for (const file of files) {
    const destination = outputFor(file, options, config);
    writer.target = destination?.target;
    capture.encoding = undefined;
    const started = performance.now();
    let encoding: Encoding;
    try {
      encoding = await encoder.run(file, { base });
    } catch (err) {
      const error = toBtforgeError(err);
      const failed = capture.encoding;
      if (failed && failedAfterTypes(error)) {
        context.reportDiagnostics(failed);
        reports.push(encodeReport(failed, { output: null, base: options.base, totalMs: performance.now() - started, error: error.message }));
      }
      if (files.length === 1) {
        printReports(reports, options, verbose, false);
        throw error;
      }
      process.stderr.write(`${formatError(error, { verbose })}\n`);
      failures++;
      lastError = error;
      continue;
    }
    try {
      context.reportDiagnostics(encoding);
      reports.push(encodeReport(encoding, { output: destination?.output ?? null, base: options.base, totalMs: performance.now() - started }));
    } finally {
      encoding.close();
    }
  }
  printReports(reports, options, verbose, files.length > 1);
  if (failures > 0) throw new ExitCode(exitCodeFor(lastError));
}

/** One report per input: text blocks a blank line apart, or JSON (an array when there were several inputs). */
function printReports(reports: readonly EncodeReport[], options: EncodeOptions, verbose: boolean, many: boolean): void {
  if (reports.length === 0) return;
  if (options.json) print(JSON.stringify(many ? reports : reports[0], null, 2));
  else print(reports.map((r) => formatEncodeReport(r, { verbose })).join("\n\n"));
}

const JSON_SHAPE = `
The --json document (keys in this order; an array of them when several inputs were given):
  file, profile          the input and the configuration's name
  ok                     false when the run failed after its types were built (the error is in "error")
  output                 {kind: "raw"|"in-place"|"elf", path} or null when nothing was written
  base                   the -B file, or null
  btf                    {types, kinds: {KIND: count}, headerBytes, typeBytes, stringBytes, totalBytes,
                          vars, datasecs: {SECTION: entries}}
  dedup                  {typesBefore, typesAfter, stringBytesBefore, stringBytesAfter, ms} or null
  distilledBase          {fullBaseTypes, baseTypes, baseBytes, splitTypesBefore, splitTypesAfter, ms, written}
                         (distilled_base: .BTF.base beside .BTF, or FILE.base beside raw -o FILE) or null
  types                  the types phase: {units, excludedUnits, perKind, types, crossUnitRefs, ms} or null
  functions              the function encoder: {candidates, states, encoded, elfFunctions, skipped: {REASON: n},
                          kfuncs, kfuncTags, arenaTags, ms} or null
  variables              the variable emitter's report (artifact "variables") or null
  validation             {ok, problems} or null with --no-verify
  warnings               number of warnings
  timings                {totalMs, phases: {PHASE: ms}, taps: [{hook, plugin, ms}]}
  error                  the error message, or null
Global options apply: --profile NAME, --config FILE, --verbose (trace on stderr, per-plugin times), --quiet.`;

export function register(program: Command): void {
  program
    .command("encode")
    .description("encode the DWARF of ELF files as BTF and print a summary of each; -o, --in-place or --elf-out write it")
    .argument("<files...>", "ELF files with DWARF (objects, modules, a vmlinux)")
    .option("-B, --base <file>", "encode split BTF on this base: raw BTF or an ELF with .BTF (the vmlinux, for modules); read once for every input")
    .option("-o, --output <file>", "write raw BTF to this file (one input)")
    .option("--in-place", "add or replace the .BTF section of each input, as pahole -J does")
    .option("--elf-out <file>", "write a copy of the input with the .BTF section added or replaced (one input)")
    .option("--json", "print the summary as one JSON object")
    .option("--no-verify", "do not check the BTF with the validator before writing it")
    .addHelpText("after", JSON_SHAPE)
    .action(async (files: string[], options: EncodeOptions, command: Command) => encode(files, options, command));
}
