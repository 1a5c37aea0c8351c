// `btforge experiment FILE --profiles a,b[,c...] [--json] [--svg OUT.svg] [--kernel]`: the same input
// encoded under several profiles, side by side. The ELF and its DWARF are read once; every profile
// then runs through its own Encoder's runOn over that input, so the cost is one parse plus one
// encode per profile, not N full runs.
import type { Command } from "commander";
import { kernelAvailable, type KernelAvailability, loadIntoKernel } from "@btforge/btf";
import {
  BtforgeError,
  btforgeError,
  Encoder,
  type Encoding,
  type EncodingInput,
  loadConfig,
  type LoadConfigOptions,
  loaderPlugins,
  messages,
  type ResolvedConfig,
  resolvePlugins,
  snapshotTypes,
  toBtforgeError,
  type TypesSnapshot,
  typesKey,
  VerifyBtfPlugin,
  writeFileAtomically,
} from "@btforge/core";
import { type CommandContext, commandContext } from "../context.js";
import { print } from "../output.js";
import { summarizeBtf } from "../report/btf-summary.js";
import { encodedBytesOf, phaseTimes, validationVerdict } from "../report/encode-report.js";
import { experimentReport, type KernelCheck, type ProfileRun } from "../report/experiment-report.js";
import { EXPERIMENT_JSON_SCHEMA } from "../report/experiment-schema.js";
import { experimentSvg } from "../report/experiment-svg.js";
import { formatExperimentTable } from "../report/experiment-table.js";
import { roundMs } from "../report/format.js";
import { failedAfterTypes, FailedEncodingCapture } from "./encode.js";

interface ExperimentOptions {
  profiles?: string;
  json?: boolean;
  svg?: string;
  kernel?: boolean;
  jsonSchema?: boolean;
}

export interface ProfileSpec {
  /** As written in --profiles. */
  label: string;
  options: LoadConfigOptions;
}

const CONFIG_FILE = /[/\\]|\.(json|ya?ml|[cm]?js|ts)$/;

/**
 * `--profiles default,percpu,./mine.json`: an entry with a slash or a configuration file's extension
 * is a configuration file (as with `encode --config FILE`); any other is a profile name, applied the
 * way `encode --profile NAME` applies it (to the --config file or the one found by search, if any).
 */
export function parseProfileList(list: string, configFile: string | undefined): ProfileSpec[] {
  const labels = list.split(",").map((s) => s.trim());
  if (labels.some((l) => l === "")) throw btforgeError("USAGE", [`--profiles ${JSON.stringify(list)} has an empty entry`]);
  const repeated = labels.find((l, i) => labels.indexOf(l) !== i);
  if (repeated !== undefined) throw btforgeError("USAGE", [`--profiles names ${repeated} twice`]);
  return labels.map((label) => ({ label, options: CONFIG_FILE.test(label) ? { configFile: label } : { configFile, profile: label } }));
}

interface PreparedProfile {
  spec: ProfileSpec;
  config: ResolvedConfig;
  encoder: Encoder;
  capture: FailedEncodingCapture;
}

async function prepare(spec: ProfileSpec, context: CommandContext): Promise<PreparedProfile> {
  const config = await loadConfig(spec.options);
  const capture = new FailedEncodingCapture();
  // Every profile's output is checked: VerifyBtfPlugin serializes it too, which gives the sizes.
  const plugins = [...(await resolvePlugins(config)), capture, new VerifyBtfPlugin()];
  // Trace lines say which profile they come from: the profiles run one after another.
  const sink = context.trace;
  const trace = sink && ((line: string) => sink(`${spec.label}: ${line}`));
  return { spec, config, capture, encoder: new Encoder({ config, plugins, progress: context.progress, trace }) };
}

function kernelCheck(bytes: Uint8Array | undefined, available: KernelAvailability | undefined): KernelCheck | null {
  if (available === undefined || bytes === undefined) return null;
  if (!available.ok) return { skipped: available.reason };
  const verdict = loadIntoKernel(bytes);
  return verdict.accepted ? { accepted: true } : { accepted: false, errno: verdict.errno ?? "error" };
}

/** One profile over the shared input; a failure is recorded, not thrown, so the others still run. */
/**
 * One profile over the shared input; a failure is recorded, not thrown, so the others still run.
 * A profile that encodes types like an earlier one (same type features and types-phase plugins)
 * starts from that profile's types snapshot: its run is symbols, finalize and write only.
 */
async function runProfile(
  p: PreparedProfile,
  input: EncodingInput,
  context: CommandContext,
  kernel: KernelAvailability | undefined,
  snapshots: TypesSnapshot[],
): Promise<{ run: ProfileRun; error?: BtforgeError }> {
  const started = performance.now();
  let encoding: Encoding | undefined;
  let error: BtforgeError | undefined;
  const key = typesKey(p.encoder);
  const seed = snapshots.find((s) => s.key === key);
  try {
    encoding = await p.encoder.runOn(input, seed ? { fromTypes: seed } : { afterTypes: (e) => snapshots.push(snapshotTypes(p.encoder, e, p.spec.label)) });
  } catch (err) {
    error = toBtforgeError(err);
    encoding = p.capture.encoding;
  }
  const totalMs = performance.now() - started;
  const base = { profile: p.spec.label, config: p.config.profile, typesFrom: seed?.from ?? null, totalMs: roundMs(totalMs), error: error ? error.message : null };
  if (!encoding) return { run: { ...base, btf: null, validation: null, kernel: null, warnings: 0, phases: {} }, error };
  context.reportDiagnostics(encoding);
  const bytes = encodedBytesOf(encoding);
  const run: ProfileRun = {
    ...base,
    btf: error === undefined || failedAfterTypes(error) ? summarizeBtf(encoding.btf, bytes) : null,
    validation: validationVerdict(encoding),
    kernel: error === undefined ? kernelCheck(bytes, kernel) : null,
    warnings: encoding.diagnostics.length,
    phases: phaseTimes(encoding),
  };
  return { run, error };
}

/** The error the command ends with: the first profile that failed or that the kernel rejected. */
function firstFailure(file: string, results: readonly { run: ProfileRun; error?: BtforgeError }[]): BtforgeError | undefined {
  for (const { run, error } of results) {
    if (error) {
      // The error's own line (which names the file first) with the profile after the file's name.
      const own = error.message;
      const message = own.startsWith(`${file}: `) ? `${file}: profile ${run.profile}: ${own.slice(file.length + 2)}` : `${file}: profile ${run.profile}: ${own}`;
      return new BtforgeError(error.code, `profile ${run.profile}: ${error.detail}`, { location: error.location ?? { file }, cause: error }, message);
    }
    const k = run.kernel;
    if (k && "accepted" in k && !k.accepted) {
      return new BtforgeError("KERNEL_REJECTED", `profile ${run.profile}: ${messages.KERNEL_REJECTED(k.errno)}`, { location: { file } });
    }
  }
  return undefined;
}

async function experiment(file: string | undefined, options: ExperimentOptions, command: Command): Promise<void> {
  if (options.jsonSchema) {
    print(JSON.stringify(EXPERIMENT_JSON_SCHEMA, null, 2));
    return;
  }
  const context = commandContext(command);
  if (file === undefined) throw btforgeError("USAGE", ["experiment needs a FILE to encode"]);
  if (options.profiles === undefined) throw btforgeError("USAGE", ["experiment needs --profiles a,b[,c...]"]);
  if (context.options.profile !== undefined) throw btforgeError("USAGE", ["--profile selects one profile: name every profile in --profiles instead"]);
  const specs = parseProfileList(options.profiles, context.options.config);
  // Every configuration is loaded and its plugins resolved before the input is read: a typo in the
  // last profile fails at once, not after minutes of encoding.
  const prepared: PreparedProfile[] = [];
  for (const spec of specs) prepared.push(await prepare(spec, context));
  const kernel = options.kernel ? kernelAvailable() : undefined;

  const started = performance.now();
  // The parse is profile-neutral: core's loaders only, so each profile's own plugins (including any
  // tapping load or dwarf) run exactly once, in that profile's runOn, where the loaders find the
  // input present and read nothing again.
  const sink = context.trace;
  const parser = new Encoder({ config: prepared[0].config, plugins: loaderPlugins(), progress: context.progress, trace: sink && ((line) => sink(`parse: ${line}`)) });
  const parsed = await parser.run(file, { until: "dwarf" });
  const results: { run: ProfileRun; error?: BtforgeError }[] = [];
  const snapshots: TypesSnapshot[] = [];
  try {
    for (const p of prepared) results.push(await runProfile(p, parsed.input, context, kernel, snapshots));
  } finally {
    parsed.close();
  }
  const parse = { loadMs: parsed.timings.phases.load ?? 0, dwarfMs: parsed.timings.phases.dwarf ?? 0 };
  const report = experimentReport(file, parse, results.map((r) => r.run), performance.now() - started);

  if (options.svg !== undefined) writeFileAtomically(options.svg, new TextEncoder().encode(experimentSvg(report)));
  print(options.json ? JSON.stringify(report, null, 2) : formatExperimentTable(report));
  const failure = firstFailure(file, results);
  if (failure) throw failure;
}

const HELP = `
Each entry of --profiles is a profile name (config/NAME.json, applied like encode --profile NAME,
on top of --config FILE when given) or, when it has a slash or a config file extension
(.json .yaml .yml .js .mjs .cjs .ts), a configuration file (like encode --config FILE):
  btforge experiment vmlinux --profiles percpu,all-globals
  btforge experiment vmlinux --profiles default,./my-profile.json --svg sizes.svg
The input is read and its DWARF parsed once; each profile then runs types, symbols, finalize
(with the validator) and write over it, except that a profile whose type features and
types-phase plugins match an earlier profile's starts from that profile's types (the report's
"types from" row): percpu,all-globals costs one types phase. Nothing is written but the optional SVG. The exit code is
1 when a profile fails or (with --kernel) the kernel rejects its BTF, after the whole report.
--json prints one document; --json-schema prints its JSON Schema.`;

export function register(program: Command): void {
  program
    .command("experiment")
    .description("encode one input under several profiles (DWARF parsed once) and compare sizes, types, VARs and time")
    .argument("[file]", "an ELF file with DWARF (object, module, vmlinux)")
    .option("--profiles <list>", "comma-separated profile names or configuration files; the first is the baseline")
    .option("--json", "print the report as one JSON document")
    .option("--svg <file>", "also write a bar chart of the sizes and VARs per section as SVG")
    .option("--kernel", "also load each profile's BTF into the running kernel (BPF_BTF_LOAD)")
    .option("--json-schema", "print the JSON Schema of the --json document and exit")
    .addHelpText("after", HELP)
    .action(async (file: string | undefined, options: ExperimentOptions, command: Command) => experiment(file, options, command));
}
