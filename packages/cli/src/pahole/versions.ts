// Which pahole version btforge-pahole says it is. A kernel build turns `pahole --version` into
// CONFIG_PAHOLE_VERSION and chooses its flags by it (scripts/pahole-flags.sh, scripts/Makefile.btf,
// init/Kconfig's PAHOLE_HAS_*), so the number is a promise: btforge reports the highest version
// whose kernel-visible features it carries out, and no higher. Every feature the configuration can
// name is carried out today; one added to the vocabulary before it works must be left out of
// `carriedOut`, and the version then falls back by itself.
import { type Features, NO_FEATURES } from "@btforge/core";

/** Whether btforge carries out a feature: every one its configuration can name. */
export function carriedOut(feature: keyof Features): boolean {
  return feature in NO_FEATURES;
}

export interface VersionStep {
  /** pahole's version as the kernel writes it: 124 for v1.24. */
  readonly version: number;
  /** The features a kernel build asks of this version and later ones. */
  readonly needs: readonly (keyof Features)[];
  /** What the kernel does with it. */
  readonly why: string;
}

/** In version order. Versions without an entry brought nothing a kernel build relies on. */
export const KERNEL_VISIBLE_STEPS: readonly VersionStep[] = [
  { version: 116, needs: [], why: "-J: BTF for vmlinux (CONFIG_DEBUG_INFO_BTF)" },
  { version: 118, needs: ["var"], why: "per-CPU variables as VAR and DATASEC (--skip_encoding_btf_vars)" },
  { version: 119, needs: [], why: "split BTF for modules, --btf_base (CONFIG_PAHOLE_HAS_SPLIT_BTF)" },
  { version: 121, needs: ["float"], why: "--btf_gen_floats" },
  { version: 122, needs: [], why: "-j (parallel encoding; the output does not change)" },
  { version: 123, needs: ["decl_tag", "type_tag"], why: "BTF tags (CONFIG_PAHOLE_HAS_BTF_TAG)" },
  { version: 124, needs: ["enum64", "lang_exclude"], why: "ENUM64; --lang_exclude=rust (CONFIG_PAHOLE_HAS_LANG_EXCLUDE)" },
  { version: 125, needs: ["optimized_func", "consistent_func"], why: "--btf_gen_optimized, --skip_encoding_btf_inconsistent_proto" },
  { version: 126, needs: ["encode_force"], why: "--btf_features (Linux 6.8 and later)" },
  { version: 127, needs: ["decl_tag_kfuncs"], why: "bpf_kfunc DECL_TAGs (--btf_features=decl_tag_kfuncs)" },
  { version: 128, needs: ["distilled_base"], why: "distilled base for out-of-tree modules (--btf_features=distilled_base)" },
  { version: 130, needs: ["attributes"], why: "--btf_features=attributes" },
  { version: 131, needs: ["layout"], why: "--btf_features=layout (Linux 7.0 and later)" },
];

/** The highest version all of whose steps (and all earlier ones) btforge carries out. */
export function reportedVersion(supported: (feature: keyof Features) => boolean = carriedOut): number {
  let version = KERNEL_VISIBLE_STEPS[0]!.version;
  for (const step of KERNEL_VISIBLE_STEPS) {
    if (!step.needs.every(supported)) break;
    version = step.version;
  }
  return version;
}

/** "v1.24", as pahole prints it (scripts/pahole-version.sh strips the "v" and the dot). */
export function versionString(version = reportedVersion()): string {
  return `v${Math.floor(version / 100)}.${String(version % 100).padStart(2, "0")}`;
}

/** The step that holds the version back: the first one btforge does not carry out. */
export function nextStep(supported: (feature: keyof Features) => boolean = carriedOut): VersionStep | undefined {
  return KERNEL_VISIBLE_STEPS.find((step) => !step.needs.every(supported));
}
