// The extension points of an Encoder, declared once with their argument tuples. The hook class is
// the contract: AsyncSeries for a phase, SyncBail for a question with a veto, HookMap for dispatch.
import { AsyncSeriesHook, HookMap, SyncBailHook } from "tapable";
import { type DieCursor, tagName } from "@btforge/dwarf";
import type { ElfSection } from "@btforge/elf";
import type { BtforgeError } from "./errors/btforge-error.js";
import type { Encoding } from "./encoding.js";
import type { Phase } from "./phases.js";

/** A variable the variable emitter considers; plugins answer whether it belongs in the BTF. */
export interface VariableInfo {
  name: string;
  /** The ELF section holding it, with its leading dot (".data..percpu"). */
  section: string;
  address: bigint;
  size: number;
}

export type PhaseHook = AsyncSeriesHook<[Encoding]>;

/**
 * Per-DWARF-tag encoder: bails with the BTF type id it produced for the DIE under the cursor.
 * Look one up with `hooks.dieEncoder.get(tag)` and call it only when `isUsed()`: an untapped tag
 * then costs one Map lookup per DIE.
 */
export type DieEncoderHook = SyncBailHook<[Encoding, DieCursor], number | undefined>;

export interface EncoderHooks {
  readonly load: PhaseHook;
  readonly dwarf: PhaseHook;
  readonly types: PhaseHook;
  readonly symbols: PhaseHook;
  /** Ordered by numeric stage: see FINALIZE_STAGE. */
  readonly finalize: PhaseHook;
  readonly write: PhaseHook;
  /** After the phases, whether they succeeded or not (after `failed` when they did not). */
  readonly done: AsyncSeriesHook<[Encoding]>;
  /** When a phase (or `done` after success) failed; before `done`. */
  readonly failed: AsyncSeriesHook<[Encoding, BtforgeError]>;
  /** Whether variables of this ELF section are encoded (true/false), or no opinion (undefined). */
  readonly includeSection: SyncBailHook<[Encoding, ElfSection], boolean | undefined>;
  /** Whether this variable is encoded (true/false), or no opinion (undefined). */
  readonly includeVariable: SyncBailHook<[Encoding, VariableInfo], boolean | undefined>;
  /** Keyed by DWARF tag number (DW_TAG.*). */
  readonly dieEncoder: HookMap<DieEncoderHook>;
}

export type PhaseHooks = Pick<EncoderHooks, Phase>;

export function createHooks(): EncoderHooks {
  const phase = (name: Phase): PhaseHook => new AsyncSeriesHook<[Encoding]>(["encoding"], name);
  return Object.freeze({
    load: phase("load"),
    dwarf: phase("dwarf"),
    types: phase("types"),
    symbols: phase("symbols"),
    finalize: phase("finalize"),
    write: phase("write"),
    done: new AsyncSeriesHook<[Encoding]>(["encoding"], "done"),
    failed: new AsyncSeriesHook<[Encoding, BtforgeError]>(["encoding", "error"], "failed"),
    includeSection: new SyncBailHook<[Encoding, ElfSection], boolean | undefined>(["encoding", "section"], "includeSection"),
    includeVariable: new SyncBailHook<[Encoding, VariableInfo], boolean | undefined>(["encoding", "variable"], "includeVariable"),
    dieEncoder: new HookMap<DieEncoderHook>(
      (tag: number) => new SyncBailHook<[Encoding, DieCursor], number | undefined>(["encoding", "die"], `dieEncoder[${tagName(tag)}]`),
    ),
  });
}
