// Source languages by the names pahole's --lang/--lang_exclude accept (dwarves.c: lowercase names
// for DW_LANG_C89 .. DW_LANG_BLISS, compared without regard to case, and "asm" for
// DW_LANG_Mips_Assembler), so a profile's lang_exclude means what the same list means to pahole.
// A name stands for one DW_LANG value: "c++" is DW_LANG_C_plus_plus only, not C++11 or C++14.
import { DW_LANG } from "@btforge/dwarf";

export const PAHOLE_LANGUAGE_NAMES: Readonly<Record<string, number>> = Object.freeze({
  c89: DW_LANG.C89,
  c: DW_LANG.C,
  ada83: DW_LANG.Ada83,
  "c++": DW_LANG.C_plus_plus,
  cobol74: DW_LANG.Cobol74,
  cobol85: DW_LANG.Cobol85,
  fortran77: DW_LANG.Fortran77,
  fortran90: DW_LANG.Fortran90,
  pascal83: DW_LANG.Pascal83,
  modula2: DW_LANG.Modula2,
  java: DW_LANG.Java,
  c99: DW_LANG.C99,
  ada95: DW_LANG.Ada95,
  fortran95: DW_LANG.Fortran95,
  pli: DW_LANG.PLI,
  objc: DW_LANG.ObjC,
  "objc++": DW_LANG.ObjC_plus_plus,
  upc: DW_LANG.UPC,
  d: DW_LANG.D,
  python: DW_LANG.Python,
  opencl: DW_LANG.OpenCL,
  go: DW_LANG.Go,
  modula3: DW_LANG.Modula3,
  haskell: DW_LANG.Haskell,
  "c++03": DW_LANG.C_plus_plus_03,
  "c++11": DW_LANG.C_plus_plus_11,
  ocaml: DW_LANG.OCaml,
  rust: DW_LANG.Rust,
  c11: DW_LANG.C11,
  swift: DW_LANG.Swift,
  julia: DW_LANG.Julia,
  dylan: DW_LANG.Dylan,
  "c++14": DW_LANG.C_plus_plus_14,
  fortran03: DW_LANG.Fortran03,
  fortran08: DW_LANG.Fortran08,
  renderscript: DW_LANG.RenderScript,
  bliss: DW_LANG.BLISS,
  asm: DW_LANG.Mips_Assembler,
});

const NAME_OF = new Map<number, string>(Object.entries(PAHOLE_LANGUAGE_NAMES).map(([name, value]) => [value, name]));

/** DW_LANG_C17 (DWARF 5), which pahole has no name for. */
const DW_LANG_C17 = 0x2c;

/** The DW_LANG value of a pahole language name (any case), or undefined. */
export function languageByName(name: string): number | undefined {
  return PAHOLE_LANGUAGE_NAMES[name.toLowerCase()];
}

/** A language as messages name it: pahole's name, else its number. */
export function languageName(lang: number | undefined): string {
  if (lang === undefined) return "no DW_AT_language";
  return NAME_OF.get(lang) ?? (lang === DW_LANG_C17 ? "c17" : `DW_LANG 0x${lang.toString(16)}`);
}

/**
 * Whether BTF describes this language's types as they are: C in every standard, assembler (no
 * types), and units that do not say (old DWARF). Other languages (C++, Rust, Go...) have names BTF
 * cannot carry (templates, paths) and layouts it does not know (Rust reorders fields).
 */
export function isCLanguage(lang: number | undefined): boolean {
  return (
    lang === undefined ||
    lang === DW_LANG.C89 ||
    lang === DW_LANG.C ||
    lang === DW_LANG.C99 ||
    lang === DW_LANG.C11 ||
    lang === DW_LANG_C17 ||
    lang === DW_LANG.Mips_Assembler
  );
}
