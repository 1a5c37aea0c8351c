// What a BTF holds, in the figures encode and experiment report: types per kind, the bytes of each
// section, VARs, and DATASEC entries per ELF section. Pure functions over a table and its bytes.
import { BTF_HEADER_SIZE, BtfKind, type BtfTypeStore, kindByName, kindDescriptor, parseBtf, type ParseBtfOptions, readHeader } from "@btforge/btf";

export interface BtfSummary {
  /** Types the table holds itself (a split BTF's base is not counted). */
  types: number;
  /** Types per kind name ("INT", "STRUCT", ...), in kind number order; kinds with none are left out. */
  kinds: Record<string, number>;
  /** Bytes of the header, the type section, the string section and the kind layout section (0 without one); total is the blob's length. */
  headerBytes: number;
  typeBytes: number;
  stringBytes: number;
  layoutBytes: number;
  totalBytes: number;
  vars: number;
  /** DATASEC entries per DATASEC name (the ELF section: ".data..percpu", ".bss", ...), sorted by name. */
  datasecs: Record<string, number>;
}

/** A kind's registered name, or "kind N" for a number nothing registered (a foreign plugin's kind). */
export function kindName(kind: number): string {
  return kindDescriptor(kind)?.name ?? `kind ${kind}`;
}

/** The inverse of kindName, to order kind names by kind number. */
export function kindNumber(name: string): number {
  return kindByName(name)?.kind ?? Number(/^kind (\d+)$/.exec(name)?.[1] ?? Number.MAX_SAFE_INTEGER);
}

/**
 * Summarizes `table`. The byte figures come from `bytes` (the blob written from the table) when
 * given; without it they are what writing the table would produce, so a table too broken or too
 * big to serialize can still be described.
 */
export function summarizeBtf(table: BtfTypeStore, bytes?: Uint8Array): BtfSummary {
  const perKind = new Map<number, number>();
  const datasecs = new Map<string, number>();
  let vars = 0;
  for (let id = table.firstId; id <= table.lastId; id++) {
    const kind = table.kind(id);
    perKind.set(kind, (perKind.get(kind) ?? 0) + 1);
    if (kind === BtfKind.VAR) vars++;
    else if (kind === BtfKind.DATASEC) {
      const name = table.name(id);
      datasecs.set(name, (datasecs.get(name) ?? 0) + table.vlen(id));
    }
  }
  const kinds: Record<string, number> = {};
  for (const kind of [...perKind.keys()].sort((a, b) => a - b)) kinds[kindName(kind)] = perKind.get(kind)!;
  const sizes = bytes ? blobSizes(bytes) : tableSizes(table);
  return {
    types: table.count,
    kinds,
    ...sizes,
    vars,
    datasecs: Object.fromEntries([...datasecs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** Parses a raw BTF blob (on `base` for a split BTF) and summarizes it. */
export function summarizeBtfBytes(bytes: Uint8Array, options: ParseBtfOptions = {}): BtfSummary {
  return summarizeBtf(parseBtf(bytes, options), bytes);
}

type Sizes = Pick<BtfSummary, "headerBytes" | "typeBytes" | "stringBytes" | "layoutBytes" | "totalBytes">;

function blobSizes(bytes: Uint8Array): Sizes {
  const h = readHeader(bytes);
  return { headerBytes: h.hdrLen, typeBytes: h.typeLen, stringBytes: h.strLen, layoutBytes: h.layoutLen, totalBytes: bytes.length };
}

function tableSizes(table: BtfTypeStore): Sizes {
  const typeBytes = table.typeSectionSize;
  const stringBytes = table.strings.size;
  return { headerBytes: BTF_HEADER_SIZE, typeBytes, stringBytes, layoutBytes: 0, totalBytes: BTF_HEADER_SIZE + typeBytes + stringBytes };
}
