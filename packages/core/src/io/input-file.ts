// Every command that reads a file (encode, experiment, dwarf-stats, dump, validate, a -B base) asks
// here first. Only a regular file is an input: a directory fails later with a bare EISDIR, and
// opening a FIFO or a character device blocks until a writer appears (forever, in practice). stat
// never blocks, so the check is made before anything opens the path.
import { statSync, type Stats } from "node:fs";
import { btforgeError } from "../errors/btforge-error.js";

/** What a non-regular file is, for the message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "something else";
}

/** Throws a one-line error naming `path` unless it is a regular file (symbolic links followed). */
export function checkInputFile(path: string): void {
  let stats: Stats;
  try {
    stats = statSync(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT") throw btforgeError("INPUT_NOT_FOUND", [path], { location: { file: path } });
    throw btforgeError("INPUT_UNREADABLE", [path, err.message], { location: { file: path } });
  }
  if (!stats.isFile()) throw btforgeError("INPUT_NOT_REGULAR", [kindOf(stats)], { location: { file: path } });
}
