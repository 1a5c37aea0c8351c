// The ELF's function symbols (STT_FUNC, defined), grouped by the function they stand for: with
// clone matching, `foo`, `foo.isra.0` and `foo.constprop.1` are all symbols of `foo` (and .cold /
// .part pieces are no function at all); without it, a symbol stands for its exact name. A function
// whose symbols lie at more than one address is ambiguous: two static functions of one name, or a
// function and its optimized copy. A FUNC names one function, and a BPF trampoline attached by that
// name could land on either body.
import { ET, type ElfFile, SHN, STB, STT } from "@btforge/elf";
import { functionOfSymbol } from "./clones.js";

export interface FunctionSymbol {
  /** The symbol's own name, suffix included. */
  readonly name: string;
  /** st_value: an address, or an offset in its section in a relocatable file. */
  readonly address: bigint;
  readonly section: number;
  readonly weak: boolean;
}

export interface ElfFunction {
  readonly name: string;
  readonly symbols: readonly FunctionSymbol[];
  /** The symbols lie at more than one place. */
  readonly ambiguousAddress: boolean;
}

export interface ElfFunctionOptions {
  /** Group compiler copies (`.isra`, `.constprop`, ...) under their function (optimized_func). */
  clones: boolean;
}

export class ElfFunctions {
  private constructor(
    private readonly byName: ReadonlyMap<string, ElfFunction>,
    /** A relocatable file: symbol values are offsets within their sections. */
    readonly relocatable: boolean,
  ) {}

  static collect(elf: ElfFile, options: ElfFunctionOptions): ElfFunctions {
    const symbols = elf.symbols();
    const relocatable = elf.type === ET.REL;
    const grouped = new Map<string, FunctionSymbol[]>();
    for (let i = 0; i < symbols.count; i++) {
      if (symbols.type(i) !== STT.FUNC) continue;
      const section = symbols.sectionIndex(i);
      if (section === SHN.UNDEF) continue;
      const name = symbols.name(i);
      if (!name) continue;
      const owner = options.clones ? functionOfSymbol(name) : name;
      if (owner === undefined || owner === "") continue;
      const sym: FunctionSymbol = { name, address: symbols.value(i), section, weak: symbols.bind(i) === STB.WEAK };
      const list = grouped.get(owner);
      if (list) list.push(sym);
      else grouped.set(owner, [sym]);
    }
    const byName = new Map<string, ElfFunction>();
    for (const [name, syms] of grouped) {
      const place = (s: FunctionSymbol) => (relocatable ? `${s.section}:${s.address}` : String(s.address));
      const first = place(syms[0]!);
      byName.set(name, { name, symbols: syms, ambiguousAddress: syms.some((s) => place(s) !== first) });
    }
    return new ElfFunctions(byName, relocatable);
  }

  get(name: string): ElfFunction | undefined {
    return this.byName.get(name);
  }

  get size(): number {
    return this.byName.size;
  }

  /** The symbol of `fn` at `address` (DW_AT_low_pc of a definition), if any. */
  symbolAt(fn: ElfFunction, address: bigint | undefined): FunctionSymbol | undefined {
    if (address === undefined) return undefined;
    return fn.symbols.find((s) => s.address === address);
  }
}
