// Writing results to stdout. A reader that goes away (`btforge dwarf-stats x | head`) is not an
// error: EPIPE ends the process quietly with success.
let closed = false;

process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code !== "EPIPE") throw err;
  closed = true;
  process.exit(0);
});

export function stdoutClosed(): boolean {
  return closed;
}

export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/** Rows as left-aligned text columns and right-aligned number columns, two spaces apart. */
export function table(rows: readonly (readonly (string | number)[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, String(cell).length)));
  return rows
    .map((row) => row.map((cell, i) => (typeof cell === "number" ? String(cell).padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ").trimEnd())
    .join("\n");
}

/**
 * Ends a command with this exit code, its problems already printed (a run over several files prints
 * one line per failed file and then exits 1, without a summary line of its own).
 */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
