// Globs as users write them for section and variable names: * any run, ? one character, [abc]
// and [a-z] classes ([!abc] negated); every other character stands for itself.

const SPECIAL = /[\\^$.+(){}|]/;

/** An anchored regular expression for the glob. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const close = glob.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, close).replace(/\\/g, "\\\\");
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      source += `[${body}]`;
      i = close;
    } else source += SPECIAL.test(c) || c === "]" ? `\\${c}` : c;
  }
  return new RegExp(`^${source}$`);
}

/** A name pattern: `/source/flags` is a regular expression, anything else a glob. */
export function namePattern(pattern: string): RegExp {
  const regex = /^\/(.*)\/([dimsuy]*)$/s.exec(pattern);
  return regex ? new RegExp(regex[1]!, regex[2]) : globToRegExp(pattern);
}

/** Whether any of the patterns matches. */
export function matchesAny(patterns: readonly RegExp[], name: string): boolean {
  for (const p of patterns) if (p.test(name)) return true;
  return false;
}
