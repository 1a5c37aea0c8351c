// The peer: binutils readelf's views of sections, symbols and relocated section contents, parsed
// into plain values to compare with what the package reads.
import { spawnSync } from "node:child_process";
import { SHF, SHN, SHT, STB, STT, STV } from "@btforge/elf";

const readelfWorks = spawnSync("readelf", ["--version"]).status === 0;
/** Undefined when readelf runs, else the reason to print when skipping. */
export const readelfMissing = readelfWorks ? undefined : "readelf (binutils) is not installed";

function readelf(args: string[]): string {
  const r = spawnSync("readelf", ["-W", ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`readelf ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

export interface PeerSection {
  index: number;
  name: string;
  type: number;
  addr: bigint;
  offset: number;
  size: number;
  entsize: number;
  flags: string;
  link: number;
  info: number;
  addralign: number;
}

const SECTION_TYPES: Record<string, number> = {
  NULL: SHT.NULL, PROGBITS: SHT.PROGBITS, SYMTAB: SHT.SYMTAB, STRTAB: SHT.STRTAB, RELA: SHT.RELA, HASH: SHT.HASH,
  DYNAMIC: SHT.DYNAMIC, NOTE: SHT.NOTE, NOBITS: SHT.NOBITS, REL: SHT.REL, DYNSYM: SHT.DYNSYM, INIT_ARRAY: SHT.INIT_ARRAY,
  FINI_ARRAY: SHT.FINI_ARRAY, PREINIT_ARRAY: SHT.PREINIT_ARRAY, GROUP: SHT.GROUP, "SYMTAB SECTION INDICES": SHT.SYMTAB_SHNDX,
  RELR: SHT.RELR, GNU_HASH: SHT.GNU_HASH, VERDEF: SHT.GNU_VERDEF, VERNEED: SHT.GNU_VERNEED, VERSYM: SHT.GNU_VERSYM,
  X86_64_UNWIND: SHT.X86_64_UNWIND, LLVM_ADDRSIG: 0x6fff4c03, GNU_ATTRIBUTES: SHT.GNU_ATTRIBUTES,
};

// readelf names a type it does not know as an offset from the start of its range.
const RANGE_BASES: Record<string, number> = { LOOS: 0x60000000, LOPROC: 0x70000000, LOUSER: 0x80000000 };

const SECTION_LINE = /^\s*\[\s*(\d+)\] (.*?)\s+([0-9a-f]{8,16}) ([0-9a-f]{6,}) ([0-9a-f]{6,}) ([0-9a-f]{2}) (.{3}) ?\s*(\d+)\s+(\d+)\s+(\d+)$/;

export function peerSections(file: string): PeerSection[] {
  const out: PeerSection[] = [];
  for (const line of readelf(["-S", file]).split("\n")) {
    const m = SECTION_LINE.exec(line);
    if (!m) continue;
    const nameAndType = m[2]!;
    const [name, typeName] = nameAndType.startsWith(" ") ? ["", nameAndType.trim()] : [nameAndType.split(/\s+/)[0]!, nameAndType.replace(/^\S+\s+/, "")];
    const ranged = /^(LOOS|LOPROC|LOUSER)\+0x([0-9a-f]+)$/.exec(typeName);
    const type = ranged ? RANGE_BASES[ranged[1]!]! + parseInt(ranged[2]!, 16) : SECTION_TYPES[typeName];
    if (type === undefined) throw new Error(`readelf section type ${JSON.stringify(typeName)} is not in the test's table`);
    out.push({
      index: Number(m[1]),
      name,
      type,
      addr: BigInt(`0x${m[3]}`),
      offset: parseInt(m[4]!, 16),
      size: parseInt(m[5]!, 16),
      entsize: parseInt(m[6]!, 16),
      flags: m[7]!.trim().split("").sort().join(""),
      link: Number(m[8]),
      info: Number(m[9]),
      addralign: Number(m[10]),
    });
  }
  return out;
}

/** Section flags as readelf's letters, sorted (only the letters the test fixtures and vmlinux use). */
export function flagLetters(flags: bigint): string {
  const letters: [bigint, string][] = [
    [SHF.WRITE, "W"], [SHF.ALLOC, "A"], [SHF.EXECINSTR, "X"], [SHF.MERGE, "M"], [SHF.STRINGS, "S"], [SHF.INFO_LINK, "I"],
    [SHF.LINK_ORDER, "L"], [SHF.OS_NONCONFORMING, "O"], [SHF.GROUP, "G"], [SHF.TLS, "T"], [SHF.COMPRESSED, "C"],
    [0x80000000n, "E"], [0x10000000n, "l"],
  ];
  return letters.filter(([bit]) => (flags & bit) !== 0n).map(([, l]) => l).sort().join("");
}

export interface PeerSymbol {
  name: string;
  value: bigint;
  size: number;
  type: number;
  bind: number;
  visibility: number;
  section: number;
}

const SYMBOL_LINE = /^\s*(\d+): ([0-9a-f]+)\s+(0x[0-9a-f]+|\d+) (\S+)\s+(\S+)\s+(\S+)\s+(\S+) ?(.*)$/;
const SYMBOL_TYPES: Record<string, number> = { NOTYPE: STT.NOTYPE, OBJECT: STT.OBJECT, FUNC: STT.FUNC, SECTION: STT.SECTION, FILE: STT.FILE, COMMON: STT.COMMON, TLS: STT.TLS, IFUNC: STT.GNU_IFUNC };
const BINDS: Record<string, number> = { LOCAL: STB.LOCAL, GLOBAL: STB.GLOBAL, WEAK: STB.WEAK, UNIQUE: STB.GNU_UNIQUE };
const VISIBILITIES: Record<string, number> = { DEFAULT: STV.DEFAULT, INTERNAL: STV.INTERNAL, HIDDEN: STV.HIDDEN, PROTECTED: STV.PROTECTED };
const SPECIAL_INDEXES: Record<string, number> = { UND: SHN.UNDEF, ABS: SHN.ABS, COM: SHN.COMMON };

/** The symbols of `.symtab` (or of the named table), in order. */
export function peerSymbols(file: string, table = ".symtab"): PeerSymbol[] {
  const out: PeerSymbol[] = [];
  let inTable = false;
  for (const line of readelf(["-s", file]).split("\n")) {
    if (line.startsWith("Symbol table ")) inTable = line.includes(`'${table}'`);
    const m = inTable ? SYMBOL_LINE.exec(line) : null;
    if (!m) continue;
    const lookup = (map: Record<string, number>, key: string) => {
      const v = map[key];
      if (v === undefined) throw new Error(`readelf symbol field ${JSON.stringify(key)} is not in the test's table`);
      return v;
    };
    out.push({
      name: m[8]!,
      value: BigInt(`0x${m[2]}`),
      size: Number(m[3]),
      type: lookup(SYMBOL_TYPES, m[4]!),
      bind: lookup(BINDS, m[5]!),
      visibility: lookup(VISIBILITIES, m[6]!),
      section: SPECIAL_INDEXES[m[7]!] ?? Number(m[7]),
    });
  }
  return out;
}

/** Section `index`'s contents as `readelf -z -R` shows them: decompressed and relocated. */
export function peerRelocatedSection(file: string, index: number): Uint8Array {
  const hex: string[] = [];
  for (const line of readelf(["-z", "-R", String(index), file]).split("\n")) {
    const m = /^ {2}0x[0-9a-f]+ /.exec(line);
    // 4 groups of up to 8 hex digits in a fixed 35-column field, then the printable view.
    if (m) hex.push(line.slice(m[0].length, m[0].length + 35).replace(/ /g, ""));
  }
  return new Uint8Array(Buffer.from(hex.join(""), "hex"));
}
