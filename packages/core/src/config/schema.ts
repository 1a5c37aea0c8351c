// The configuration's shape (TypeScript types mirroring schema/btforge.config.schema.json) and its
// validation with ajv, reported as one line per problem with the key path.
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import type { EncoderPlugin } from "../plugin.js";

/**
 * What an encoding produces. The names are pahole's `--btf_features` (see PAHOLE_FEATURES), so a
 * profile and a pahole command line speak one vocabulary; `functions` and `dedup` are btforge's
 * own (pahole always does both), `lang_exclude` is pahole's `--lang_exclude`.
 */
export interface Features {
  functions: boolean;
  dedup: boolean;
  encode_force: boolean;
  var: boolean;
  float: boolean;
  decl_tag: boolean;
  type_tag: boolean;
  enum64: boolean;
  optimized_func: boolean;
  consistent_func: boolean;
  decl_tag_kfuncs: boolean;
  reproducible_build: boolean;
  distilled_base: boolean;
  global_var: boolean;
  attributes: boolean;
  true_signature: boolean;
  layout: boolean;
  lang_exclude: readonly string[];
}

/** The boolean features, by name. */
export type FeatureSwitch = { [F in keyof Features]: Features[F] extends boolean ? F : never }[keyof Features];

/** One plugin reference as written: a name, [name, options], [name, false], or an instance (JS configs). */
export type PluginReference = string | [string, Record<string, unknown> | false] | EncoderPlugin;

/** A configuration file's contents once it passed the schema. */
export interface ConfigFile {
  $schema?: string;
  description?: string;
  profile?: string;
  extends?: string | string[];
  plugins?: PluginReference[];
  features?: Partial<Features>;
  output?: { file?: string; inPlace?: boolean };
  jobs?: number;
}

/** Where the published schema lives: packages/core/schema, two levels above src/config and dist/config. */
export const CONFIG_SCHEMA_PATH = new URL("../../schema/btforge.config.schema.json", import.meta.url);

/** An ajv instance that accepts the schema's annotation keywords; shared with plugin option checks. */
export function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
  // "x-expected" is an annotation: it words the error for a failing anyOf in plain terms.
  ajv.addKeyword({ keyword: "x-expected", schemaType: "string" });
  return ajv;
}

let configValidator: ValidateFunction | undefined;

function validator(): ValidateFunction {
  configValidator ??= createAjv().compile(JSON.parse(readFileSync(CONFIG_SCHEMA_PATH, "utf8")) as object);
  return configValidator;
}

function describe(error: ErrorObject): { path: string; message: string } {
  const path = error.instancePath || "/";
  switch (error.keyword) {
    case "additionalProperties":
      return { path: `${error.instancePath}/${String(error.params.additionalProperty)}`, message: "unknown key" };
    case "enum":
      return { path, message: `must be one of ${(error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}` };
    case "anyOf":
    case "oneOf": {
      const expected = (error.parentSchema as Record<string, unknown> | undefined)?.["x-expected"];
      return { path, message: typeof expected === "string" ? `must be ${expected}` : error.message ?? "is invalid" };
    }
    default:
      return { path, message: error.message ?? "is invalid" };
  }
}

/**
 * ajv's errors as "PATH: MESSAGE" lines. Inside an anyOf, ajv reports why each branch failed and
 * then the anyOf itself; only the anyOf line is kept (worded by its x-expected), since the branch
 * details describe alternatives the user did not mean.
 */
export function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf").map((e) => `${e.schemaPath}/`);
  const insideAlternative = (e: ErrorObject) => alternatives.some((prefix) => e.schemaPath.startsWith(prefix));
  const lines: string[] = [];
  for (const e of errors) {
    if (insideAlternative(e)) continue;
    const { path, message } = describe(e);
    const line = `${path}: ${message}`;
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

/** Problems with `value` as a configuration file, one "PATH: MESSAGE" line each; empty when valid. */
export function configProblems(value: unknown): string[] {
  const validate = validator();
  return validate(value) ? [] : describeSchemaErrors(validate.errors ?? []);
}
