// BTF from a file: raw BTF (starts with the magic, either byte order) or an ELF's .BTF section.
// Lives in core because @btforge/btf must not know ELF.
import { readFileSync } from "node:fs";
import { parseBtf, type BtfTable } from "@btforge/btf";
import { ElfFile } from "@btforge/elf";
import { btforgeError } from "../errors/btforge-error.js";

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function readBtfBytes(path: string): Uint8Array {
  let head: Uint8Array;
  try {
    head = new Uint8Array(readFileSync(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") throw btforgeError("INPUT_NOT_FOUND", [path], { location: { file: path } });
    throw btforgeError("INPUT_UNREADABLE", [path, err.message], { location: { file: path } });
  }
  if (ELF_MAGIC.every((b, i) => head[i] === b)) {
    const elf = ElfFile.fromBytes(head, path);
    const btf = elf.readSection(".BTF");
    if (!btf) throw btforgeError("NO_BTF", [], { location: { file: path, section: ".BTF" } });
    return btf;
  }
  return head;
}

export function readBtfFile(path: string, options: { base?: BtfTable } = {}): BtfTable {
  return parseBtf(readBtfBytes(path), { base: options.base, name: path });
}
