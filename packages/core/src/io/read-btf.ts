// BTF from a file: raw BTF (starts with the magic, either byte order) or an ELF's .BTF section.
// Lives in core because @btforge/btf must not know ELF.
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { parseBtf, type BtfTable } from "@btforge/btf";
import { ElfFile } from "@btforge/elf";
import { btforgeError } from "../errors/btforge-error.js";
import { checkInputFile } from "./input-file.js";

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** The first bytes of the file: an ELF is then read section by section, never whole (vmlinux is 600 MB). */
function startsWithElfMagic(path: string): boolean {
  const head = new Uint8Array(4);
  const fd = openSync(path, "r");
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  return ELF_MAGIC.every((b, i) => head[i] === b);
}

export function readBtfBytes(path: string): Uint8Array {
  checkInputFile(path);
  try {
    if (!startsWithElfMagic(path)) return new Uint8Array(readFileSync(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") throw btforgeError("INPUT_NOT_FOUND", [path], { location: { file: path } });
    throw btforgeError("INPUT_UNREADABLE", [path, err.message], { location: { file: path } });
  }
  const elf = ElfFile.open(path);
  try {
    const btf = elf.readSection(".BTF");
    if (!btf) throw btforgeError("NO_BTF", [], { location: { file: path, section: ".BTF" } });
    return btf;
  } finally {
    elf.close();
  }
}

export function readBtfFile(path: string, options: { base?: BtfTable } = {}): BtfTable {
  return parseBtf(readBtfBytes(path), { base: options.base, name: path });
}
