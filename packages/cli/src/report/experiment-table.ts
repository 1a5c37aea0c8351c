// The experiment as a terminal table: one column per profile, one row per figure, growth over the
// first profile under each size, then verdicts and time. Labels left-aligned, figures right-aligned.
import type { ExperimentReport, Growth, KernelCheck, ProfileReport } from "./experiment-report.js";
import { formatBytes, formatGrowth, formatMs } from "./format.js";

type Row = readonly string[] | "rule";

function align(rows: readonly Row[]): string {
  const cells = rows.filter((r): r is readonly string[] => r !== "rule");
  const widths: number[] = [];
  for (const row of cells) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const width = widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  return rows
    .map((row) => (row === "rule" ? "-".repeat(width) : row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ").trimEnd()))
    .join("\n");
}

const growthCell = (g: Growth | undefined) => (g ? formatGrowth(g.bytes, g.percent) : "");

function kernelCell(k: KernelCheck | null): string {
  if (k === null) return "-";
  if ("skipped" in k) return "not checked";
  return k.accepted ? "accepted" : `rejected (${k.errno})`;
}

function validationCell(p: ProfileReport): string {
  if (p.validation) return p.validation.ok ? "valid" : `invalid (${p.validation.problems})`;
  return p.error !== null ? "failed" : "-";
}

export function formatExperimentTable(report: ExperimentReport): string {
  const ps = report.profiles;
  const per = (cell: (p: ProfileReport) => string): string[] => ps.map(cell);
  const num = (value: (p: ProfileReport) => number | undefined) => per((p) => (p.btf ? String(value(p) ?? 0) : "-"));
  const sized = (label: string, key: "totalBytes" | "typeBytes" | "stringBytes"): Row[] => [
    [label, ...num((p) => p.btf?.[key])],
    ["  growth", ...per((p) => growthCell(p.growth?.[key]))],
  ];
  const rows: Row[] = [
    ["", ...per((p) => p.profile)],
    "rule",
    ...sized("total bytes", "totalBytes"),
    ["  (size)", ...per((p) => (p.btf ? formatBytes(p.btf.totalBytes) : "-"))],
    ...sized("type bytes", "typeBytes"),
    ...sized("string bytes", "stringBytes"),
    "rule",
    ["types", ...num((p) => p.btf?.types)],
    ["  growth", ...per((p) => growthCell(p.growth?.types))],
    ...report.kinds.map((kind): Row => [`  ${kind}`, ...num((p) => p.btf?.kinds[kind])]),
    "rule",
    ["VARs", ...num((p) => p.btf?.vars)],
    ["  growth", ...per((p) => growthCell(p.growth?.vars))],
    ...report.sections.map((section): Row => [`  DATASEC ${section}`, ...num((p) => p.btf?.datasecs[section])]),
    "rule",
    ["validation", ...per(validationCell)],
    ["kernel", ...per((p) => kernelCell(p.kernel))],
    ["warnings", ...per((p) => String(p.warnings))],
    "rule",
    ["types from", ...per((p) => p.typesFrom ?? "-")],
    ...["types", "symbols", "finalize", "write"].map((phase): Row => [`time ${phase}`, ...per((p) => (p.phases[phase] === undefined ? "-" : formatMs(p.phases[phase])))]),
    ["time total", ...per((p) => formatMs(p.totalMs))],
  ];
  const encodeMs = ps.reduce((sum, p) => sum + p.totalMs, 0);
  const lines = [
    `${report.file}: ${ps.length} profile${ps.length === 1 ? "" : "s"} over one parse of the DWARF`,
    "",
    align(rows),
    "",
    `time: parse once ${formatMs(report.parse.totalMs)} (load ${formatMs(report.parse.loadMs)}, dwarf ${formatMs(report.parse.dwarfMs)}), ` +
      `then ${ps.length} encode${ps.length === 1 ? "" : "s"} ${formatMs(encodeMs)}; experiment ${formatMs(report.totalMs)}`,
  ];
  for (const p of ps) if (p.error !== null) lines.push(`${p.profile}: ${p.error}`);
  return lines.join("\n");
}
