// Where an ELF file's bytes come from: a file read piecewise with positional reads (vmlinux is
// 600 MB and only a few sections are ever wanted), or bytes already in memory.
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { elfError } from "./errors.js";

export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** Bytes actually read from storage so far (0 for an in-memory source): lets callers prove laziness. */
  readonly bytesRead: number;
  /**
   * `length` bytes at `offset`. The caller has checked the range against `size`. `owned` says
   * whether the caller may modify them (a fresh buffer) or must copy first (a view of shared bytes).
   */
  read(offset: number, length: number, what: string): { bytes: Uint8Array; owned: boolean };
  close(): void;
}

// readSync takes at most 2 GiB per call; stay well below it.
const READ_CHUNK = 1 << 30;

export class FileSource implements ByteSource {
  readonly size: number;
  bytesRead = 0;
  private descriptor: number | undefined;

  constructor(readonly name: string) {
    try {
      this.descriptor = openSync(name, "r");
      this.size = fstatSync(this.descriptor).size;
    } catch (e) {
      if (this.descriptor !== undefined) closeSync(this.descriptor);
      throw elfError("ELF_IO", name, `cannot open: ${(e as Error).message}`);
    }
  }

  read(offset: number, length: number, what: string): { bytes: Uint8Array; owned: boolean } {
    const fd = this.fd();
    // allocUnsafeSlow: a buffer of its own (never a slice of Node's shared pool), filled below.
    const buf = Buffer.allocUnsafeSlow(length);
    const bytes = new Uint8Array(buf.buffer, buf.byteOffset, length);
    let done = 0;
    while (done < length) {
      let n: number;
      try {
        n = readSync(fd, bytes, done, Math.min(READ_CHUNK, length - done), offset + done);
      } catch (e) {
        // EIO, EISDIR...: the file's name and what was being read, not a bare system error.
        throw elfError("ELF_IO", this.name, `cannot read ${what}: ${(e as Error).message}`, undefined, offset + done);
      }
      if (n === 0) throw elfError("ELF_TRUNCATED", this.name, `file ended while reading ${what}`, undefined, offset + done);
      done += n;
    }
    this.bytesRead += length;
    return { bytes, owned: true };
  }

  /** The open descriptor, for callers that stream the file (the writer copies it). */
  fd(): number {
    if (this.descriptor === undefined) throw elfError("ELF_IO", this.name, "file used after close()");
    return this.descriptor;
  }

  close(): void {
    if (this.descriptor !== undefined) closeSync(this.descriptor);
    this.descriptor = undefined;
  }
}

export class MemorySource implements ByteSource {
  readonly bytesRead = 0;
  readonly size: number;

  constructor(
    private readonly data: Uint8Array,
    readonly name: string,
  ) {
    this.size = data.length;
  }

  read(offset: number, length: number): { bytes: Uint8Array; owned: boolean } {
    return { bytes: this.data.subarray(offset, offset + length), owned: false };
  }

  close(): void {}
}
