// Every way BTF bytes or a BTF build request can be wrong, in one place: a code, and a message
// that names the file, the byte offset and the type id when known.

export type BtfErrorCode =
  | "BTF_TRUNCATED" // the blob is shorter than its header or a section it declares
  | "BTF_BAD_MAGIC" // the first two bytes are not 0xeb9f in either byte order
  | "BTF_BAD_VERSION" // a version other than 1
  | "BTF_BAD_HEADER" // hdr_len too small, non-zero bytes in an extended header, sections out of bounds
  | "BTF_BAD_LAYOUT" // a kind layout section of the wrong size or alignment, or an entry that is not whole words
  | "BTF_BAD_STRINGS" // a string section that does not start or end with a NUL byte
  | "BTF_BAD_STRING_OFFSET" // a string offset outside the string table
  | "BTF_TYPE_TRUNCATED" // a type record that runs past the end of the type section
  | "BTF_UNKNOWN_KIND" // a kind number no descriptor is registered for and no layout section describes
  | "BTF_OPAQUE_KIND" // an operation that must understand a kind known only from the layout section
  | "BTF_BAD_TYPE_ID" // a type id outside the table
  | "BTF_BAD_ARGUMENT" // a builder call with an impossible value (vlen too big, wrong word count, ...)
  | "BTF_KIND_REGISTERED" // registering a kind number or name twice
  | "BTF_DISTILL" // a split BTF whose base cannot be distilled (it refers to a base kind a distilled base cannot hold)
  | "BTF_RELOCATE"; // a split BTF on a distilled base that cannot be moved onto the given base

export interface BtfLocation {
  /** The file the blob came from, when the caller named it. */
  file?: string;
  /** Byte offset in the blob. */
  offset?: number;
  /** Type id the problem belongs to. */
  typeId?: number;
}

const hex = (n: number) => `0x${n.toString(16)}`;

function where(loc: BtfLocation): string {
  const parts: string[] = [];
  if (loc.typeId !== undefined) parts.push(`type ${loc.typeId}`);
  if (loc.offset !== undefined) parts.push(`at offset ${hex(loc.offset)}`);
  const place = parts.join(" ");
  if (loc.file !== undefined) return place ? `${loc.file}: ${place}` : loc.file;
  return place;
}

export class BtfError extends Error {
  override readonly name = "BtfError";
  constructor(
    readonly code: BtfErrorCode,
    /** The problem without its location, to re-raise it with a fuller one. */
    readonly detail: string,
    readonly location: BtfLocation = {},
  ) {
    const place = where(location);
    super(place ? `${place}: ${detail}` : detail);
  }
}
