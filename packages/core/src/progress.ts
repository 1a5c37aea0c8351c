// Progress is reported by whoever does per-unit work (a plugin walking compilation units) and shown
// by whoever owns the terminal (the CLI: a bar on a TTY, nothing otherwise). Core only carries the
// reporter from one to the other.

export interface ProgressReporter {
  /** A new task of `total` steps. */
  start(total: number): void;
  /** One step done; `label` names it (a unit's name), shown by reporters that have room. */
  tick(label?: string): void;
  /** The task is over (core also calls it when a run fails, so no bar is left behind). */
  stop(): void;
}

/** The reporter used when nobody watches: every call is free. */
export const SILENT_PROGRESS: ProgressReporter = Object.freeze({
  start() {},
  tick() {},
  stop() {},
});
