// Which kernel's rules the validator applies. The BTF loader (kernel/bpf/btf.c) has grown over the
// years: a rule that rejects a blob on one kernel may accept it on the next. The facts are here,
// one line per change, each with the kernel commit that made it; which kinds exist comes from the
// kind registry (each descriptor's `since`), so the two tables never disagree.

import { BTF_HEADER_SIZE, BTF_HEADER_SIZE_WITH_LAYOUT, BTF_MAX_KIND } from "../constants.js";
import { BtfError } from "../errors.js";
import { registeredKinds } from "../kinds/registry.js";

/** One change of the loader's rules, and the first kernel release that has it. */
interface RuleChange {
  readonly since: string;
  /** BTF_INFO_MASK: the bits of btf_type.info the loader accepts (all of them once every bit has a meaning). */
  readonly infoMask?: number;
  /** sizeof(struct btf_header): bytes past it must be zero. */
  readonly headerSize?: number;
  /** ENUM may carry kind_flag (a signed enum). */
  readonly enumKindFlag?: boolean;
  /** DECL_TAG and TYPE_TAG may carry kind_flag (an attribute rather than a btf_decl_tag/btf_type_tag). */
  readonly tagKindFlag?: boolean;
}

const RULE_CHANGES: readonly RuleChange[] = [
  // 69b693f0aefa "bpf: btf: Introduce BPF Type Format (BTF)": 24-byte header, kind in bits 24..27.
  { since: "4.18", infoMask: 0x0f00ffff, headerSize: BTF_HEADER_SIZE, enumKindFlag: false, tagKindFlag: false },
  // 9d5f9f701b18 "bpf: btf: fix struct/union/fwd types with kind_flag": bit 31.
  { since: "5.0", infoMask: 0x8f00ffff },
  // 8fd886911a6a "bpf: Add BTF_KIND_FLOAT to uapi": kind 16 needs a fifth kind bit (bits 24..28).
  { since: "5.13", infoMask: 0x9f00ffff },
  // 6089fb325cf7 "bpf: Add btf enum64 support": ENUM's kind_flag says the values are signed.
  { since: "6.0", enumKindFlag: true },
  // "bpf: Allow kind_flag for BTF type and decl tags" (Ihor Solodrai, merged for 6.14): tags as attributes.
  { since: "6.14", tagKindFlag: true },
  // 222edc843c15 "btf: Add BTF kind layout encoding to UAPI" and the kernel side of that series
  // (lore 20260326145444.2076244): struct btf_header grows layout_off/layout_len, the loader checks
  // the layout section and no longer needs the strings to end the blob when hdr_len >= 32.
  { since: "7.1", headerSize: BTF_HEADER_SIZE_WITH_LAYOUT },
  // f7a6b9eaff3e "bpf: Extend BTF UAPI vlen, kinds to use unused bits" removes BTF_INFO_MASK:
  // vlen in bits 0..23, kind in 24..30. It reached bpf-next on 2026-04-21, during the 7.1 merge
  // window (7.1-rc1 2026-04-26), so 7.2 is the first release with it.
  { since: "7.2", infoMask: 0xffffffff },
];

/** The rules of one kernel's BTF loader. */
export interface KernelRules {
  /** The kernel version, "major.minor". */
  readonly version: string;
  readonly infoMask: number;
  readonly headerSize: number;
  readonly enumKindFlag: boolean;
  readonly tagKindFlag: boolean;
  /** The loader reads a kind layout section (hdr_len >= 32, layout_len > 0). */
  readonly layoutSection: boolean;
  /** vlen and kind use the wide fields (24 and 7 bits). */
  readonly wideInfo: boolean;
  /** Whether the loader knows this built-in kind (BTF_KIND_MAX of that kernel). */
  hasKind(kind: number): boolean;
}

type Version = readonly [major: number, minor: number];

/** "6.1", "7.1", or a release string such as "6.18.44-generic": its major and minor number. */
export function parseKernelVersion(text: string): Version | undefined {
  const m = /^(\d+)\.(\d+)(?:\.\d+)?(?:[-+~_.].*)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

const versionOf = (text: string): Version => parseKernelVersion(text)!;
const atLeast = (v: Version, w: Version) => v[0] > w[0] || (v[0] === w[0] && v[1] >= w[1]);
const format = (v: Version) => `${v[0]}.${v[1]}`;

const OLDEST = versionOf(RULE_CHANGES[0]!.since);

/** The newest kernel whose rules this build knows: the validator's default target. */
export const NEWEST_KNOWN_KERNEL = RULE_CHANGES.reduce((newest, c) => (atLeast(versionOf(c.since), versionOf(newest)) ? c.since : newest), "4.18");

/** The kernel versions the facts name, oldest first (for messages and tests). */
export function knownRuleVersions(): string[] {
  return RULE_CHANGES.map((c) => c.since);
}

/**
 * The rules of kernel `target` (default: the newest known). A version between two changes gets
 * the rules of the older one; a version older than BTF or newer than the facts is refused, since
 * nothing here can say what it accepts.
 */
export function kernelRules(target: string = NEWEST_KNOWN_KERNEL): KernelRules {
  const v = parseKernelVersion(target);
  if (!v) throw new BtfError("BTF_BAD_ARGUMENT", `kernel version "${target}" is not of the form 6.1 or 7.1`);
  if (!atLeast(v, OLDEST)) throw new BtfError("BTF_BAD_ARGUMENT", `Linux ${format(v)} has no BTF (it appeared in ${format(OLDEST)})`);
  if (!atLeast(versionOf(NEWEST_KNOWN_KERNEL), v)) {
    throw new BtfError("BTF_BAD_ARGUMENT", `btforge knows the BTF rules of kernels up to ${NEWEST_KNOWN_KERNEL}, not ${format(v)}`);
  }
  let infoMask = 0;
  let headerSize = 0;
  let enumKindFlag = false;
  let tagKindFlag = false;
  for (const c of RULE_CHANGES) {
    if (!atLeast(v, versionOf(c.since))) continue;
    infoMask = c.infoMask ?? infoMask;
    headerSize = c.headerSize ?? headerSize;
    enumKindFlag = c.enumKindFlag ?? enumKindFlag;
    tagKindFlag = c.tagKindFlag ?? tagKindFlag;
  }
  // Which kinds this kernel knows, decided once: the check runs for every record.
  const known = new Uint8Array(BTF_MAX_KIND + 1);
  for (const d of registeredKinds()) {
    const since = parseKernelVersion(d.since);
    if (since && atLeast(v, since)) known[d.kind] = 1;
  }
  return {
    version: format(v),
    infoMask: infoMask >>> 0,
    headerSize,
    enumKindFlag,
    tagKindFlag,
    layoutSection: headerSize >= BTF_HEADER_SIZE_WITH_LAYOUT,
    wideInfo: infoMask >>> 0 === 0xffffffff,
    hasKind: (kind: number) => known[kind] === 1,
  };
}
