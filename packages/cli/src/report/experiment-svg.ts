// The experiment as an SVG for people who would rather look than read: BTF bytes per profile as
// stacked bars (type section, string section), then DATASEC entries (VARs) per ELF section, one bar
// per profile. Plain SVG 1.1, no scripts or external resources; deterministic for a given report.
import type { ExperimentReport } from "./experiment-report.js";
import { formatBytes } from "./format.js";

const TYPE_COLOR = "#4e79a7";
const STRING_COLOR = "#f28e2b";
const PROFILE_COLORS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
const FONT = `font-family="sans-serif" font-size="12"`;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Rough width of a character of the 12px sans-serif font, to lay out legends without measuring. */
const CHAR_WIDTH = 7;

/** A configuration file's name without its folders: the chart has little room. */
function shortName(profile: string): string {
  return profile.split(/[/\\]/).pop() || profile;
}

const n1 = (v: number) => (Math.round(v * 10) / 10).toString();

function text(x: number, y: number, content: string, anchor: "start" | "middle" | "end" = "middle", extra = ""): string {
  return `<text x="${n1(x)}" y="${n1(y)}" text-anchor="${anchor}" ${FONT}${extra}>${escapeXml(content)}</text>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string, title: string): string {
  return `<rect x="${n1(x)}" y="${n1(y)}" width="${n1(w)}" height="${n1(Math.max(h, 0))}" fill="${fill}"><title>${escapeXml(title)}</title></rect>`;
}

const LEFT = 72;
const BAR_AREA = 180;

function sizeChart(report: ExperimentReport, top: number, width: number): string[] {
  const ps = report.profiles;
  // Bars stack the two sections; the fixed header is only in the label's total.
  const max = Math.max(1, ...ps.map((p) => (p.btf ? p.btf.typeBytes + p.btf.stringBytes : 0)));
  const slot = (width - LEFT - 20) / Math.max(1, ps.length);
  const bar = Math.min(70, slot * 0.6);
  const baseY = top + 46 + BAR_AREA;
  const scale = (bytes: number) => (bytes / max) * BAR_AREA;
  const out = [text(width / 2, top + 14, "BTF bytes per profile (type section + string section)", "middle", ` font-weight="bold"`)];
  out.push(`<line x1="${LEFT}" y1="${baseY}" x2="${width - 20}" y2="${baseY}" stroke="#333"/>`);
  out.push(text(LEFT - 6, baseY, "0", "end"), text(LEFT - 6, baseY - BAR_AREA + 4, formatBytes(max), "end"));
  ps.forEach((p, i) => {
    const x = LEFT + slot * i + (slot - bar) / 2;
    const cx = x + bar / 2;
    out.push(text(cx, baseY + 16, shortName(p.profile)));
    if (!p.btf) {
      out.push(text(cx, baseY - 6, "failed"));
      return;
    }
    const types = scale(p.btf.typeBytes);
    const strings = scale(p.btf.stringBytes);
    out.push(rect(x, baseY - types, bar, types, TYPE_COLOR, `${p.profile}: types ${p.btf.typeBytes} bytes`));
    out.push(rect(x, baseY - types - strings, bar, strings, STRING_COLOR, `${p.profile}: strings ${p.btf.stringBytes} bytes`));
    const g = p.growth?.totalBytes;
    const label = formatBytes(p.btf.totalBytes) + (g && g.percent !== null ? ` (${g.percent > 0 ? "+" : ""}${g.percent.toFixed(1)}%)` : "");
    out.push(text(cx, baseY - types - strings - 6, label));
  });
  const legendY = baseY + 34;
  out.push(rect(LEFT, legendY - 10, 12, 12, TYPE_COLOR, "type section"), text(LEFT + 18, legendY, "type section", "start"));
  out.push(rect(LEFT + 130, legendY - 10, 12, 12, STRING_COLOR, "string section"), text(LEFT + 148, legendY, "string section", "start"));
  return out;
}

function varChart(report: ExperimentReport, top: number, width: number): string[] {
  const ps = report.profiles;
  const out = [text(width / 2, top + 14, "VARs per DATASEC (ELF section), per profile", "middle", ` font-weight="bold"`)];
  const baseY = top + 46 + BAR_AREA;
  if (report.sections.length === 0) return [...out, text(width / 2, top + 60, "no VARs in any profile")];
  const max = Math.max(1, ...ps.flatMap((p) => Object.values(p.btf?.datasecs ?? {})));
  const group = (width - LEFT - 20) / report.sections.length;
  const bar = Math.max(2, Math.min(24, (group * 0.8) / ps.length));
  out.push(`<line x1="${LEFT}" y1="${baseY}" x2="${width - 20}" y2="${baseY}" stroke="#333"/>`);
  out.push(text(LEFT - 6, baseY, "0", "end"), text(LEFT - 6, baseY - BAR_AREA + 4, String(max), "end"));
  report.sections.forEach((section, s) => {
    const start = LEFT + group * s + (group - bar * ps.length) / 2;
    ps.forEach((p, i) => {
      const count = p.btf?.datasecs[section] ?? 0;
      const h = (count / max) * BAR_AREA;
      out.push(rect(start + bar * i, baseY - h, bar, h, PROFILE_COLORS[i % PROFILE_COLORS.length], `${p.profile}: ${section} ${count} VARs`));
    });
    // Section names can be long (".data..read_mostly"): written at an angle below the axis.
    const cx = LEFT + group * s + group / 2;
    out.push(text(cx, baseY + 14, section, "end", ` transform="rotate(-35 ${n1(cx)} ${n1(baseY + 14)})"`));
  });
  let x = LEFT;
  let legendY = baseY + 80;
  ps.forEach((p, i) => {
    const name = shortName(p.profile);
    const advance = 18 + name.length * CHAR_WIDTH + 20;
    if (x > LEFT && x + advance > width) [x, legendY] = [LEFT, legendY + 18];
    out.push(rect(x, legendY - 10, 12, 12, PROFILE_COLORS[i % PROFILE_COLORS.length], p.profile), text(x + 18, legendY, name, "start"));
    x += advance;
  });
  return out;
}

export function experimentSvg(report: ExperimentReport): string {
  const width = Math.max(520, LEFT + 20 + report.profiles.length * 120, LEFT + 20 + report.sections.length * Math.max(40, report.profiles.length * 14));
  // Each chart: a title line, the bars, labels and a legend below the axis.
  const sizeTop = 10;
  const varTop = sizeTop + 286;
  const height = varTop + 346 + 18 * Math.floor(report.profiles.length / 4);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<svg xmlns="http://www.w3.org/2000/svg" width="${n1(width)}" height="${height}" viewBox="0 0 ${n1(width)} ${height}">`,
    `<title>${escapeXml(`btforge experiment: ${report.file}`)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...sizeChart(report, sizeTop, width),
    ...varChart(report, varTop, width),
    `</svg>`,
    "",
  ].join("\n");
}
