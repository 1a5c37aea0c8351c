// The summary of one encoding, as `btforge encode` prints it (text) or emits it (--json): what the
// BTF holds, what dedup did, the verdict, warnings and time per phase. Built from an Encoding that
// succeeded, or from one that failed after its types were made (so a user sees what was produced).
import { type Encoding, isEmptyBtf } from "@btforge/core";
// Types only: the plugin itself loads when a configuration asks for it.
import type { DistilledBaseStats } from "@btforge/plugin-distilled-base";
import { table } from "../output.js";
import { type BtfSummary, summarizeBtf } from "./btf-summary.js";
import { formatMs, plainData, roundMs } from "./format.js";

/** The artifact keys read here, as their producers document them. */
const BTF_BYTES_ARTIFACT = "btf-bytes";
const DEDUP_ARTIFACT = "dedup";
const VARIABLES_ARTIFACT = "variables";
const TYPES_ARTIFACT = "types";
const FUNCTIONS_ARTIFACT = "functions";
const VALIDATION_ARTIFACT = "validation";
const DISTILLED_BASE_ARTIFACT = "distilled-base";

export type OutputTarget = { kind: "raw" | "in-place" | "elf"; path: string };

/** The distilled-base plugin's figures, and where the base went. */
export interface DistilledBaseFigures extends DistilledBaseStats {
  /** Where the distilled base went: "OUT.btf.base" beside raw output, "ELF (.BTF.base)", or null when nothing was written. */
  written: string | null;
}

export interface DedupFigures {
  typesBefore: number;
  typesAfter: number;
  stringBytesBefore: number;
  stringBytesAfter: number;
  ms: number;
}

/** The `btforge encode --json` document; keys appear in this order. */
export interface EncodeReport {
  file: string;
  profile: string;
  ok: boolean;
  /** Where the BTF was written; null when nothing was (no target, or the run failed). */
  output: OutputTarget | null;
  /** The base BTF file (-B) of a split BTF, or null. */
  base: string | null;
  btf: BtfSummary;
  dedup: DedupFigures | null;
  distilledBase: DistilledBaseFigures | null;
  /** The types phase's figures (artifact "types": units, types per kind before dedup), as plain data; null when it did not run. */
  types: unknown;
  /** The function encoder's figures (artifact "functions": definitions, FUNCs, what was left out and why, kfunc tags); null without functions. */
  functions: unknown;
  /** The variable emitter's own report (artifact "variables"), as plain data; null without one. */
  variables: unknown;
  /** The validator's verdict; null with --no-verify. */
  validation: { ok: boolean; problems: number } | null;
  warnings: number;
  timings: { totalMs: number; phases: Record<string, number>; taps: { hook: string; plugin: string; ms: number }[] };
  /** The error line when the run failed, else null. */
  error: string | null;
}

function dedupFigures(value: unknown): DedupFigures | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const keys = ["typesBefore", "typesAfter", "stringBytesBefore", "stringBytesAfter", "ms"] as const;
  if (!keys.every((k) => typeof v[k] === "number")) return null;
  return { typesBefore: v.typesBefore as number, typesAfter: v.typesAfter as number, stringBytesBefore: v.stringBytesBefore as number, stringBytesAfter: v.stringBytesAfter as number, ms: roundMs(v.ms as number) };
}

function distilledBaseFigures(value: unknown, output: OutputTarget | null): DistilledBaseFigures | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const keys = ["fullBaseTypes", "baseTypes", "baseBytes", "splitTypesBefore", "splitTypesAfter", "ms"] as const;
  if (!keys.every((k) => typeof v[k] === "number")) return null;
  const written = output === null ? null : output.kind === "raw" ? `${output.path}.base` : `${output.path} (.BTF.base)`;
  return {
    fullBaseTypes: v.fullBaseTypes as number,
    baseTypes: v.baseTypes as number,
    baseBytes: v.baseBytes as number,
    splitTypesBefore: v.splitTypesBefore as number,
    splitTypesAfter: v.splitTypesAfter as number,
    ms: roundMs(v.ms as number),
    written,
  };
}

/** The BTF bytes VerifyBtfPlugin (or the write phase) serialized, when they were. */
export function encodedBytesOf(encoding: Encoding): Uint8Array | undefined {
  const bytes = encoding.artifacts.get(BTF_BYTES_ARTIFACT);
  return bytes instanceof Uint8Array ? bytes : undefined;
}

/** The validator's verdict (artifact "validation"), when VerifyBtfPlugin ran. */
export function validationVerdict(encoding: Encoding): EncodeReport["validation"] {
  const value = encoding.artifacts.get(VALIDATION_ARTIFACT);
  if (typeof value !== "object" || value === null || typeof (value as { ok?: unknown }).ok !== "boolean") return null;
  const problems = (value as { problems?: unknown }).problems;
  return { ok: (value as { ok: boolean }).ok, problems: Array.isArray(problems) ? problems.length : 0 };
}

/** ms per phase (and done/failed hook) that ran, rounded. */
export function phaseTimes(encoding: Encoding): Record<string, number> {
  const phases: Record<string, number> = {};
  for (const [step, ms] of Object.entries(encoding.timings.phases)) phases[step] = roundMs(ms);
  return phases;
}

export interface EncodeReportExtras {
  output: OutputTarget | null;
  base?: string;
  totalMs: number;
  error?: string;
}

export function encodeReport(encoding: Encoding, extras: EncodeReportExtras): EncodeReport {
  const variables = encoding.artifacts.get(VARIABLES_ARTIFACT);
  const types = encoding.artifacts.get(TYPES_ARTIFACT);
  const functions = encoding.artifacts.get(FUNCTIONS_ARTIFACT);
  return {
    file: encoding.path,
    profile: encoding.profile,
    ok: extras.error === undefined,
    // Nothing is written without types (write-btf says so in a warning).
    output: extras.error === undefined && !isEmptyBtf(encoding) ? extras.output : null,
    base: extras.base ?? null,
    btf: summarizeBtf(encoding.btf, encodedBytesOf(encoding)),
    dedup: dedupFigures(encoding.artifacts.get(DEDUP_ARTIFACT)),
    distilledBase: distilledBaseFigures(encoding.artifacts.get(DISTILLED_BASE_ARTIFACT), extras.error === undefined && !isEmptyBtf(encoding) ? extras.output : null),
    types: types === undefined ? null : plainData(types),
    functions: functions === undefined ? null : plainData(functions),
    variables: variables === undefined ? null : plainData(variables),
    validation: validationVerdict(encoding),
    warnings: encoding.diagnostics.length,
    timings: { totalMs: roundMs(extras.totalMs), phases: phaseTimes(encoding), taps: encoding.timings.taps.map((t) => ({ hook: t.hook, plugin: t.plugin, ms: roundMs(t.ms) })) },
    error: extras.error ?? null,
  };
}

const OUTPUT_WORDS: Record<OutputTarget["kind"], string> = { raw: "raw BTF", "in-place": ".BTF section, in place", elf: ".BTF section of a copy" };

/** Types per kind, as an aligned table with the total. */
export function kindTable(summary: BtfSummary): string {
  return table([["kind", "types"], ...Object.entries(summary.kinds), ["total", summary.types]]);
}

function scalarFields(value: unknown): string {
  if (typeof value !== "object" || value === null) return String(value);
  return Object.entries(value)
    .filter(([, v]) => typeof v !== "object" || v === null)
    .map(([k, v]) => `${k} ${typeof v === "number" && !Number.isInteger(v) ? v.toFixed(1) : String(v)}`)
    .join(", ");
}

/** "functions: 41313 FUNCs from 54634 definitions; left out: ambiguous-address 297, ...; 132 kfunc tags". */
function functionsLine(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const f = value as { encoded?: unknown; states?: unknown; skipped?: unknown; kfuncTags?: unknown; arenaTags?: unknown };
  if (typeof f.encoded !== "number") return undefined;
  const parts = [`functions: ${f.encoded} FUNCs from ${String(f.states)} definitions`];
  const skipped = Object.entries((f.skipped ?? {}) as Record<string, number>).filter(([reason]) => reason !== "declaration" && reason !== "no-symbol");
  if (skipped.length > 0) parts.push(`left out: ${skipped.map(([reason, n]) => `${reason} ${n}`).join(", ")}`);
  if (typeof f.kfuncTags === "number" && f.kfuncTags > 0) parts.push(`${f.kfuncTags} kfunc tags`);
  if (typeof f.arenaTags === "number" && f.arenaTags > 0) parts.push(`${f.arenaTags} arena pointers tagged`);
  return parts.join("; ");
}

export function formatEncodeReport(report: EncodeReport, options: { verbose?: boolean } = {}): string {
  const { btf } = report;
  const head = report.output
    ? `wrote ${btf.totalBytes} bytes to ${report.output.path} (${OUTPUT_WORDS[report.output.kind]})`
    : !report.ok
      ? "not written"
      : btf.types === 0 && report.base === null
        ? "not written (no types)"
        : "not written (no -o, --in-place or --elf-out)";
  const lines = [`${report.file}: profile ${report.profile}, ${head}`, "", kindTable(btf), ""];
  if (report.base) lines.push(`split BTF on ${report.base}`);
  const layout = btf.layoutBytes > 0 ? `, kind layout ${btf.layoutBytes}` : "";
  lines.push(`bytes: header ${btf.headerBytes}, types ${btf.typeBytes}, strings ${btf.stringBytes}${layout}, total ${btf.totalBytes}`);
  if (report.dedup) {
    const d = report.dedup;
    lines.push(`dedup: types ${d.typesBefore} -> ${d.typesAfter}, strings ${d.stringBytesBefore} -> ${d.stringBytesAfter} bytes (${formatMs(d.ms)})`);
  }
  const functions = functionsLine(report.functions);
  if (functions) lines.push(functions);
  if (report.distilledBase) {
    const b = report.distilledBase;
    const where = b.written ? `, written to ${b.written}` : "";
    lines.push(
      `distilled base: ${b.baseTypes} of the base's ${b.fullBaseTypes} types, ${b.baseBytes} bytes${where}; split types ${b.splitTypesBefore} -> ${b.splitTypesAfter} (${formatMs(b.ms)})`,
    );
  }
  const sections = Object.entries(btf.datasecs);
  if (btf.vars > 0 || sections.length > 0) {
    lines.push(`variables: ${btf.vars} VARs, DATASEC entries per section:`, table(sections.map(([name, n]) => [`  ${name}`, n])));
  }
  if (report.variables !== null && typeof report.variables === "object") {
    const fields = scalarFields(report.variables);
    if (fields !== "") lines.push(`variable emitter: ${fields}`);
  }
  if (report.validation) lines.push(`validation: ${report.validation.ok ? "valid BTF" : `${report.validation.problems} problem(s)`}`);
  else if (report.ok) lines.push(btf.types === 0 && report.base === null ? "validation: nothing to validate (no types)" : "validation: skipped (--no-verify)");
  lines.push(`warnings: ${report.warnings}`);
  const phases = Object.entries(report.timings.phases).map(([step, ms]) => `${step} ${formatMs(ms)}`);
  lines.push(`time: ${phases.join(", ")}; total ${formatMs(report.timings.totalMs)}`);
  if (options.verbose && report.timings.taps.length > 0) {
    lines.push("", table([["hook", "plugin", "ms"], ...report.timings.taps.map((t) => [t.hook, t.plugin, t.ms])]));
  }
  return lines.join("\n");
}
