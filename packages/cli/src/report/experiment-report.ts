// The document `btforge experiment` produces: one parse, then per profile what its BTF holds, its
// verdicts, its growth over the first profile and its time. Pure: built from per-profile results.
import { type BtfSummary, kindNumber } from "./btf-summary.js";
import { percentOf, roundMs } from "./format.js";

export type KernelCheck = { accepted: true } | { accepted: false; errno: string } | { skipped: string };

export interface Growth {
  bytes: number;
  /** Percent of the first profile's figure, two decimals; null when that figure is 0. */
  percent: number | null;
}

/** What one profile's run gave, as the command collected it. */
export interface ProfileRun {
  /** As given in --profiles: a profile name or a configuration file's path. */
  profile: string;
  /** The configuration's own name (ResolvedConfig.profile). */
  config: string;
  btf: BtfSummary | null;
  validation: { ok: boolean; problems: number } | null;
  kernel: KernelCheck | null;
  warnings: number;
  /** The earlier profile whose types this run started from (its types phase did not run), or null. */
  typesFrom: string | null;
  /** ms per phase of this profile's own run (load and dwarf only find the shared input). */
  phases: Record<string, number>;
  totalMs: number;
  error: string | null;
}

export interface ProfileReport extends ProfileRun {
  ok: boolean;
  /** Over the first profile; null for the first, and when either side has no BTF. */
  growth: { totalBytes: Growth; typeBytes: Growth; stringBytes: Growth; types: Growth; vars: Growth } | null;
}

/** The `btforge experiment --json` document (see experiment-schema.ts); keys appear in this order. */
export interface ExperimentReport {
  file: string;
  /** The DWARF was parsed once: the time of that parse. */
  parse: { loadMs: number; dwarfMs: number; totalMs: number };
  profiles: ProfileReport[];
  /** Every kind and DATASEC section seen in any profile, in a stable order (the table's rows). */
  kinds: string[];
  sections: string[];
  totalMs: number;
}

function growth(before: number, after: number): Growth {
  const bytes = after - before;
  return { bytes, percent: percentOf(bytes, before) };
}

function growthOver(first: BtfSummary | null, btf: BtfSummary | null): ProfileReport["growth"] {
  if (!first || !btf) return null;
  return {
    totalBytes: growth(first.totalBytes, btf.totalBytes),
    typeBytes: growth(first.typeBytes, btf.typeBytes),
    stringBytes: growth(first.stringBytes, btf.stringBytes),
    types: growth(first.types, btf.types),
    vars: growth(first.vars, btf.vars),
  };
}

/** Keys of every record, sorted by `order`. */
function unionKeys(records: readonly Record<string, number>[], order: (a: string, b: string) => number): string[] {
  return [...new Set(records.flatMap((r) => Object.keys(r)))].sort(order);
}

export function experimentReport(file: string, parse: { loadMs: number; dwarfMs: number }, runs: readonly ProfileRun[], totalMs: number): ExperimentReport {
  const first = runs[0]?.btf ?? null;
  const profiles = runs.map((run, i): ProfileReport => {
    const ok = run.error === null && (run.kernel === null || !("accepted" in run.kernel) || run.kernel.accepted);
    return { ...run, ok, growth: i === 0 ? null : growthOver(first, run.btf) };
  });
  const summaries = runs.flatMap((r) => (r.btf ? [r.btf] : []));
  return {
    file,
    parse: { loadMs: roundMs(parse.loadMs), dwarfMs: roundMs(parse.dwarfMs), totalMs: roundMs(parse.loadMs + parse.dwarfMs) },
    profiles,
    kinds: unionKeys(summaries.map((s) => s.kinds), (a, b) => kindNumber(a) - kindNumber(b)),
    sections: unionKeys(summaries.map((s) => s.datasecs), (a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    totalMs: roundMs(totalMs),
  };
}
