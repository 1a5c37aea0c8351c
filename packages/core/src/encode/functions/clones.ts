// What a compiler-made symbol name says about the function behind it. GCC names the copies it makes
// of a function after the function: `foo.isra.0` (scalar replacement of aggregates: parameters
// dropped or split), `foo.constprop.0` (a parameter fixed to a constant and dropped), `foo.part.0`
// (the outlined rest of a partially inlined function) and `foo.cold` (its rarely run blocks), and
// clang adds `foo.llvm.123` to statics it promotes. Everything after the first '.' is such a suffix.

/** Suffix pieces naming code that is not a function of its own: no FUNC can stand for them. */
const NOT_A_FUNCTION = [".cold", ".part"];
/** Suffix pieces naming a copy whose parameters the optimizer changed. */
const OPTIMIZED_COPY = [".isra", ".constprop"];

const suffixHas = (symbol: string, pieces: readonly string[]): boolean => {
  const dot = symbol.indexOf(".");
  if (dot < 0) return false;
  const suffix = symbol.slice(dot);
  return pieces.some((p) => suffix.includes(p));
};

/** The function a symbol stands for (its name before the first '.'), or undefined for .cold/.part pieces. */
export function functionOfSymbol(symbol: string): string | undefined {
  if (suffixHas(symbol, NOT_A_FUNCTION)) return undefined;
  const dot = symbol.indexOf(".");
  return dot < 0 ? symbol : symbol.slice(0, dot);
}

/** Whether the symbol names an optimized copy (.isra, .constprop) whose calling convention may differ from the source. */
export function isOptimizedCopy(symbol: string): boolean {
  return suffixHas(symbol, OPTIMIZED_COPY);
}

/** Whether the symbol carries any compiler suffix. */
export function hasSuffix(symbol: string): boolean {
  return symbol.includes(".");
}
