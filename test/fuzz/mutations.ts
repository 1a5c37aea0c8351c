/**
 * The kinds of damage the fuzzer does to an input, each aimed through the input's layout: byte
 * flips in one section, truncations, bad section headers, DWARF unit lengths, abbreviation codes,
 * forms, LEB128 runs, relocation and symbol tables, and DW_AT_type references made to point at
 * their own DIE, round a cycle, or somewhere else. A mutation returns the new bytes and a line
 * saying exactly what it did, so a failure can be read without replaying it.
 */
import { DW_AT, DW_FORM } from "@btforge/dwarf";
import { SHT } from "@btforge/elf";
import { type InputLayout, type LebAt, readUint, type RecordField, SHDR_FIELDS, type SectionInfo, TYPE_TAGS, type TypeRef, writeUint } from "./layout.js";
import type { Rng } from "./prng.js";

export const MUTATION_KINDS = [
  "section-flip",
  "truncate",
  "section-header",
  "unit-length",
  "abbrev-code",
  "form",
  "uleb-run",
  "relocation",
  "symbol",
  "type-self",
  "type-cycle",
  "type-retarget",
] as const;

export type MutationKind = (typeof MUTATION_KINDS)[number];

export interface Mutant {
  kind: MutationKind;
  bytes: Uint8Array;
  /** What was done, e.g. "unit-length: unit 0x0 length 0x2e2 → 0xffffffff". */
  what: string;
}

type Mutate = (rng: Rng, layout: InputLayout, bytes: Uint8Array) => { bytes?: Uint8Array; what: string } | undefined;

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/** A value a field of `size` bytes should not hold: the classic edge values, near misses and noise. */
function badValue(rng: Rng, size: number, old: bigint, fileLength: number): bigint {
  const max = (1n << BigInt(8 * size)) - 1n;
  const choices: (() => bigint)[] = [
    () => 0n,
    () => max,
    () => max - BigInt(rng.below(16)),
    () => BigInt(rng.u32()) & max,
    () => (old + BigInt(rng.between(1, 64))) & max,
    () => (old - BigInt(rng.between(1, 64))) & max,
    () => (old * 2n + BigInt(rng.below(256))) & max,
    () => BigInt(fileLength + rng.below(64)) & max,
    () => 1n << BigInt(rng.below(8 * size)),
  ];
  return rng.pick(choices)();
}

function isDebugSection(s: SectionInfo): boolean {
  return /^\.(z?debug_|rela?\.debug_)/.test(s.name);
}

function withContents(layout: InputLayout): SectionInfo[] {
  return layout.sections.filter((s) => s.type !== SHT.NOBITS && s.type !== SHT.NULL && s.size > 0 && s.offset + s.size <= layout.bytes.length);
}

const sectionFlip: Mutate = (rng, layout, bytes) => {
  const all = withContents(layout);
  const debug = all.filter(isDebugSection);
  if (all.length === 0) return undefined;
  const s = debug.length > 0 && rng.chance(0.6) ? rng.pick(debug) : rng.pick(all);
  const n = rng.between(1, 8);
  const at: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = rng.below(s.size);
    bytes[s.offset + p] ^= 1 << rng.below(8);
    at.push(`+${hex(p)}`);
  }
  return { what: `${n} bit${n > 1 ? "s" : ""} flipped in ${s.name || `[${s.index}]`} at ${at.join(",")}` };
};

const truncate: Mutate = (rng, layout, bytes) => {
  const variant = rng.below(3);
  let length: number;
  let where: string;
  if (variant === 0 && layout.shoff > 0 && layout.shoff < bytes.length) {
    length = layout.shoff + rng.below(Math.max(1, bytes.length - layout.shoff));
    where = "inside the section header table";
  } else if (variant === 1 && withContents(layout).length > 0) {
    const s = rng.pick(withContents(layout));
    length = s.offset + rng.below(s.size);
    where = `inside ${s.name || `[${s.index}]`}`;
  } else {
    length = rng.below(bytes.length);
    where = "anywhere";
  }
  return { bytes: bytes.subarray(0, length), what: `cut to ${length} of ${bytes.length} bytes (${where})` };
};

const SECTION_TYPES = [SHT.NULL, SHT.PROGBITS, SHT.SYMTAB, SHT.STRTAB, SHT.RELA, SHT.NOBITS, SHT.REL, SHT.DYNSYM, 0x6ffffff6, 0x7fffffff];

const sectionHeader: Mutate = (rng, layout, bytes) => {
  const le = layout.littleEndian;
  if (rng.chance(0.15)) {
    const f = rng.pick(layout.headerFields);
    const old = readUint(bytes, f.at, f.size, le);
    const v = badValue(rng, f.size, old, bytes.length);
    writeUint(bytes, f.at, f.size, v, le);
    return { what: `ELF header ${f.name} ${hex(old)} → ${hex(v)}` };
  }
  const s = rng.pick(layout.sections);
  if (s.headerAt + layout.shentsize > bytes.length) return undefined;
  const [field, off, size] = rng.pick(SHDR_FIELDS[layout.is64 ? 64 : 32]);
  const at = s.headerAt + off;
  const old = readUint(bytes, at, size, le);
  let v: bigint;
  if (field === "sh_type" && rng.chance(0.6)) v = BigInt(rng.pick(SECTION_TYPES));
  else if (field === "sh_flags" && rng.chance(0.6)) v = old ^ 0x800n; // SHF_COMPRESSED on or off
  else if ((field === "sh_link" || field === "sh_info") && rng.chance(0.5)) v = BigInt(rng.below(layout.sections.length + 2));
  else v = badValue(rng, size, old, bytes.length);
  writeUint(bytes, at, size, v, le);
  return { what: `section header [${s.index}] ${s.name || "(unnamed)"} ${field} ${hex(old)} → ${hex(v)}` };
};

const unitLength: Mutate = (rng, layout, bytes) => {
  const d = layout.dwarf;
  if (!d || d.units.length === 0) return undefined;
  const le = layout.littleEndian;
  const u = rng.pick(d.units);
  const base = d.info.offset + u.offset;
  const lengthAt = u.lengthBytes === 12 ? base + 4 : base;
  const size = u.lengthBytes === 12 ? 8 : 4;
  if (rng.chance(0.25)) {
    // The rest of the unit header: version, then (DWARF 5) unit type and address size, or (2-4) the abbreviation offset.
    const versionAt = base + u.lengthBytes;
    const field = rng.pick([
      { name: "version", at: versionAt, size: 2 },
      { name: "header byte 2", at: versionAt + 2, size: 1 },
      { name: "header byte 3", at: versionAt + 3, size: 1 },
      { name: "abbreviation offset / address size", at: versionAt + 2 + rng.below(4), size: 1 },
    ]);
    const old = readUint(bytes, field.at, field.size, le);
    const v = badValue(rng, field.size, old, d.info.size);
    writeUint(bytes, field.at, field.size, v, le);
    return { what: `unit ${hex(u.offset)} ${field.name} ${hex(old)} → ${hex(v)}` };
  }
  const old = readUint(bytes, lengthAt, size, le);
  const v = rng.pick([
    () => BigInt(rng.below(12)),
    () => old + BigInt(rng.between(1, 16)),
    () => old - BigInt(Math.min(Number(old), rng.between(1, 16))),
    () => BigInt(d.info.size * 2),
    () => 0xffffffffn,
    () => BigInt(0xfffffff0 + rng.below(15)),
    () => BigInt(rng.u32()),
  ])();
  if (size === 4 && v === 0xffffffffn) {
    writeUint(bytes, lengthAt, 4, v, le);
    return { what: `unit ${hex(u.offset)} length ${hex(old)} → 0xffffffff (a 64-bit DWARF escape in a 32-bit unit)` };
  }
  writeUint(bytes, lengthAt, size, v, le);
  return { what: `unit ${hex(u.offset)} length ${hex(old)} → ${hex(v)}` };
};

/** Writes `value` as a LEB128 of exactly `slot.length` bytes (padded with continuation bytes; high bits dropped). */
function writeLeb(bytes: Uint8Array, fileAt: number, length: number, value: number): void {
  let v = value;
  for (let i = 0; i < length; i++) {
    const low = v % 128;
    v = Math.floor(v / 128);
    bytes[fileAt + i] = i < length - 1 ? low | 0x80 : low;
  }
}

function lebValue(bytes: Uint8Array, at: number): number {
  let v = 0;
  for (let i = 0, shift = 1; ; i++, shift *= 128) {
    v += (bytes[at + i]! & 0x7f) * shift;
    if (!(bytes[at + i]! & 0x80)) return v;
  }
}

const abbrevCode: Mutate = (rng, layout, bytes) => {
  const d = layout.dwarf;
  if (!d || d.dies.length === 0) return undefined;
  const die = rng.pick(d.dies);
  const at = d.info.offset + die.at;
  const old = lebValue(bytes, at);
  const v = rng.pick([() => 0, () => rng.between(1, d.maxCode + 4), () => d.maxCode + 1, () => rng.below(128 ** die.length)])();
  writeLeb(bytes, at, die.length, v);
  return { what: `DIE ${hex(die.at)} abbreviation code ${old} → ${lebValue(bytes, at)}` };
};

const FORMS = Object.values(DW_FORM) as number[];

const form: Mutate = (rng, layout, bytes) => {
  const d = layout.dwarf;
  if (!d || d.specs.length === 0) return undefined;
  const spec = rng.pick(d.specs);
  if (rng.chance(0.2)) {
    // The attribute's name instead: a reference attribute where none was, or a type where a name was.
    const at = d.abbrev.offset + spec.name.at;
    const old = lebValue(bytes, at);
    writeLeb(bytes, at, spec.name.length, rng.pick([DW_AT.type, DW_AT.sibling, DW_AT.name, DW_AT.str_offsets_base, rng.below(0x90)]));
    return { what: `.debug_abbrev+${hex(spec.name.at)} attribute ${hex(old)} → ${hex(lebValue(bytes, at))}` };
  }
  if (rng.chance(0.1) && d.childrenFlags.length > 0) {
    const p = rng.pick(d.childrenFlags);
    const old = bytes[d.abbrev.offset + p]!;
    bytes[d.abbrev.offset + p] = rng.pick([old ^ 1, 2, 0xff]);
    return { what: `.debug_abbrev+${hex(p)} children flag ${old} → ${bytes[d.abbrev.offset + p]}` };
  }
  const at = d.abbrev.offset + spec.form.at;
  const old = lebValue(bytes, at);
  const v = rng.pick([() => rng.pick(FORMS), () => rng.pick([0, 0x7f, 0x2d, 0x1f00]), () => DW_FORM.indirect, () => DW_FORM.implicit_const, () => rng.below(0x30)])();
  writeLeb(bytes, at, spec.form.length, v);
  return { what: `.debug_abbrev+${hex(spec.form.at)} form ${hex(old)} → ${hex(lebValue(bytes, at))}` };
};

const ulebRun: Mutate = (rng, layout, bytes) => {
  const d = layout.dwarf;
  if (!d) return undefined;
  const inInfo = rng.chance(0.5);
  const section = inInfo ? d.info : d.abbrev;
  const slots: readonly LebAt[] = inInfo ? d.dies : d.abbrevLebs;
  if (slots.length === 0) return undefined;
  const slot = rng.pick(slots);
  const toEnd = rng.chance(0.15);
  const run = toEnd ? section.size - slot.at : Math.min(rng.between(2, 24), section.size - slot.at);
  for (let i = 0; i < run; i++) bytes[section.offset + slot.at + i] |= 0x80;
  return { what: `${section.name}+${hex(slot.at)}: ${run} LEB128 bytes with the continuation bit set${toEnd ? " (to the section's end)" : ""}` };
};

const relocation: Mutate = (rng, layout, bytes) => {
  const relocs = layout.sections.filter((s) => (s.type === SHT.RELA || s.type === SHT.REL) && s.size > 0 && s.offset + s.size <= bytes.length);
  if (relocs.length === 0) return undefined;
  const debug = relocs.filter((s) => s.name.includes(".debug_"));
  const s = debug.length > 0 && rng.chance(0.7) ? rng.pick(debug) : rng.pick(relocs);
  const rela = s.type === SHT.RELA;
  const word = layout.is64 ? 8 : 4;
  const entsize = s.entsize || (rela ? 3 : 2) * word;
  const count = Math.floor(s.size / entsize);
  if (count === 0) return undefined;
  const i = rng.below(count);
  const entry = s.offset + i * entsize;
  const le = layout.littleEndian;
  const field = rng.pick(rela ? ["r_offset", "symbol", "type", "r_addend"] : ["r_offset", "symbol", "type"]);
  let what: string;
  if (field === "r_offset" || field === "r_addend") {
    const at = entry + (field === "r_offset" ? 0 : 2 * word);
    const old = readUint(bytes, at, word, le);
    const target = layout.sections[s.info];
    const v = field === "r_offset" && target && rng.chance(0.4) ? BigInt(target.size - rng.below(4)) : badValue(rng, word, old, bytes.length);
    writeUint(bytes, at, word, v, le);
    what = `${field} ${hex(old)} → ${hex(v)}`;
  } else {
    const at = entry + word;
    const info = readUint(bytes, at, word, le);
    const typeBits = layout.is64 ? 32n : 8n;
    let sym = info >> typeBits;
    let type = info & ((1n << typeBits) - 1n);
    const symtab = layout.sections[s.link];
    const symbols = symtab && symtab.entsize > 0 ? Math.floor(symtab.size / symtab.entsize) : 0;
    if (field === "symbol") sym = rng.pick([0n, BigInt(symbols), BigInt(symbols + rng.below(1000)), BigInt(rng.below(Math.max(1, symbols))), (1n << (layout.is64 ? 32n : 24n)) - 1n]);
    else type = BigInt(rng.pick([0, rng.below(64), rng.below(256), 0xff]));
    const v = (sym << typeBits) | type;
    writeUint(bytes, at, word, v, le);
    what = `${field === "symbol" ? "symbol index" : "type"} (r_info ${hex(info)} → ${hex(v)})`;
  }
  return { what: `${s.name} entry ${i}: ${what}` };
};

const symbol: Mutate = (rng, layout, bytes) => {
  const tables = layout.sections.filter((s) => (s.type === SHT.SYMTAB || s.type === SHT.DYNSYM) && s.size > 0 && s.offset + s.size <= bytes.length);
  if (tables.length === 0) return undefined;
  const s = rng.pick(tables);
  const entsize = s.entsize || (layout.is64 ? 24 : 16);
  const count = Math.floor(s.size / entsize);
  if (count < 2) return undefined;
  const i = rng.between(1, count - 1);
  const entry = s.offset + i * entsize;
  // [field, offset, size] in Elf64_Sym and Elf32_Sym.
  const fields: readonly RecordField[] = layout.is64
    ? [["st_name", 0, 4], ["st_info", 4, 1], ["st_shndx", 6, 2], ["st_value", 8, 8], ["st_size", 16, 8]]
    : [["st_name", 0, 4], ["st_value", 4, 4], ["st_size", 8, 4], ["st_info", 12, 1], ["st_shndx", 14, 2]];
  const [name, off, size] = rng.pick(fields);
  const le = layout.littleEndian;
  const old = readUint(bytes, entry + off, size, le);
  const v =
    name === "st_shndx" && rng.chance(0.6)
      ? BigInt(rng.pick([0, 0xfff1, 0xfff2, 0xffff, layout.sections.length, layout.sections.length + rng.below(100), rng.below(layout.sections.length)]))
      : badValue(rng, size, old, bytes.length);
  writeUint(bytes, entry + off, size, v, le);
  return { what: `${s.name} symbol ${i} ${name} ${hex(old)} → ${hex(v)}` };
};

/** DW_AT_type references, mostly those of type DIEs (pointers, typedefs, qualifiers...). */
function pickRef(rng: Rng, refs: readonly TypeRef[]): TypeRef {
  const types = refs.filter((r) => TYPE_TAGS.has(r.tag));
  return types.length > 0 && rng.chance(0.8) ? rng.pick(types) : rng.pick(refs);
}

function pointAt(bytes: Uint8Array, layout: InputLayout, ref: TypeRef, targetDie: number): void {
  writeUint(bytes, layout.dwarf!.info.offset + ref.at, 4, BigInt(targetDie - ref.unit), layout.littleEndian);
}

const typeSelf: Mutate = (rng, layout, bytes) => {
  const refs = layout.dwarf?.typeRefs ?? [];
  if (refs.length === 0) return undefined;
  const ref = pickRef(rng, refs);
  pointAt(bytes, layout, ref, ref.die);
  return { what: `DIE ${hex(ref.die)} DW_AT_type → itself` };
};

const typeCycle: Mutate = (rng, layout, bytes) => {
  const refs = layout.dwarf?.typeRefs ?? [];
  if (refs.length < 2) return undefined;
  const first = pickRef(rng, refs);
  const sameUnit = refs.filter((r) => r.unit === first.unit && r.die !== first.die);
  if (sameUnit.length === 0) return undefined;
  const cycle = [first];
  const length = rng.between(2, 3);
  while (cycle.length < length) {
    const next = pickRef(rng, sameUnit);
    if (cycle.includes(next)) break;
    cycle.push(next);
  }
  for (let i = 0; i < cycle.length; i++) pointAt(bytes, layout, cycle[i]!, cycle[(i + 1) % cycle.length]!.die);
  return { what: `DW_AT_type cycle ${[...cycle, first].map((r) => `DIE ${hex(r.die)}`).join(" → ")}` };
};

const typeRetarget: Mutate = (rng, layout, bytes) => {
  const d = layout.dwarf;
  if (!d || d.typeRefs.length === 0) return undefined;
  const ref = pickRef(rng, d.typeRefs);
  const unit = d.units.find((u) => u.offset === ref.unit)!;
  const inUnit = d.dies.filter((x) => x.at >= unit.offset && x.at < unit.end);
  const [target, why] = rng.pick([
    () => [rng.pick(inUnit).at, "another DIE"] as const,
    () => [rng.pick(inUnit).at + 1, "the middle of a DIE"] as const,
    () => [unit.offset, "the unit header"] as const,
    () => [unit.end + rng.below(64), "past the unit"] as const,
    () => [unit.offset + Math.floor(rng.u32() / 2), "anywhere"] as const,
  ])();
  pointAt(bytes, layout, ref, target);
  return { what: `DIE ${hex(ref.die)} DW_AT_type → ${hex(target)} (${why})` };
};

const MUTATORS: Record<MutationKind, Mutate> = {
  "section-flip": sectionFlip,
  truncate,
  "section-header": sectionHeader,
  "unit-length": unitLength,
  "abbrev-code": abbrevCode,
  form,
  "uleb-run": ulebRun,
  relocation,
  symbol,
  "type-self": typeSelf,
  "type-cycle": typeCycle,
  "type-retarget": typeRetarget,
};

/**
 * One mutant of the layout's input (or of `base`, an earlier mutant of it). A kind that does not
 * apply to this input (no relocations in an executable, DWARF in a compressed section) falls back
 * to a byte flip, and says so.
 */
export function mutate(rng: Rng, layout: InputLayout, kind: MutationKind, base: Uint8Array = layout.bytes): Mutant {
  const bytes = new Uint8Array(base);
  const done = MUTATORS[kind](rng, layout, bytes);
  if (done) return { kind, bytes: done.bytes ?? bytes, what: `${kind}: ${done.what}` };
  const flipped = sectionFlip(rng, layout, bytes);
  if (flipped) return { kind: "section-flip", bytes, what: `section-flip (${kind} does not apply): ${flipped.what}` };
  const cut = truncate(rng, layout, bytes)!;
  return { kind: "truncate", bytes: cut.bytes!, what: `truncate (${kind} does not apply): ${cut.what}` };
}

/**
 * `kind`, then up to `stack - 1` more mutations of other kinds on top (drawn from `rng`): damage
 * that only shows when two faults meet. A truncation comes last, since the others aim at offsets
 * of the whole file.
 */
export function mutateStacked(rng: Rng, layout: InputLayout, kind: MutationKind, stack: number, kinds: readonly MutationKind[] = MUTATION_KINDS): Mutant {
  const more = stack > 1 ? rng.below(stack) : 0;
  const others = kinds.filter((k) => k !== "truncate");
  const steps: MutationKind[] = [kind];
  for (let i = 0; i < more && others.length > 0; i++) steps.push(rng.pick(others));
  if (kind === "truncate" && steps.length > 1) steps.push(steps.shift()!);
  let bytes = layout.bytes;
  const what: string[] = [];
  for (const step of steps) {
    const m = mutate(rng, layout, step, bytes);
    bytes = m.bytes;
    what.push(m.what);
  }
  return { kind, bytes, what: what.join(" + ") };
}
