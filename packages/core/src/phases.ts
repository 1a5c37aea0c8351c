// The phases an Encoding goes through, in order, and the named stages of the finalize phase.

export const PHASES = ["load", "dwarf", "types", "symbols", "finalize", "write"] as const;
export type Phase = (typeof PHASES)[number];

/**
 * Finalize is one hook ordered by tapable's numeric `stage` rather than many before/after hooks:
 * cleaning up what the encoders made, then dedup, then rewrites for older kernels, then checks of
 * the final table. `hooks.finalize.tapPromise({ name, stage: FINALIZE_STAGE.DEDUP }, fn)`; stages
 * between the named ones are allowed (DEDUP + 10 runs after dedup, before compat).
 */
export const FINALIZE_STAGE = Object.freeze({
  NORMALIZE: -100,
  DEDUP: 0,
  COMPAT: 100,
  VERIFY: 200,
} as const);

/** The phases from the first up to and including `until`. */
export function phasesUntil(until: Phase = "write"): readonly Phase[] {
  return PHASES.slice(0, PHASES.indexOf(until) + 1);
}
