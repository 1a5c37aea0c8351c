// Every error code core raises, with the factory that words its message, in one place. Errors from
// the readers (ElfError, DwarfError, BtfError) keep their own codes when core wraps them.

const q = (s: string) => JSON.stringify(s);

export const messages = {
  /** The input file does not exist. */
  INPUT_NOT_FOUND: (file: string) => `cannot read ${file}: no such file`,
  /** The input file exists but cannot be read. */
  INPUT_UNREADABLE: (file: string, why: string) => `cannot read ${file}: ${why}`,
  /** The input is a directory, FIFO, device or socket: refused before anything opens it (a FIFO would block). */
  INPUT_NOT_REGULAR: (what: string) => `is ${what}, not a regular file`,
  /** The input has no .debug_info (nor .debug_types): nothing to encode. */
  NO_DWARF: () => "no DWARF: the file has no .debug_info section (built without -g, or stripped?)",
  /** A BTF input that is neither raw BTF nor an ELF with .BTF. */
  NO_BTF: () => "no BTF: the file is neither raw BTF nor an ELF with a .BTF section",
  /** A phase needs what an earlier phase should have produced. */
  NOT_LOADED: (what: string, phase: string) => `${what} is not loaded (the ${phase} phase loads it: is its plugin missing?)`,
  /** A plugin threw something that is not a located reader error. */
  PLUGIN_FAILED: (plugin: string, hook: string, detail: string) => `plugin ${q(plugin)} failed in ${hook}: ${detail}`,
  /** Writing the output failed (the input is left untouched). */
  OUTPUT_FAILED: (file: string, why: string) => `cannot write ${file}: ${why}`,
  /** The encoded BTF does not pass the validator. */
  VALIDATION_FAILED: (count: number) => `the BTF does not validate (${count} problem${count === 1 ? "" : "s"})`,
  /** The BTF an encoding produced fails the validator: it is not written. */
  ENCODE_INVALID: (count: number, first: string) => `the encoded BTF is not valid, nothing written (${count}${count >= 5 ? "+" : ""} problem${count === 1 ? "" : "s"}): ${first}`,
  /** The running kernel refused the BTF (BPF_BTF_LOAD). */
  KERNEL_REJECTED: (errno: string) => `the kernel rejected the BTF (${errno})`,
  /** A DWARF reference that should name a type names something else (or nothing). */
  DWARF_NOT_A_TYPE: (from: number, to: string, why: string) => `DIE 0x${from.toString(16)} refers to ${to} as its type: ${why} (with the encode_force feature: void, and a warning)`,
  /** A name BTF cannot carry (the kernel accepts C identifiers only). */
  INVALID_NAME: (what: string, name: string) => `${what} has the name ${q(name)}, which is not a valid BTF identifier (encode_force skips it with a warning)`,
  /** Types that contain each other without a pointer in between (no size can be computed). */
  TYPE_LOOP: (chain: string) => `DWARF types refer to each other in a loop: ${chain}`,
  /** Pointers, typedefs, qualifiers, arrays or function types that lead back to themselves with no struct or union on the way. */
  REFERENCE_LOOP: (chain: string) => `DWARF types refer to each other in a loop that no struct or union breaks: ${chain}`,
  /** A DWARF value that does not fit where BTF puts it. */
  DWARF_VALUE_OUT_OF_RANGE: (what: string, value: string) => `${what} ${value} does not fit BTF`,
  /** Something failed outside any plugin (a bug, or an error core did not expect). */
  INTERNAL: (detail: string) => detail,
  /** A command line that asks for something impossible. */
  USAGE: (why: string) => why,
  /** One or more problems in configuration files; each problem is its own line. */
  CONFIG_INVALID: (count: number) => `invalid configuration (${count} problem${count === 1 ? "" : "s"})`,
  /** A config file that cosmiconfig could not read or parse. */
  CONFIG_UNREADABLE: (file: string, detail: string) => `${file}: cannot read configuration: ${detail}`,
  /** The search for a configuration file could not look in a folder (cosmiconfig stats the working directory and its parents). */
  CONFIG_SEARCH_FAILED: (dir: string, why: string) =>
    `configuration search failed in ${dir}: ${why} (run btforge from a folder you can read)`,
  /** `--config FILE` or an `extends` path that does not exist. */
  CONFIG_NOT_FOUND: (file: string) => `${file}: configuration file not found`,
  /** `--profile NAME` or `extends: NAME` naming no file in config/. */
  PROFILE_NOT_FOUND: (name: string, known: readonly string[]) =>
    `unknown profile ${q(name)} (known: ${known.length > 0 ? known.join(", ") : "none"})`,
  /** A chain of `extends` that comes back to a file already in it. */
  EXTENDS_CYCLE: (chain: readonly string[]) => `extends cycle: ${chain.join(" -> ")}`,
  /** A plugin reference that is neither a registered name, an installed package nor an existing path. */
  PLUGIN_NOT_FOUND: (ref: string, builtins: readonly string[]) =>
    `plugin ${q(ref)} not found (registered: ${builtins.join(", ")}; else an npm package name, or a path starting with ./)`,
  /** A plugin module whose export is not a plugin class, factory or object with apply(). */
  PLUGIN_INVALID: (ref: string, detail: string) => `plugin ${q(ref)} is not a plugin: ${detail}`,
  /** lang_exclude names a language pahole has no name for. */
  UNKNOWN_LANGUAGE: (name: string, known: readonly string[]) => `lang_exclude: unknown language ${q(name)} (pahole's names: ${known.join(", ")})`,
  /** A feature that works on split BTF (distilled_base) asked for without a base. */
  FEATURE_NEEDS_BASE: (feature: string) => `feature ${feature} works on split BTF and no base was given: encode with -B/--base FILE (btforge-pahole: --btf_base FILE), the vmlinux the module is built against`,
  /** An ELF with a .BTF.base section from an earlier encode, about to get a .BTF that is not split on it. */
  STALE_BTF_BASE: () =>
    "a distilled base from an earlier encode is there, and libbpf would read the new .BTF against it: encode with the distilled_base feature, or remove the section first (objcopy --remove-section .BTF.base)",
  /** Plugin options that fail the plugin's own schema. */
  PLUGIN_OPTIONS: (plugin: string, path: string, detail: string) => `plugin ${q(plugin)}: option ${path}: ${detail}`,
} as const;

export type BtforgeErrorCode = keyof typeof messages;

/** Codes that are the user's configuration or command line, not the input: the CLI exits 2 for them. */
export const USAGE_CODES: ReadonlySet<string> = new Set<BtforgeErrorCode>([
  "USAGE",
  "CONFIG_INVALID",
  "CONFIG_UNREADABLE",
  "CONFIG_SEARCH_FAILED",
  "CONFIG_NOT_FOUND",
  "PROFILE_NOT_FOUND",
  "EXTENDS_CYCLE",
  "PLUGIN_NOT_FOUND",
  "PLUGIN_INVALID",
  "PLUGIN_OPTIONS",
  "FEATURE_NEEDS_BASE",
  "UNKNOWN_LANGUAGE",
]);
