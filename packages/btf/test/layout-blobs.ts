// Raw BTF with the 2026 format, built word by word for the tests: a 32-byte header, a kind layout
// section, sections in any order, either byte order, and info words of any width. Independent of
// the library's writer on purpose, so reading and writing are checked against bytes written by hand.

/** struct btf_layout of the built-in kinds, as libbpf's btf.c lists them (info_sz, elem_sz). */
export const LIBBPF_LAYOUTS: readonly [number, number][] = [
  [0, 0], // UNKN
  [4, 0], // INT: u32
  [0, 0], // PTR
  [12, 0], // ARRAY: struct btf_array
  [0, 12], // STRUCT: struct btf_member
  [0, 12], // UNION
  [0, 8], // ENUM: struct btf_enum
  [0, 0], // FWD
  [0, 0], // TYPEDEF
  [0, 0], // VOLATILE
  [0, 0], // CONST
  [0, 0], // RESTRICT
  [0, 0], // FUNC
  [0, 8], // FUNC_PROTO: struct btf_param
  [4, 0], // VAR: struct btf_var
  [0, 12], // DATASEC: struct btf_var_secinfo
  [0, 0], // FLOAT
  [4, 0], // DECL_TAG: struct btf_decl_tag
  [0, 0], // TYPE_TAG
  [0, 12], // ENUM64: struct btf_enum64
];

export const info = (kind: number, vlen: number, kflag = false) => ((kflag ? 0x80000000 : 0) | (kind << 24) | vlen) >>> 0;

export interface RawBlob {
  /** Type records as words: name_off, info, size/type, trailing words. */
  types: number[][];
  /** The string section (starts with NUL for base BTF). */
  strings: string;
  /** Layout entries [info_sz, elem_sz, flags?]; undefined for no layout section. */
  layouts?: readonly (readonly number[])[];
  /** Section order after the header (default: types, layout, strings, as libbpf writes). */
  order?: ("types" | "layout" | "strings")[];
  hdrLen?: number;
  big?: boolean;
}

/** The blob's bytes, and where its sections are. */
export function rawBlob(b: RawBlob): { bytes: Uint8Array; typeOff: number; layoutOff: number; strOff: number } {
  const little = !b.big;
  const words = b.types.flat();
  const str = new TextEncoder().encode(b.strings);
  const layoutLen = (b.layouts?.length ?? 0) * 4;
  const hdrLen = b.hdrLen ?? (b.layouts ? 32 : 24);
  const sizes = { types: words.length * 4, layout: layoutLen, strings: str.length };
  const offs = { types: 0, layout: 0, strings: 0 };
  let at = 0;
  for (const s of b.order ?? ["types", "layout", "strings"]) {
    offs[s] = at;
    at += sizes[s];
  }
  const out = new Uint8Array(hdrLen + at);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0xeb9f, little);
  v.setUint8(2, 1);
  v.setUint32(4, hdrLen, little);
  v.setUint32(8, offs.types, little);
  v.setUint32(12, sizes.types, little);
  v.setUint32(16, offs.strings, little);
  v.setUint32(20, sizes.strings, little);
  if (hdrLen >= 32) {
    v.setUint32(24, b.layouts ? offs.layout : 0, little);
    v.setUint32(28, layoutLen, little);
  }
  words.forEach((w, i) => v.setUint32(hdrLen + offs.types + i * 4, w >>> 0, little));
  (b.layouts ?? []).forEach((l, i) => {
    const p = hdrLen + offs.layout + i * 4;
    v.setUint8(p, l[0]!);
    v.setUint8(p + 1, l[1]!);
    v.setUint16(p + 2, l[2] ?? 0, little);
  });
  out.set(str, hdrLen + offs.strings);
  return { bytes: out, typeOff: hdrLen + offs.types, layoutOff: hdrLen + offs.layout, strOff: hdrLen + offs.strings };
}

/** Offset of `name` in a NUL-separated string section. */
export function strOff(strings: string, name: string): number {
  const at = strings.indexOf(`\0${name}\0`);
  if (at < 0) throw new Error(`no string ${name}`);
  return at + 1;
}
