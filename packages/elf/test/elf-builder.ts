// A tiny ELF writer for unit tests: ELF32/ELF64, either byte order, a few sections, a symbol table
// (with .symtab_shndx when a symbol's section index needs it) and extended section numbering when
// there are 0xff00 sections or more. Written independently of the package's own layout tables so
// that a layout mistake in the reader is not mirrored here.

export interface BuildSection {
  name: string;
  type: number;
  flags?: bigint;
  addr?: bigint;
  data?: Uint8Array;
  /** Size of a SHT_NOBITS section (data is ignored for those). */
  size?: number;
  /** A section index, or the name of a section in the final file. */
  link?: number | string;
  info?: number | string;
  entsize?: number;
  addralign?: number;
}

export interface BuildSymbol {
  name: string;
  value?: bigint;
  size?: number;
  type?: number;
  bind?: number;
  visibility?: number;
  /** Section index in the final file (>= 0xff00 goes through .symtab_shndx), or "abs". */
  section: number | "abs";
}

export interface BuildOptions {
  is64?: boolean;
  littleEndian?: boolean;
  type?: number;
  machine?: number;
  sections?: BuildSection[];
  symbols?: BuildSymbol[];
  /** Empty PROGBITS sections added after the given ones, to reach extended numbering. */
  fillerSections?: number;
}

const SHT_PROGBITS = 1, SHT_SYMTAB = 2, SHT_STRTAB = 3, SHT_SYMTAB_SHNDX = 18, SHT_NOBITS = 8;
const SHN_XINDEX = 0xffff, SHN_LORESERVE = 0xff00, SHN_ABS = 0xfff1;

class Bytes {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;
  constructor(readonly le: boolean) {}
  private room(n: number) {
    if (this.length + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    bigger.set(this.buf);
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }
  u8(v: number) { this.room(1); this.view.setUint8(this.length, v); this.length += 1; }
  u16(v: number) { this.room(2); this.view.setUint16(this.length, v, this.le); this.length += 2; }
  u32(v: number) { this.room(4); this.view.setUint32(this.length, v >>> 0, this.le); this.length += 4; }
  u64(v: bigint | number) { this.room(8); this.view.setBigUint64(this.length, BigInt.asUintN(64, BigInt(v)), this.le); this.length += 8; }
  word(is64: boolean, v: bigint | number) { if (is64) this.u64(v); else this.u32(Number(v)); }
  bytes(b: Uint8Array) { this.room(b.length); this.buf.set(b, this.length); this.length += b.length; }
  alignTo(n: number) { while (this.length % n) this.u8(0); }
  putU16At(at: number, v: number) { this.view.setUint16(at, v, this.le); }
  done() { return this.buf.slice(0, this.length); }
}

class StringTable {
  private parts: string[] = [""];
  private size = 1;
  add(s: string): number {
    if (s === "") return 0;
    const at = this.size;
    this.parts.push(s);
    this.size += Buffer.byteLength(s) + 1;
    return at;
  }
  bytes(): Uint8Array {
    return new Uint8Array(Buffer.from(this.parts.join("\0") + "\0"));
  }
}

export function buildElf(options: BuildOptions): Uint8Array {
  const is64 = options.is64 ?? true;
  const le = options.littleEndian ?? true;
  const sections: BuildSection[] = [{ name: "", type: 0 }, ...(options.sections ?? [])];
  for (let i = 0; i < (options.fillerSections ?? 0); i++) sections.push({ name: `.f${i}`, type: SHT_PROGBITS, data: new Uint8Array(0) });
  if (options.symbols) addSymbolSections(sections, options.symbols, is64, le);
  sections.push({ name: ".shstrtab", type: SHT_STRTAB });
  const count = sections.length;
  const shstrndx = count - 1;
  const names = new StringTable();
  const nameOffsets = sections.map((s) => names.add(s.name));
  sections[shstrndx]!.data = names.bytes();
  const indexOf = (ref: number | string | undefined): number => {
    if (ref === undefined) return 0;
    if (typeof ref === "number") return ref;
    const i = sections.findIndex((s) => s.name === ref);
    if (i < 0) throw new Error(`builder: no section ${ref}`);
    return i;
  };

  const out = new Bytes(le);
  const ehsize = is64 ? 64 : 52;
  out.bytes(new Uint8Array(ehsize));
  const offsets: number[] = [0];
  for (let i = 1; i < count; i++) {
    const s = sections[i]!;
    out.alignTo(s.addralign ?? 1);
    offsets.push(out.length);
    if (s.type !== SHT_NOBITS && s.data) out.bytes(s.data);
  }
  out.alignTo(8);
  const shoff = out.length;
  for (let i = 0; i < count; i++) {
    const s = sections[i]!;
    const size = s.type === SHT_NOBITS ? (s.size ?? 0) : (s.data?.length ?? 0);
    const extended = i === 0;
    out.u32(nameOffsets[i]!);
    out.u32(s.type);
    out.word(is64, s.flags ?? 0n);
    out.word(is64, s.addr ?? 0n);
    out.word(is64, offsets[i]!);
    out.word(is64, extended && count >= SHN_LORESERVE ? count : size);
    out.u32(extended && shstrndx >= SHN_LORESERVE ? shstrndx : indexOf(s.link));
    out.u32(indexOf(s.info));
    out.word(is64, s.addralign ?? (i === 0 ? 0 : 1));
    out.word(is64, s.entsize ?? 0);
  }
  const file = out.done();
  writeHeader(file, { is64, le, type: options.type ?? 1, machine: options.machine ?? 62, shoff, count, shstrndx });
  return file;
}

function writeHeader(file: Uint8Array, h: { is64: boolean; le: boolean; type: number; machine: number; shoff: number; count: number; shstrndx: number }) {
  const v = new DataView(file.buffer, file.byteOffset);
  file.set([0x7f, 0x45, 0x4c, 0x46, h.is64 ? 2 : 1, h.le ? 1 : 2, 1]);
  v.setUint16(16, h.type, h.le);
  v.setUint16(18, h.machine, h.le);
  v.setUint32(20, 1, h.le);
  const at = h.is64 ? { shoff: 40, ehsize: 52, shentsize: 58, shnum: 60, shstrndx: 62 } : { shoff: 32, ehsize: 40, shentsize: 46, shnum: 48, shstrndx: 50 };
  if (h.is64) v.setBigUint64(at.shoff, BigInt(h.shoff), h.le);
  else v.setUint32(at.shoff, h.shoff, h.le);
  v.setUint16(at.ehsize, h.is64 ? 64 : 52, h.le);
  v.setUint16(at.shentsize, h.is64 ? 64 : 40, h.le);
  v.setUint16(at.shnum, h.count >= SHN_LORESERVE ? 0 : h.count, h.le);
  v.setUint16(at.shstrndx, h.shstrndx >= SHN_LORESERVE ? SHN_XINDEX : h.shstrndx, h.le);
}

function addSymbolSections(sections: BuildSection[], symbols: BuildSymbol[], is64: boolean, le: boolean) {
  const strings = new StringTable();
  const table = new Bytes(le);
  const shndx = new Bytes(le);
  let needShndx = false;
  for (const sym of [{ name: "", section: 0 } as BuildSymbol, ...symbols]) {
    const name = strings.add(sym.name);
    const info = ((sym.bind ?? 0) << 4) | (sym.type ?? 0);
    const real = sym.section === "abs" ? 0 : sym.section;
    const stored = sym.section === "abs" ? SHN_ABS : real >= SHN_LORESERVE ? SHN_XINDEX : real;
    needShndx ||= stored === SHN_XINDEX;
    shndx.u32(stored === SHN_XINDEX ? real : 0);
    if (is64) {
      table.u32(name); table.u8(info); table.u8(sym.visibility ?? 0); table.u16(stored); table.u64(sym.value ?? 0n); table.u64(sym.size ?? 0);
    } else {
      table.u32(name); table.u32(Number(sym.value ?? 0n)); table.u32(sym.size ?? 0); table.u8(info); table.u8(sym.visibility ?? 0); table.u16(stored);
    }
  }
  sections.push({ name: ".symtab", type: SHT_SYMTAB, data: table.done(), link: ".strtab", info: 1, entsize: is64 ? 24 : 16, addralign: 8 });
  sections.push({ name: ".strtab", type: SHT_STRTAB, data: strings.bytes() });
  if (needShndx) sections.push({ name: ".symtab_shndx", type: SHT_SYMTAB_SHNDX, data: shndx.done(), link: ".symtab", entsize: 4, addralign: 4 });
}

export interface BuildRelocation {
  offset: number;
  symbol: number;
  type: number;
  addend?: bigint;
}

/** The bytes of a SHT_RELA (with addends) or SHT_REL section. */
export function relocationBytes(is64: boolean, le: boolean, withAddend: boolean, entries: BuildRelocation[]): Uint8Array {
  const out = new Bytes(le);
  for (const r of entries) {
    if (is64) {
      out.u64(r.offset);
      out.u64((BigInt(r.symbol) << 32n) | BigInt(r.type));
      if (withAddend) out.u64(r.addend ?? 0n);
    } else {
      out.u32(r.offset);
      out.u32((r.symbol << 8) | r.type);
      if (withAddend) out.u32(Number(r.addend ?? 0n));
    }
  }
  return out.done();
}
