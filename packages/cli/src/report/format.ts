// Small formatting helpers shared by the reports.

/** Milliseconds to one decimal, for JSON documents that stay readable and stable in shape. */
export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`;
}

/** Bytes as a reader takes them in: "512 B", "14.2 KiB", "5.31 MiB". */
export function formatBytes(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1024) return `${n} B`;
  if (abs < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
}

/** A signed difference with its percentage of `base`: "+1234 (+5.6%)". */
export function formatGrowth(delta: number, percent: number | null): string {
  const sign = delta > 0 ? "+" : "";
  return percent === null ? `${sign}${delta}` : `${sign}${delta} (${sign}${percent.toFixed(1)}%)`;
}

/** `after - before` as a percentage of `before`, to two decimals; null when before is 0. */
export function percentOf(delta: number, before: number): number | null {
  return before === 0 ? null : Math.round((delta / before) * 10000) / 100;
}

const MAX_DEPTH = 6;

/**
 * A plugin's artifact as JSON-safe plain data: Maps become objects, Sets arrays, bigints strings;
 * typed arrays (id maps, bytes) and functions are left out, since they are data for programs,
 * not for a report.
 */
export function plainData(value: unknown, depth = 0): unknown {
  if (value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "bigint") return value.toString();
  if (typeof value !== "object" || ArrayBuffer.isView(value) || depth >= MAX_DEPTH) return undefined;
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plainData(v, depth + 1)]).filter(([, v]) => v !== undefined));
  if (value instanceof Set || Array.isArray(value)) return [...value].map((v) => plainData(v, depth + 1) ?? null);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainData(v, depth + 1)]).filter(([, v]) => v !== undefined));
}
