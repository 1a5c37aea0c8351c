// pahole's command line (GNU argp conventions) read into what btforge-pahole should do. Options are
// applied in order, as pahole applies them: the first --btf_features starts from every feature off
// (so a switch before it is forgotten, one after it still counts), later ones add to it; without
// --btf_features, pahole's historical defaults hold (VARs, tags and ENUM64 on, the rest off).
import { btforgeError, type Features, NO_FEATURES, PAHOLE_DEFAULT_FEATURES, PAHOLE_FEATURES } from "@btforge/core";
import { type FlagSpec, PAHOLE_FLAGS, PAHOLE_OTHER_LONG, PAHOLE_OTHER_SHORT } from "./flags.js";

export type PaholeMode = "encode" | "version" | "numeric_version" | "supported_features" | "help";

export interface PaholeRequest {
  mode: PaholeMode;
  features: Features;
  inputs: string[];
  /** --btf_encode_detached: raw BTF to this file instead of .BTF in the input. */
  detached?: string;
  base?: string;
  /** -j/--jobs: the number asked for; 0 for "as many as there are CPUs". */
  jobs?: number;
  verbose: boolean;
  /** Names in --btf_features that are no pahole feature (ignored, as pahole ignores them). */
  ignoredFeatures: string[];
}

/** What `pahole -J FILE` encodes: pahole always encodes functions and deduplicates. */
export function legacyFeatures(): Features {
  return { ...NO_FEATURES, functions: true, dedup: true, var: true, decl_tag: true, type_tag: true, enum64: true };
}

const KNOWN_FEATURES = new Set<string>(PAHOLE_FEATURES);

function usage(message: string): never {
  throw btforgeError("USAGE", [message]);
}

/** The spec of `--name` (argp accepts any unambiguous prefix of a long option). */
function findLong(name: string): FlagSpec {
  const exact = PAHOLE_FLAGS.find((f) => f.long === name);
  if (exact) return exact;
  const prefixed = PAHOLE_FLAGS.filter((f) => f.long.startsWith(name));
  if (prefixed.length === 1 && !PAHOLE_OTHER_LONG.some((o) => o.startsWith(name))) return prefixed[0]!;
  if ((PAHOLE_OTHER_LONG as readonly string[]).includes(name)) {
    usage(`pahole's option --${name} is not something btforge-pahole does: it encodes BTF (-J, --btf_encode_detached) and nothing else`);
  }
  if (prefixed.length > 1) usage(`option --${name} is ambiguous (${prefixed.map((f) => `--${f.long}`).join(", ")})`);
  return usage(`unknown option --${name} (pahole has no such option)`);
}

function findShort(letter: string): FlagSpec {
  const spec = PAHOLE_FLAGS.find((f) => f.short === letter);
  if (spec) return spec;
  if (PAHOLE_OTHER_SHORT.includes(letter)) usage(`pahole's option -${letter} is not something btforge-pahole does: it encodes BTF (-J, --btf_encode_detached) and nothing else`);
  return usage(`unknown option -${letter} (pahole has no such option)`);
}

/** Reads pahole's arguments. Throws a USAGE error (exit 2) for anything it cannot honour. */
export function parsePaholeArgs(argv: readonly string[]): PaholeRequest {
  const request: PaholeRequest = { mode: "encode", features: legacyFeatures(), inputs: [], verbose: false, ignoredFeatures: [] };
  let encode = false;
  let featuresStarted = false;

  const apply = (spec: FlagSpec, value: string | undefined, shown: string) => {
    const effect = spec.effect;
    switch (effect.kind) {
      case "encode":
        encode = true;
        break;
      case "detached":
        encode = true;
        request.detached = value!;
        break;
      case "jobs": {
        if (value === undefined) request.jobs = 0;
        else if (/^\d+$/.test(value)) request.jobs = Number(value);
        else usage(`${shown} takes a number of jobs, not ${JSON.stringify(value)}`);
        break;
      }
      case "base":
        request.base = value!;
        break;
      case "features":
        if (!featuresStarted) {
          // pahole's init_btf_features(): every feature off, once, before the first list.
          for (const f of PAHOLE_FEATURES) request.features[f] = false;
          featuresStarted = true;
        }
        enableFeatures(request, value!, effect.strict);
        break;
      case "switch":
        request.features[effect.feature] = effect.on;
        break;
      case "all":
        for (const f of PAHOLE_DEFAULT_FEATURES) request.features[f] = true;
        break;
      case "lang_exclude":
        request.features.lang_exclude = value!.split(",").map((l) => l.trim()).filter((l) => l !== "");
        break;
      case "verbose":
        request.verbose = true;
        break;
      case "quiet":
        break;
      default:
        request.mode = effect.kind;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      request.inputs.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = findLong(name);
      let value = eq < 0 ? undefined : arg.slice(eq + 1);
      if (spec.arg === "none" && value !== undefined) usage(`--${spec.long} takes no value`);
      if (spec.arg === "required" && value === undefined) {
        if (i + 1 >= argv.length) usage(`--${spec.long} needs a value`);
        value = argv[++i]!;
      }
      apply(spec, value, `--${spec.long}`);
      continue;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      // Bundled short options: -Jj, -j4, -qJ.
      for (let k = 1; k < arg.length; k++) {
        const spec = findShort(arg[k]!);
        if (spec.arg === "none") {
          apply(spec, undefined, `-${spec.short}`);
          continue;
        }
        let value: string | undefined = arg.slice(k + 1) || undefined;
        if (spec.arg === "required" && value === undefined) {
          if (i + 1 >= argv.length) usage(`-${spec.short} needs a value`);
          value = argv[++i]!;
        }
        apply(spec, value, `-${spec.short}`);
        break;
      }
      continue;
    }
    request.inputs.push(arg);
  }

  if (request.mode !== "encode") return request;
  if (!encode) usage("btforge-pahole encodes BTF: give -J (into the file's .BTF) or --btf_encode_detached=FILE");
  if (request.inputs.length === 0) usage("no input file");
  if (request.detached !== undefined && request.inputs.length > 1) usage("--btf_encode_detached writes one BTF: give one input file");
  return request;
}

/** One --btf_features list: "default", "+extra,...", or names; unknown names ignored unless strict. */
function enableFeatures(request: PaholeRequest, list: string, strict: boolean): void {
  let names = list;
  if (names === "default" || names.startsWith("+")) {
    for (const f of PAHOLE_DEFAULT_FEATURES) request.features[f] = true;
    names = names === "default" ? "" : names.slice(1);
  }
  for (const name of names.split(",").filter((n) => n !== "")) {
    if (name === "default") {
      for (const f of PAHOLE_DEFAULT_FEATURES) request.features[f] = true;
    } else if (KNOWN_FEATURES.has(name)) {
      request.features[name as (typeof PAHOLE_FEATURES)[number]] = true;
    } else if (strict) {
      usage(`feature '${name}' in '${list}' is not supported; supported BTF features are ${PAHOLE_FEATURES.join(",")}`);
    } else {
      request.ignoredFeatures.push(name);
    }
  }
}
