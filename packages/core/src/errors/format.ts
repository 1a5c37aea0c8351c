// What a user sees: one line per problem ("btforge: FILE: section .debug_info offset 0x1234: ...").
// --verbose adds the trail (plugin, hook, phase, code) and the cause chain; BTFORGE_DEBUG=1 adds
// stack traces.
import { BtforgeError, ConfigError } from "./btforge-error.js";
import { USAGE_CODES } from "./codes.js";

export interface FormatOptions {
  verbose?: boolean;
  /** Print stack traces; defaults to BTFORGE_DEBUG=1 in the environment. */
  debug?: boolean;
}

const PREFIX = "btforge: ";
const MAX_CAUSES = 10;

function trail(err: BtforgeError): string {
  const parts: string[] = [];
  if (err.plugin !== undefined) parts.push(`plugin ${err.plugin}`);
  if (err.hook !== undefined) parts.push(`hook ${err.hook}`);
  if (err.phase !== undefined) parts.push(`phase ${err.phase}`);
  return parts.length > 0 ? `  in ${parts.join(", ")} [${err.code}]` : `  [${err.code}]`;
}

function causes(err: unknown): Error[] {
  const chain: Error[] = [];
  for (let c = err instanceof Error ? err.cause : undefined; c instanceof Error && chain.length < MAX_CAUSES && !chain.includes(c); c = c.cause) {
    chain.push(c);
  }
  return chain;
}

export function formatError(err: unknown, options: FormatOptions = {}): string {
  const debug = options.debug ?? process.env.BTFORGE_DEBUG === "1";
  const message = err instanceof Error ? err.message : String(err);
  // A ConfigError has one line per problem; anything else is flattened to exactly one line.
  const lines = err instanceof ConfigError ? err.problems.map((p) => PREFIX + p) : [PREFIX + message.replace(/\s*\n\s*/g, " ")];
  if (options.verbose || debug) {
    if (err instanceof BtforgeError) lines.push(trail(err));
    for (const c of causes(err)) {
      const code = (c as Error & { code?: unknown }).code;
      const tag = typeof code === "string" ? ` [${code}]` : "";
      lines.push(`  caused by ${c.name}: ${c.message.split("\n")[0]}${tag}`);
    }
  }
  if (debug && err instanceof Error) {
    for (const e of [err, ...causes(err)]) if (e.stack) lines.push(e.stack);
  }
  return lines.join("\n");
}

/** The process exit code for an error: 2 for configuration and usage, 1 for a bad input or a failure. */
export function exitCodeFor(err: unknown): 1 | 2 {
  return err instanceof BtforgeError && USAGE_CODES.has(err.code) ? 2 : 1;
}
