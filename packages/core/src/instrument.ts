// Core's own interceptors, registered before any plugin taps: every tap is wrapped so that a
// failure becomes a BtforgeError naming the plugin, hook and phase, and the taps of phase hooks
// are timed into the Encoding (and traced when someone listens). Plugins never time themselves.
import type { HookMap } from "tapable";
import type { Encoding } from "./encoding.js";
import { toBtforgeError } from "./errors/btforge-error.js";
import type { EncoderHooks } from "./hooks.js";

// tapable's FullTap is not exported; this is the part of it the wrapper touches.
interface Tap {
  name: string;
  type: "sync" | "async" | "promise";
  fn: Function;
}

type AnyFn = (...args: unknown[]) => unknown;
type Callback = (err?: unknown, result?: unknown) => void;

interface Interceptable {
  intercept(interceptor: { register: (tap: Tap) => Tap }): void;
}

function record(encoding: Encoding, hook: string, plugin: string, started: number): void {
  const ms = performance.now() - started;
  encoding.timings.taps.push({ hook, plugin, ms });
  if (encoding.tracing) encoding.trace(`${hook}: ${ms.toFixed(1)} ms`, plugin);
}

function wrapTap(tap: Tap, hook: string, timed: boolean): Tap {
  const fn = tap.fn as AnyFn;
  const plugin = tap.name;
  const fail = (err: unknown, encoding: Encoding) => toBtforgeError(err, { phase: encoding.step, plugin, hook });
  switch (tap.type) {
    case "sync":
      return {
        ...tap,
        fn: timed
          ? (...args: unknown[]) => {
              const encoding = args[0] as Encoding;
              const started = performance.now();
              try {
                return fn(...args);
              } catch (err) {
                throw fail(err, encoding);
              } finally {
                record(encoding, hook, plugin, started);
              }
            }
          : (...args: unknown[]) => {
              try {
                return fn(...args);
              } catch (err) {
                throw fail(err, args[0] as Encoding);
              }
            },
      };
    case "promise":
      return {
        ...tap,
        fn: async (...args: unknown[]) => {
          const encoding = args[0] as Encoding;
          const started = performance.now();
          try {
            return await fn(...args);
          } catch (err) {
            throw fail(err, encoding);
          } finally {
            if (timed) record(encoding, hook, plugin, started);
          }
        },
      };
    case "async":
      return {
        ...tap,
        fn: (...args: unknown[]) => {
          const callback = args.pop() as Callback;
          const encoding = args[0] as Encoding;
          const started = performance.now();
          let settled = false;
          const finish = (err?: unknown, result?: unknown) => {
            if (settled) return;
            settled = true;
            if (timed) record(encoding, hook, plugin, started);
            if (err) callback(fail(err, encoding));
            else callback(null, result);
          };
          try {
            fn(...args, finish);
          } catch (err) {
            finish(err);
          }
        },
      };
  }
}

function instrument(hook: Interceptable, name: string, timed: boolean): void {
  hook.intercept({ register: (tap) => wrapTap(tap, name, timed) });
}

export function instrumentHooks(hooks: EncoderHooks): void {
  for (const name of ["load", "dwarf", "types", "symbols", "finalize", "write", "done", "failed"] as const) {
    instrument(hooks[name] as unknown as Interceptable, name, true);
  }
  // Called per variable or per DIE: wrapped for errors only, a clock read per call would cost.
  instrument(hooks.includeSection as unknown as Interceptable, "includeSection", false);
  instrument(hooks.includeVariable as unknown as Interceptable, "includeVariable", false);
  (hooks.dieEncoder as HookMap<unknown>).intercept({
    factory: (key: unknown, hook: unknown) => {
      const h = hook as Interceptable & { name?: string };
      instrument(h, h.name ?? `dieEncoder[${String(key)}]`, false);
      return hook;
    },
  });
}
