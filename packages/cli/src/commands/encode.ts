// `btforge encode FILE [-o OUT.btf | --in-place | --elf-out OUT.elf] [-B BASE] [--json] [--no-verify]`:
// the whole pipeline over one input, then a summary of what the BTF holds. Writing and verifying
// are core's WriteBtfPlugin and VerifyBtfPlugin, applied after the configured plugins. With -B the
// BTF is split BTF on BASE's (a module on its vmlinux).
import type { Command } from "commander";
import {
  BtforgeError,
  btforgeError,
  Encoder,
  type Encoding,
  type EncoderPlugin,
  loadConfig,
  PHASES,
  readBtfFile,
  type ResolvedConfig,
  resolvePlugins,
  toBtforgeError,
  VerifyBtfPlugin,
  WriteBtfPlugin,
  type WriteTarget,
} from "@btforge/core";
import { commandContext } from "../context.js";
import { print } from "../output.js";
import { encodeReport, formatEncodeReport, type OutputTarget } from "../report/encode-report.js";

interface EncodeOptions {
  output?: string;
  inPlace?: boolean;
  elfOut?: string;
  base?: string;
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

async function encode(file: string, options: EncodeOptions, command: Command): Promise<void> {
  const context = commandContext(command);
  const verbose = context.options.verbose === true;
  // What createEncoder does, in two steps: the configuration's `output` can choose the write
  // target, and the write plugin must be among the plugins the Encoder applies when it is built.
  const config = await loadConfig(context.configOptions);
  const destination = chooseOutput(file, options, config);
  const base = options.base === undefined ? undefined : readBtfFile(options.base);
  const capture = new FailedEncodingCapture();
  const extra: EncoderPlugin[] = [capture];
  if (options.verify) extra.push(new VerifyBtfPlugin());
  if (destination) extra.push(new WriteBtfPlugin({ target: destination.target }));
  const encoder = new Encoder({ config, plugins: [...(await resolvePlugins(config)), ...extra], progress: context.progress, trace: context.trace });

  const started = performance.now();
  let encoding: Encoding;
  try {
    encoding = await encoder.run(file, { base });
  } catch (err) {
    const error = toBtforgeError(err);
    const failed = capture.encoding;
    if (failed && failedAfterTypes(error)) {
      context.reportDiagnostics(failed);
      const report = encodeReport(failed, { output: null, base: options.base, totalMs: performance.now() - started, error: error.message });
      print(options.json ? JSON.stringify(report, null, 2) : formatEncodeReport(report, { verbose }));
    }
    throw error;
  }
  try {
    context.reportDiagnostics(encoding);
    const report = encodeReport(encoding, { output: destination?.output ?? null, base: options.base, totalMs: performance.now() - started });
    print(options.json ? JSON.stringify(report, null, 2) : formatEncodeReport(report, { verbose }));
  } finally {
    encoding.close();
  }
}

const JSON_SHAPE = `
The --json document (keys in this order):
  file, profile          the input and the configuration's name
  ok                     false when the run failed after its types were built (the error is in "error")
  output                 {kind: "raw"|"in-place"|"elf", path} or null when nothing was written
  base                   the -B file, or null
  btf                    {types, kinds: {KIND: count}, headerBytes, typeBytes, stringBytes, totalBytes,
                          vars, datasecs: {SECTION: entries}}
  dedup                  {typesBefore, typesAfter, stringBytesBefore, stringBytesAfter, ms} or null
  distilledBase          {fullBaseTypes, baseTypes, baseBytes, splitTypesBefore, splitTypesAfter, ms, written}
                         (distilled_base: .BTF.base beside .BTF, or FILE.base beside raw -o FILE) or null
  variables              the variable emitter's report (artifact "variables") or null
  validation             {ok, problems} or null with --no-verify
  warnings               number of warnings
  timings                {totalMs, phases: {PHASE: ms}, taps: [{hook, plugin, ms}]}
  error                  the error message, or null
Global options apply: --profile NAME, --config FILE, --verbose (trace on stderr, per-plugin times), --quiet.`;

export function register(program: Command): void {
  program
    .command("encode")
    .description("encode the DWARF of an ELF file as BTF and print a summary; -o, --in-place or --elf-out write it")
    .argument("<file>", "an ELF file with DWARF (object, module, vmlinux)")
    .option("-o, --output <file>", "write raw BTF to this file")
    .option("--in-place", "add or replace the .BTF section of FILE itself, as pahole -J does")
    .option("--elf-out <file>", "write a copy of FILE with the .BTF section added or replaced")
    .option("-B, --base <file>", "encode split BTF on this base BTF (raw, or an ELF's .BTF: the vmlinux of a module)")
    .option("--json", "print the summary as one JSON object")
    .option("--no-verify", "do not check the BTF with the validator before writing it")
    .addHelpText("after", JSON_SHAPE)
    .action(async (file: string, options: EncodeOptions, command: Command) => encode(file, options, command));
}
