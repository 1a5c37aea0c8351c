// Which DWARF variable definitions become VARs: each is matched to its ELF object symbol, checked
// against what the kernel accepts, and asked about through includeVariable. Several definitions of
// one variable (per unit, duplicated by the compiler) keep the first that passes, in DWARF order.
import { NO_TYPE, type DieTypes } from "../die-types.js";
import { isValidIdentifier, isValidSectionName } from "../names.js";
import type { Encoding } from "../../encoding.js";
import type { VariableInfo } from "../../hooks.js";
import { forEachVariableDefinition, type VariableDefinition } from "./definitions.js";
import type { ChosenVariable } from "./emit.js";
import type { SkipLog, VariablesStats } from "./stats.js";
import { EXCLUDED_SECTION, NO_SYMBOL, type ObjectSymbolIndex } from "./symbol-index.js";
import { withoutTypeTags } from "./type-size.js";
import { unitFilterOf } from "../unit-filter.js";
import { resolveTypeSize } from "@btforge/btf";

/** What includeVariable hooks receive from this emitter: VariableInfo plus what it knows besides. */
export interface VariableCandidate extends VariableInfo {
  /** DW_AT_external: encoded with global-allocated linkage, else static. */
  readonly external: boolean;
  /** Offset in the section (from the symbol). */
  readonly offset: number;
}

/** Whether `variable` came from core's emitter and so carries linkage and offset. */
export function isVariableCandidate(variable: VariableInfo): variable is VariableCandidate {
  return typeof (variable as Partial<VariableCandidate>).external === "boolean";
}

const U32_LIMIT = 2 ** 32;

/** The chosen variables by (section index, offset); records symbols a definition claimed. */
export function selectVariables(encoding: Encoding, index: ObjectSymbolIndex, dieTypes: DieTypes, log: SkipLog, stats: VariablesStats): {
  chosen: Map<number, ChosenVariable>;
  claimed: Uint8Array;
} {
  const chosen = new Map<number, ChosenVariable>();
  const claimed = new Uint8Array(index.symbols.count);
  const pointerSize = encoding.elf.is64 ? 8 : 4;
  const btf = encoding.btf;
  const where = (d: VariableDefinition, name?: string) =>
    `${name ?? d.name() ?? "<anonymous>"} (DIE 0x${d.die.toString(16)}${d.address !== undefined ? `, address 0x${d.address.toString(16)}` : ""})`;

  const filter = unitFilterOf(encoding);
  forEachVariableDefinition(encoding.dwarf, dieTypes, (d) => {
    stats.definitions++;
    const excluded = filter?.isExcluded(d.unit) === true;
    if (d.address === undefined) return log.skip(excluded ? "language-excluded" : "no-address", () => where(d));
    let name: string | undefined;
    const k = index.find(d.address, () => (name = d.name()));
    // A symbol whose DWARF is in a unit left out on purpose is claimed all the same (not "no-dwarf").
    if (excluded) {
      if (k >= 0) claimed[index.symbol(k)] = 1;
      return log.skip("language-excluded", () => where(d, name));
    }
    if (k === EXCLUDED_SECTION) return log.skip("section-excluded", () => where(d));
    // In a linked file, references into discarded sections (.discard.*, .exit.* in vmlinux) resolve to 0.
    if (k === NO_SYMBOL) return log.skip(d.address === 0n && !index.relocatable ? "discarded" : "no-symbol", () => where(d, name));
    name = name!;
    claimed[index.symbol(k)] = 1;
    const section = index.section(k);
    const offset = index.offset(k);
    const size = index.size(k);
    const place = () => `${name} (${section.name}+0x${offset.toString(16)}, ${size} bytes)`;
    if (size === 0) return log.skip("zero-size", place);
    if (offset + size > section.size || offset + size >= U32_LIMIT) return log.skip("out-of-section", place);
    if (!isValidIdentifier(name)) return log.skip("invalid-name", place);
    if (!isValidSectionName(section.name)) return log.skip("invalid-section-name", place);
    const key = section.index * U32_LIMIT + offset;
    if (chosen.has(key)) return log.skip("duplicate", place);
    let type = d.typeId();
    if (type === NO_TYPE) return log.skip("no-type", place);
    if (type === 0) return log.skip("void-type", place);
    type = withoutTypeTags(btf, type);
    const resolved = resolveTypeSize(btf, type, pointerSize);
    const typeSize = resolved < 0 ? undefined : resolved;
    if (typeSize !== undefined && typeSize > size) return log.skip("type-larger-than-symbol", () => `${place()}: type of ${typeSize} bytes`);
    const external = d.external();
    const candidate: VariableCandidate = { name, section: section.name, address: d.address, size, external, offset };
    if (!encoding.includesVariable(candidate)) return log.skip("variable-excluded", place);
    chosen.set(key, { name, type, external, section, offset, size });
  });
  return { chosen, claimed };
}
