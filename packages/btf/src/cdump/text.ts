// Indentation as libbpf prints it: one tab per nesting level, at most 13.

const MAX_INDENT = 13;
const TABS = Array.from({ length: MAX_INDENT + 1 }, (_, n) => "\t".repeat(n));

export function indent(lvl: number): string {
  return TABS[Math.min(Math.max(lvl, 0), MAX_INDENT)]!;
}
