// The kind layout section (struct btf_layout[], Linux 7.1): for each kind number, the bytes that
// follow the 12-byte btf_type — `info_sz` once, then `elem_sz` per vlen element — and 16 bits of
// flags (unused so far). A reader that meets a kind it does not know can still step over its
// records. The section is indexed by kind number, so entry k describes kind k; libbpf writes one
// entry per kind it knows, kind 0 (void) included.

import { BTF_KIND_LAYOUT_SIZE } from "./constants.js";
import { BtfError } from "./errors.js";
import { registeredKinds } from "./kinds/registry.js";

export interface BtfKindLayout {
  /** Bytes after btf_type that every record of the kind has. */
  readonly infoSize: number;
  /** Bytes per vlen element after those. */
  readonly elemSize: number;
  /** Reserved; kept as read so a table writes back byte for byte. */
  readonly flags: number;
}

/** Decodes `len` bytes at `at` (already bounds-checked), u16 flags in the blob's byte order. */
export function readKindLayouts(bytes: Uint8Array, at: number, len: number, little: boolean): BtfKindLayout[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, len);
  const out: BtfKindLayout[] = [];
  for (let p = 0; p + BTF_KIND_LAYOUT_SIZE <= len; p += BTF_KIND_LAYOUT_SIZE) {
    out.push({ infoSize: view.getUint8(p), elemSize: view.getUint8(p + 1), flags: view.getUint16(p + 2, little) });
  }
  return out;
}

/** Encodes `layouts` into `out` at `at`. */
export function writeKindLayouts(out: Uint8Array, at: number, layouts: readonly BtfKindLayout[], little: boolean): void {
  const view = new DataView(out.buffer, out.byteOffset + at, layouts.length * BTF_KIND_LAYOUT_SIZE);
  layouts.forEach((l, i) => {
    view.setUint8(i * 4, l.infoSize);
    view.setUint8(i * 4 + 1, l.elemSize);
    view.setUint16(i * 4 + 2, l.flags, little);
  });
}

/**
 * Trailing 32-bit words of a record of a kind known only from its layout entry. Sizes that are
 * not whole words cannot describe a record of the type section (libbpf refuses them too).
 */
export function layoutTrailingWords(layout: BtfKindLayout, kind: number, vlen: number, typeId?: number): number {
  if (layout.infoSize % 4 || layout.elemSize % 4) {
    throw new BtfError(
      "BTF_BAD_LAYOUT",
      `the layout of kind ${kind} (info_sz ${layout.infoSize}, elem_sz ${layout.elemSize}) is not a whole number of 32-bit words`,
      { typeId },
    );
  }
  return layout.infoSize / 4 + vlen * (layout.elemSize / 4);
}

/**
 * The layout section for the kinds this build knows: entry k for every kind number from 0 to the
 * highest registered one, sizes taken from each kind's descriptor (its trailing words for vlen 0
 * and 1). For the built-in kinds this is libbpf's table, entry for entry; a number no descriptor
 * holds gets a zero entry, as libbpf's UNKN does.
 */
export function standardKindLayouts(): BtfKindLayout[] {
  const kinds = registeredKinds();
  const highest = kinds.reduce((m, d) => Math.max(m, d.kind), 0);
  const out: BtfKindLayout[] = Array.from({ length: highest + 1 }, () => ({ infoSize: 0, elemSize: 0, flags: 0 }));
  for (const d of kinds) {
    const fixed = d.trailingWords(0, false);
    out[d.kind] = { infoSize: fixed * 4, elemSize: (d.trailingWords(1, false) - fixed) * 4, flags: 0 };
  }
  return out;
}
