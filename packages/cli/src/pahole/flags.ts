// pahole's command-line options as btforge-pahole understands them: the one table from each flag
// to what it does to an encoding, in btforge's feature vocabulary (which is pahole's
// --btf_features names). A flag pahole has and btforge does not carry out is named in an error,
// never accepted and ignored.
import type { FeatureSwitch } from "@btforge/core";

export type ArgKind =
  /** No value. */
  | "none"
  /** A value: `--opt=V` or `--opt V` (`-xV` or `-x V` for a short option). */
  | "required"
  /** A value only when attached: `--opt=V`, `-xV` (argp's optional arguments). */
  | "optional";

export type FlagEffect =
  /** -J: encode BTF into each input ELF's .BTF section. */
  | { kind: "encode" }
  /** --btf_encode_detached=FILE: encode raw BTF into FILE. */
  | { kind: "detached" }
  /** -j[N]: jobs (N, or the number of CPUs). */
  | { kind: "jobs" }
  /** --btf_base=FILE. */
  | { kind: "base" }
  /** --btf_features=LIST (strict: unknown names are an error). */
  | { kind: "features"; strict: boolean }
  /** A pahole switch that turns one feature on or off (the pre-1.26 way). */
  | { kind: "switch"; feature: FeatureSwitch; on: boolean }
  /** --btf_gen_all: every standard feature. */
  | { kind: "all" }
  /** --lang_exclude=LANGS. */
  | { kind: "lang_exclude" }
  | { kind: "version" }
  | { kind: "numeric_version" }
  | { kind: "supported_features" }
  /** -V: btforge's trace lines on stderr. */
  | { kind: "verbose" }
  /** -q: pahole prints nothing when encoding BTF; neither does btforge-pahole. */
  | { kind: "quiet" }
  | { kind: "help" };

export interface FlagSpec {
  readonly long: string;
  readonly short?: string;
  readonly arg: ArgKind;
  readonly effect: FlagEffect;
}

const on = (feature: FeatureSwitch): FlagEffect => ({ kind: "switch", feature, on: true });
const off = (feature: FeatureSwitch): FlagEffect => ({ kind: "switch", feature, on: false });

/** Every pahole option btforge-pahole carries out. */
export const PAHOLE_FLAGS: readonly FlagSpec[] = [
  { long: "btf_encode", short: "J", arg: "none", effect: { kind: "encode" } },
  { long: "btf_encode_detached", arg: "required", effect: { kind: "detached" } },
  { long: "jobs", short: "j", arg: "optional", effect: { kind: "jobs" } },
  { long: "btf_base", arg: "required", effect: { kind: "base" } },
  { long: "btf_features", arg: "required", effect: { kind: "features", strict: false } },
  { long: "btf_features_strict", arg: "required", effect: { kind: "features", strict: true } },
  { long: "supported_btf_features", arg: "none", effect: { kind: "supported_features" } },
  { long: "btf_gen_floats", arg: "none", effect: on("float") },
  { long: "btf_gen_optimized", arg: "none", effect: on("optimized_func") },
  { long: "skip_encoding_btf_inconsistent_proto", arg: "none", effect: on("consistent_func") },
  { long: "btf_encode_force", arg: "none", effect: on("encode_force") },
  { long: "skip_encoding_btf_vars", arg: "none", effect: off("var") },
  { long: "skip_encoding_btf_decl_tag", arg: "none", effect: off("decl_tag") },
  { long: "skip_encoding_btf_type_tag", arg: "none", effect: off("type_tag") },
  { long: "skip_encoding_btf_enum64", arg: "none", effect: off("enum64") },
  { long: "reproducible_build", arg: "none", effect: on("reproducible_build") },
  { long: "btf_attributes", arg: "none", effect: on("attributes") },
  { long: "btf_gen_all", arg: "none", effect: { kind: "all" } },
  { long: "lang_exclude", arg: "required", effect: { kind: "lang_exclude" } },
  { long: "version", arg: "none", effect: { kind: "version" } },
  { long: "numeric_version", arg: "none", effect: { kind: "numeric_version" } },
  { long: "verbose", short: "V", arg: "none", effect: { kind: "verbose" } },
  { long: "quiet", short: "q", arg: "none", effect: { kind: "quiet" } },
  { long: "help", short: "?", arg: "none", effect: { kind: "help" } },
];

/**
 * pahole's other options (upstream pahole.c): type display, CTF, filters. btforge-pahole encodes
 * BTF and nothing else, so each of these is an error that says so.
 */
export const PAHOLE_OTHER_LONG = [
  "bit_holes", "cacheline_size", "class_name", "count", "skip", "seek_bytes", "size_bytes", "range", "header_type",
  "find_pointers_to", "format_path", "contains", "contains_enumerator", "show_decl_info", "holes", "padding_ge", "hole_size_ge",
  "packable", "with_flexible_array", "with_embedded_flexible_array", "expand_types", "nr_members", "rel_offset", "recursive",
  "reorganize", "show_reorg_steps", "class_name_len", "show_first_biggest_size_base_type_member", "nr_methods",
  "show_only_data_members", "expand_pointers", "sizes", "separator", "nr_definitions", "decl_exclude", "exclude",
  "prefix_filter", "cu_exclude", "anon_include", "nested_anon_include", "defined_in", "word_size", "ctf_encode", "flat_arrays",
  "suppress_aligned_attribute", "suppress_force_paddings", "suppress_packed", "show_private_classes", "fixup_silly_bitfields",
  "first_obj_only", "classes_as_structs", "hex", "kabi_prefix", "compile", "structs", "unions", "packed", "sort", "prettify",
  "hashbits", "ptr_table_stats", "skip_missing", "lang", "skip_emitting_atomic_typedefs", "running_kernel_vmlinux",
] as const;

/** pahole's other short options. */
export const PAHOLE_OTHER_SHORT = "BcCfFiIHzPEnrdRSNlmMpstTDxyXaAuwZ";
