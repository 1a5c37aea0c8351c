// The published JSON Schema (draft-07) of `btforge experiment --json`; `btforge experiment
// --json-schema` prints it. It mirrors ExperimentReport in experiment-report.ts: change both.

const count = { type: "integer", minimum: 0 } as const;
const ms = { type: "number", minimum: 0 } as const;
const counts = { type: "object", additionalProperties: count } as const;
const growth = {
  type: "object",
  additionalProperties: false,
  required: ["bytes", "percent"],
  properties: { bytes: { type: "integer" }, percent: { type: ["number", "null"] } },
} as const;

const btfSummary = {
  type: "object",
  additionalProperties: false,
  required: ["types", "kinds", "headerBytes", "typeBytes", "stringBytes", "layoutBytes", "totalBytes", "vars", "datasecs"],
  properties: {
    types: count,
    kinds: { ...counts, description: "types per BTF kind name (INT, STRUCT, ...)" },
    headerBytes: count,
    typeBytes: count,
    stringBytes: count,
    layoutBytes: count,
    totalBytes: count,
    vars: count,
    datasecs: { ...counts, description: "DATASEC entries per section name" },
  },
} as const;

const kernel = {
  oneOf: [
    { type: "object", additionalProperties: false, required: ["accepted"], properties: { accepted: { const: true } } },
    { type: "object", additionalProperties: false, required: ["accepted", "errno"], properties: { accepted: { const: false }, errno: { type: "string" } } },
    { type: "object", additionalProperties: false, required: ["skipped"], properties: { skipped: { type: "string" } } },
    { type: "null" },
  ],
} as const;

const profile = {
  type: "object",
  additionalProperties: false,
  required: ["profile", "config", "typesFrom", "btf", "validation", "kernel", "warnings", "phases", "totalMs", "error", "ok", "growth"],
  properties: {
    profile: { type: "string", description: "as given in --profiles: a profile name or a configuration file" },
    config: { type: "string", description: "the configuration's own name" },
    btf: { oneOf: [btfSummary, { type: "null" }] },
    validation: {
      oneOf: [{ type: "object", additionalProperties: false, required: ["ok", "problems"], properties: { ok: { type: "boolean" }, problems: count } }, { type: "null" }],
    },
    kernel: { ...kernel, description: "BPF_BTF_LOAD verdict with --kernel, else null" },
    warnings: count,
    typesFrom: { type: ["string", "null"], description: "the earlier profile whose types this run reused (its types phase did not run), or null" },
    phases: { type: "object", additionalProperties: ms, description: "ms per phase of this profile's run" },
    totalMs: ms,
    error: { type: ["string", "null"] },
    ok: { type: "boolean" },
    growth: {
      description: "over the first profile; null for the first",
      oneOf: [
        {
          type: "object",
          additionalProperties: false,
          required: ["totalBytes", "typeBytes", "stringBytes", "types", "vars"],
          properties: { totalBytes: growth, typeBytes: growth, stringBytes: growth, types: growth, vars: growth },
        },
        { type: "null" },
      ],
    },
  },
} as const;

export const EXPERIMENT_JSON_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://btforge.dev/schema/experiment.json",
  title: "btforge experiment report",
  type: "object",
  additionalProperties: false,
  required: ["file", "parse", "profiles", "kinds", "sections", "totalMs"],
  properties: {
    file: { type: "string" },
    parse: {
      type: "object",
      additionalProperties: false,
      required: ["loadMs", "dwarfMs", "totalMs"],
      properties: { loadMs: ms, dwarfMs: ms, totalMs: ms },
      description: "the one parse of the ELF and DWARF every profile reuses",
    },
    profiles: { type: "array", minItems: 1, items: profile },
    kinds: { type: "array", items: { type: "string" } },
    sections: { type: "array", items: { type: "string" } },
    totalMs: ms,
  },
} as const;
