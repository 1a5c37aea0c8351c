// Raw BTF → BtfTable. Every size the blob declares is checked against the bytes actually
// present before anything is read or allocated, and each type's length comes from its kind's
// descriptor, so a corrupt blob ends in one BtfError (file, byte offset, type id), never in a
// hang or an allocation sized by a bad field. A kind the registry does not know is read through
// the kind layout section when the BTF has one (or its base has), and kept opaque.

import { BtfError } from "./errors.js";
import { btfInfo } from "./constants.js";
import { HOST_ORDER, readHeader, swapWords } from "./header.js";
import { readKindLayouts } from "./kind-layout.js";
import { kindDescriptor } from "./kinds/registry.js";
import { BtfStrings } from "./strings.js";
import { BtfTable } from "./table.js";

export interface ParseBtfOptions {
  /** The base table, for split BTF (a module's BTF on vmlinux). */
  base?: BtfTable;
  /** A file name for error messages. */
  name?: string;
}

export function parseBtf(bytes: Uint8Array, options: ParseBtfOptions = {}): BtfTable {
  const file = options.name;
  const header = readHeader(bytes, file);
  const body = header.hdrLen;

  const strStart = body + header.strOff;
  const strBytes = bytes.subarray(strStart, strStart + header.strLen);
  checkStrings(strBytes, !!options.base, strStart, file);
  const strings = BtfStrings.fromBytes(strBytes, options.base?.strings);

  // Copy the type section into aligned host-order words (the blob may sit at any offset).
  const typeStart = body + header.typeOff;
  const wordCount = header.typeLen >>> 2;
  const words = new Uint32Array(wordCount);
  new Uint8Array(words.buffer).set(bytes.subarray(typeStart, typeStart + wordCount * 4));
  if (header.byteOrder !== HOST_ORDER) swapWords(words);

  const table = new BtfTable({
    base: options.base,
    strings,
    expectedTypes: Math.ceil(wordCount / 6) + 1,
    expectedWords: wordCount,
  });
  table.header = header;
  if (header.layoutLen > 0) table.kindLayouts = readKindLayouts(bytes, body + header.layoutOff, header.layoutLen, header.byteOrder === "little");

  let p = 0;
  while (p < wordCount) {
    const id = table.lastId + 1;
    const at = typeStart + p * 4;
    if (p + 3 > wordCount) {
      throw new BtfError("BTF_TYPE_TRUNCATED", "the 12-byte type header runs past the type section", { file, offset: at, typeId: id });
    }
    const info = words[p + 1]!;
    let trailing: number;
    try {
      trailing = table.trailingFor(info, id);
    } catch (err) {
      if (err instanceof BtfError) throw new BtfError(err.code, err.detail, { file, offset: at, typeId: id });
      throw err;
    }
    if (p + 3 + trailing > wordCount) {
      const kind = btfInfo.kind(info);
      throw new BtfError(
        "BTF_TYPE_TRUNCATED",
        `${kindDescriptor(kind)?.name ?? `kind ${kind}`} with vlen ${btfInfo.vlen(info)} needs ${12 + trailing * 4} bytes and runs past the type section (${(wordCount - p) * 4} bytes left)`,
        { file, offset: at, typeId: id },
      );
    }
    table.addRecord(info, words[p]!, words[p + 2]!, words, p + 3, trailing);
    p += 3 + trailing;
  }
  if (header.typeLen & 3) {
    throw new BtfError("BTF_TYPE_TRUNCATED", `type section length ${header.typeLen} leaves ${header.typeLen & 3} bytes that cannot hold a type`, {
      file,
      offset: typeStart + wordCount * 4,
      typeId: table.lastId + 1,
    });
  }
  return table;
}

/** A base string section starts with "" at offset 0; every section ends in NUL so lookups stop. */
function checkStrings(strBytes: Uint8Array, split: boolean, at: number, file: string | undefined): void {
  if (strBytes.length === 0) {
    if (split) return;
    throw new BtfError("BTF_BAD_STRINGS", "the string section is empty", { file, offset: at });
  }
  if (!split && strBytes[0] !== 0) {
    throw new BtfError("BTF_BAD_STRINGS", "the string section does not start with a NUL byte", { file, offset: at });
  }
  if (strBytes[strBytes.length - 1] !== 0) {
    throw new BtfError("BTF_BAD_STRINGS", "the string section does not end with a NUL byte", { file, offset: at + strBytes.length - 1 });
  }
}
