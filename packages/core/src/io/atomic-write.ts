// Output files appear whole or not at all: bytes go to a temporary file in the destination's
// folder, are flushed, and the file is renamed over the destination.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { btforgeError } from "../errors/btforge-error.js";

const tmpName = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);

function fill(tmp: string, bytes: Uint8Array): void {
  const fd = openSync(tmp, "wx", 0o644);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFileAtomically(path: string, bytes: Uint8Array): void {
  writeFilesAtomically([{ path, bytes }]);
}

/**
 * Several files that belong together (a raw BTF and its distilled base): every one is written to
 * its temporary file first, so a failure there changes nothing; then they are renamed in the order
 * given (put a file's companions before it, so a reader that sees the new file finds them new).
 */
export function writeFilesAtomically(files: readonly { path: string; bytes: Uint8Array }[]): void {
  const tmps: string[] = [];
  let current = files[0]?.path ?? "";
  try {
    for (const { path, bytes } of files) {
      current = path;
      const tmp = tmpName(path);
      tmps.push(tmp);
      fill(tmp, bytes);
    }
    files.forEach(({ path }, i) => {
      current = path;
      renameSync(tmps[i]!, path);
    });
  } catch (e) {
    for (const tmp of tmps) rmSync(tmp, { force: true });
    throw btforgeError("OUTPUT_FAILED", [current, (e as Error).message], { location: { file: current } });
  }
}
