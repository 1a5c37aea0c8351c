// btforge-pahole: pahole's command line in, btforge's encoder out. A kernel build calls it as
// `$(PAHOLE) -J $(PAHOLE_FLAGS) [--btf_base vmlinux] FILE` or with --btf_encode_detached; it prints
// nothing when it succeeds (as pahole), one line per problem when it does not, and exits non-zero.
import { availableParallelism } from "node:os";
import {
  btforgeError,
  Encoder,
  type EncoderPlugin,
  exitCodeFor,
  formatError,
  PAHOLE_FEATURES,
  readBtfFile,
  type ResolvedConfig,
  resolvePlugins,
  toBtforgeError,
  VerifyBtfPlugin,
  WriteBtfPlugin,
} from "@btforge/core";
import "../builtin-plugins.js";
import { parsePaholeArgs, type PaholeRequest } from "./args.js";
import { versionString, reportedVersion } from "./versions.js";

const HELP = `Usage: btforge-pahole -J [OPTION...] FILE...
       btforge-pahole --btf_encode_detached=OUT [OPTION...] FILE
btforge behind pahole's command line, for kernel builds: make PAHOLE=btforge-pahole.
Options: -J, --btf_encode_detached=FILE, --btf_base=FILE, -j[N], --jobs[=N],
  --btf_features=LIST (repeatable; default, +name), --btf_features_strict=LIST,
  --supported_btf_features, --btf_gen_floats, --btf_gen_optimized, --btf_gen_all,
  --btf_encode_force, --skip_encoding_btf_{vars,decl_tag,type_tag,enum64,inconsistent_proto},
  --reproducible_build, --btf_attributes, --lang_exclude=LANGS, --version, --numeric_version, -V, -q.
The LLVM_OBJCOPY variable older kernels set is not used.
`;

/** The configuration an encoding follows: the request's features, no profile file. */
export function paholeConfig(request: PaholeRequest): ResolvedConfig {
  return {
    profile: "pahole",
    files: [],
    features: Object.freeze({ ...request.features }),
    plugins: [],
    output: {},
    jobs: request.jobs === undefined ? 1 : request.jobs === 0 ? availableParallelism() : request.jobs,
  };
}

async function encode(request: PaholeRequest): Promise<void> {
  const config = paholeConfig(request);
  const base = request.base === undefined ? undefined : readBtfFile(request.base);
  const trace = request.verbose ? (line: string) => process.stderr.write(`btforge-pahole: ${line}\n`) : undefined;
  if (trace && request.ignoredFeatures.length > 0) trace(`ignoring unknown features: ${request.ignoredFeatures.join(", ")}`);
  const write = new WriteBtfPlugin({ target: request.detached !== undefined ? { raw: request.detached } : { inPlace: true } });
  const plugins: EncoderPlugin[] = [...(await resolvePlugins(config)), new VerifyBtfPlugin(), write];
  const encoder = new Encoder({ config, plugins, trace });
  for (const input of request.inputs) {
    const encoding = await encoder.run(input, { base });
    encoding.close();
  }
}

/** Runs pahole's command line; resolves to the exit code (never rejects). */
export async function paholeMain(argv: readonly string[]): Promise<number> {
  try {
    const request = parsePaholeArgs(argv);
    switch (request.mode) {
      case "version":
        process.stdout.write(`${versionString()}\n`);
        return 0;
      case "numeric_version":
        process.stdout.write(`${reportedVersion()}\n`);
        return 0;
      case "supported_features":
        process.stdout.write(`${PAHOLE_FEATURES.join(",")}\n`);
        return 0;
      case "help":
        process.stdout.write(HELP);
        return 0;
      case "encode":
        await encode(request);
        return 0;
    }
  } catch (err) {
    const error = toBtforgeError(err);
    process.stderr.write(`${formatError(error, { verbose: argv.includes("-V") || argv.includes("--verbose") })}\n`);
    return exitCodeFor(error);
  }
}
