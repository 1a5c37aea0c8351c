// writeElfWithSection(s): the added section as readelf and objcopy see it, every other section's
// bytes and place unchanged, replacement in place, several sections in one rewrite (.BTF with
// .BTF.base), extended numbering, and failures that leave the source untouched and no temporary
// file behind.
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { EM, ElfError, ElfFile, SHT, writeElfWithSection, writeElfWithSections } from "@btforge/elf";
import { buildElf } from "./elf-builder.js";
import { firstMissing, skipBecause, toolMissing } from "../../../test/support/tools.js";
import { peerSections, readelfMissing } from "./readelf.js";

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const fixture = (name: string) => repo(`test/fixtures/obj/${name}`);
const work = mkdtempSync(join(tmpdir(), "btforge-elf-writer-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function freshDir(): string {
  const dir = join(work, `case${counter++}`);
  mkdirSync(dir);
  return dir;
}

function btfLike(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

function readelfRun(args: string[]) {
  return spawnSync("readelf", ["-W", ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
}

/** Section `name`'s bytes as `readelf -x` dumps them. */
function peerHexDump(file: string, name: string): Uint8Array {
  const hex: string[] = [];
  for (const line of readelfRun(["-x", name, file]).stdout.split("\n")) {
    const m = /^ {2}0x[0-9a-f]+ /.exec(line);
    if (m) hex.push(line.slice(m[0].length, m[0].length + 35).replace(/ /g, ""));
  }
  return new Uint8Array(Buffer.from(hex.join(""), "hex"));
}

/** e_shstrndx as readelf resolves it (clang shares one table for section and symbol names). */
function peerNameTableIndex(file: string): number {
  const m = /Section header string table index:\s+(\d+)(?: \((\d+)\))?/.exec(readelfRun(["-h", file]).stdout)!;
  return Number(m[2] ?? m[1]);
}

/** `namesMoveIn`: the file whose name table may have grown (and moved) to take the new name. */
function expectOthersUnchanged(before: ElfFile, after: ElfFile, added: string, namesMoveIn?: string) {
  const nameTable = namesMoveIn ? peerNameTableIndex(namesMoveIn) : -1;
  for (const s of before.sections) {
    if (s.name === added) continue;
    const t = after.sections[s.index]!;
    const movable = s.index === nameTable;
    expect({ ...t, offset: movable ? s.offset : t.offset, size: movable ? s.size : t.size }).toEqual(s);
    if (!movable) expect(Buffer.from(after.readSectionRaw(t)).equals(Buffer.from(before.readSectionRaw(s)))).toBe(true);
  }
}

const objects = [
  "gcc12-dwarf5-O2-corpus.o",
  "gcc12-m32-dwarf2-O0-scalars.o",
  "clang14-aarch64_be-dwarf4-O0-layout.o",
  "gcc12-dwarf4-types-O0-recursive.o",
  "gcc12-dwarf5-O0-functions_a.zstd.o",
];

describe.skipIf(skipBecause(readelfMissing, "writer tests against readelf"))("adding .BTF", () => {

  test.each(objects)("%s: readelf and objcopy see the new section, every other section is unchanged", (name) => {
    const dir = freshDir();
    const dst = join(dir, name);
    const data = btfLike(1234, 7);
    writeElfWithSection(fixture(name), dst, ".BTF", data);
    expect(readdirSync(dir)).toEqual([name]);

    const check = readelfRun(["-a", dst]);
    expect(check.status).toBe(0);
    expect(check.stderr).toBe("");
    const peer = peerSections(dst);
    const btf = peer.find((s) => s.name === ".BTF")!;
    expect(btf).toMatchObject({ type: SHT.PROGBITS, size: 1234, flags: "", addr: 0n });
    expect(peerHexDump(dst, ".BTF")).toEqual(data);

    const before = ElfFile.open(fixture(name));
    const after = ElfFile.open(dst);
    expect(after.sections.length).toBe(before.sections.length + 1);
    expect(after.readSection(".BTF")).toEqual(data);
    expectOthersUnchanged(before, after, ".BTF", dst);

    // objcopy only understands the machines binutils was built for (not aarch64 here).
    if (after.machine === EM.X86_64 || after.machine === EM.I386) {
      const out = join(dir, "dumped.bin");
      const r = spawnSync("objcopy", [`--dump-section`, `.BTF=${out}`, dst, join(dir, "scratch.o")], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(new Uint8Array(readFileSync(out))).toEqual(data);
    }
  });

  test("replacing in place keeps the index and does not grow the file each time", () => {
    const dir = freshDir();
    const file = join(dir, "sample.o");
    copyFileSync(repo("test/sample/sample.o"), file);
    writeElfWithSection(file, file, ".BTF", btfLike(4000, 1));
    const first = ElfFile.open(file);
    const index = first.findSection(".BTF")!.index;
    const size1 = statSync(file).size;
    for (let round = 2; round < 5; round++) {
      writeElfWithSection(file, file, ".BTF", btfLike(4000, round));
      expect(statSync(file).size).toBe(size1);
    }
    writeElfWithSection(file, file, ".BTF", btfLike(100, 9));
    const after = ElfFile.open(file);
    expect(after.findSection(".BTF")!.index).toBe(index);
    expect(after.sections.length).toBe(first.sections.length);
    expect(after.readSection(".BTF")).toEqual(btfLike(100, 9));
    expect(peerHexDump(file, ".BTF")).toEqual(btfLike(100, 9));
    expectOthersUnchanged(first, after, ".BTF");
    expect(readdirSync(dir)).toEqual(["sample.o"]);
  });

  test("a name already in the name table (as a suffix) is reused, the table does not move", () => {
    const dir = freshDir();
    const dst = join(dir, "out.o");
    writeElfWithSection(repo("test/sample/sample.o"), dst, "debug_info", btfLike(10, 3));
    const before = ElfFile.open(repo("test/sample/sample.o"));
    const after = ElfFile.open(dst);
    expect(after.findSection(".shstrtab")).toEqual(before.findSection(".shstrtab"));
    expect(peerSections(dst).map((s) => s.name)).toContain("debug_info");
    expect(peerHexDump(dst, "debug_info")).toEqual(btfLike(10, 3));
  });

  test("crossing into extended numbering (0xff00 sections)", () => {
    const dir = freshDir();
    const src = join(dir, "many.o");
    // null + .text + fillers + .shstrtab = 0xff00 - 1 sections; one more needs section 0's sh_size.
    writeFileSync(src, buildElf({ sections: [{ name: ".text", type: SHT.PROGBITS, data: new Uint8Array(4) }], fillerSections: 0xff00 - 4 }));
    expect(ElfFile.open(src).sections.length).toBe(0xff00 - 1);
    const dst = join(dir, "many-btf.o");
    writeElfWithSection(src, dst, ".BTF", btfLike(64, 5));
    const peer = peerSections(dst);
    expect(peer.length).toBe(0xff00);
    expect(peer[0]!.size).toBe(0xff00);
    expect(peer[0xff00 - 1]!.name).toBe(".BTF");
    const after = ElfFile.open(dst);
    expect(after.readSection(".BTF")).toEqual(btfLike(64, 5));
    expect(readelfRun(["-S", dst]).stderr).toBe("");
  }, 60_000);
});

describe.skipIf(readelfMissing)("several sections in one rewrite (.BTF and .BTF.base)", () => {
  test("both added in the order given, readelf sees both, every other section unchanged", () => {
    const dir = freshDir();
    const dst = join(dir, "out.o");
    const src = fixture(objects[0]!);
    writeElfWithSections(src, dst, [
      { name: ".BTF", data: btfLike(700, 1) },
      { name: ".BTF.base", data: btfLike(99, 2) },
    ]);
    expect(readdirSync(dir)).toEqual(["out.o"]);
    expect(readelfRun(["-a", dst]).stderr).toBe("");
    const before = ElfFile.open(src);
    const after = ElfFile.open(dst);
    expect(after.sections.length).toBe(before.sections.length + 2);
    expect(after.sections.slice(-2).map((s) => s.name)).toEqual([".BTF", ".BTF.base"]);
    expect(peerHexDump(dst, ".BTF")).toEqual(btfLike(700, 1));
    expect(peerHexDump(dst, ".BTF.base")).toEqual(btfLike(99, 2));
    for (const name of [".BTF", ".BTF.base"]) expect(peerSections(dst).find((s) => s.name === name)).toMatchObject({ type: SHT.PROGBITS, flags: "", addr: 0n });
    expectOthersUnchanged(before, after, ".BTF", dst);
  });

  test("one replaced and one added; rewriting both again keeps indexes and file size", () => {
    const dir = freshDir();
    const file = join(dir, "sample.o");
    copyFileSync(repo("test/sample/sample.o"), file);
    writeElfWithSection(file, file, ".BTF", btfLike(300, 1));
    const btfIndex = ElfFile.open(file).findSection(".BTF")!.index;
    writeElfWithSections(file, file, [
      { name: ".BTF", data: btfLike(500, 2) },
      { name: ".BTF.base", data: btfLike(60, 3) },
    ]);
    const first = ElfFile.open(file);
    expect(first.findSection(".BTF")!.index).toBe(btfIndex);
    const baseIndex = first.findSection(".BTF.base")!.index;
    const size = statSync(file).size;
    writeElfWithSections(file, file, [
      { name: ".BTF", data: btfLike(500, 4) },
      { name: ".BTF.base", data: btfLike(60, 5) },
    ]);
    const again = ElfFile.open(file);
    expect(statSync(file).size).toBe(size);
    expect(again.sections.length).toBe(first.sections.length);
    expect([again.findSection(".BTF")!.index, again.findSection(".BTF.base")!.index]).toEqual([btfIndex, baseIndex]);
    expect(peerHexDump(file, ".BTF")).toEqual(btfLike(500, 4));
    expect(peerHexDump(file, ".BTF.base")).toEqual(btfLike(60, 5));
    expect(readdirSync(dir)).toEqual(["sample.o"]);
  });

  test("a refused section leaves the file as it was: nothing of the other is written", () => {
    const dir = freshDir();
    const file = join(dir, "sample.o");
    copyFileSync(repo("test/sample/sample.o"), file);
    const original = readFileSync(file);
    expect(() => writeElfWithSections(file, file, [{ name: ".BTF", data: btfLike(8, 1) }, { name: ".text", data: btfLike(8, 2) }])).toThrow(/section \.text: cannot replace/);
    expect(() => writeElfWithSections(file, file, [{ name: ".BTF", data: btfLike(8, 1) }, { name: ".BTF", data: btfLike(8, 2) }])).toThrow(/\.BTF is given twice/);
    expect(readFileSync(file).equals(original)).toBe(true);
    expect(readdirSync(dir)).toEqual(["sample.o"]);
  });
});

describe("failures leave the source untouched and no temporary file", () => {
  const src = repo("test/sample/sample.o");
  const original = readFileSync(src);

  function expectWriteError(run: () => unknown, code: string, message: RegExp) {
    try {
      run();
    } catch (e) {
      expect(e).toBeInstanceOf(ElfError);
      expect((e as ElfError).code).toBe(code);
      expect((e as ElfError).message).toMatch(message);
      return;
    }
    throw new Error("expected an ElfError");
  }

  test("the rename fails after the whole copy was written (destination is a directory)", () => {
    const dir = freshDir();
    const copy = join(dir, "in.o");
    copyFileSync(src, copy);
    mkdirSync(join(dir, "out.o"));
    writeFileSync(join(dir, "out.o", "keep"), "x");
    expectWriteError(() => writeElfWithSection(copy, join(dir, "out.o"), ".BTF", btfLike(100, 1)), "ELF_WRITE", /out\.o: cannot write: .*(EISDIR|ENOTEMPTY|EEXIST)/);
    expect(readdirSync(dir).sort()).toEqual(["in.o", "out.o"]);
    expect(readFileSync(copy).equals(original)).toBe(true);
  });

  test("a destination folder that cannot hold files", () => {
    expectWriteError(() => writeElfWithSection(src, "/proc/btforge-test.o", ".BTF", btfLike(8, 1)), "ELF_WRITE", /^\/proc\/btforge-test\.o: cannot write/);
    expect(existsSync("/proc/btforge-test.o")).toBe(false);
    const missing = join(work, "no-such-dir", "x.o");
    expectWriteError(() => writeElfWithSection(src, missing, ".BTF", btfLike(8, 1)), "ELF_WRITE", /ENOENT/);
    expect(readFileSync(src).equals(original)).toBe(true);
  });

  // Root may write anywhere, so as root the write runs in a child process as `nobody` (setpriv drops
  // the privilege), using the built package: the same code, under an ordinary user's permissions.
  const isRoot = process.getuid?.() === 0;
  const distIndex = repo("packages/elf/dist/index.js");
  const noUnprivilegedRun = isRoot ? firstMissing(existsSync(distIndex) ? undefined : `${distIndex} is not built`, toolMissing("setpriv")) : undefined;
  test.skipIf(skipBecause(noUnprivilegedRun, "the read-only folder case as an ordinary user"))("a destination folder without write permission", () => {
    const dir = freshDir();
    chmodSync(work, 0o755);
    copyFileSync(src, join(dir, "src.o"));
    chmodSync(dir, 0o555);
    try {
      if (!isRoot) {
        expectWriteError(() => writeElfWithSection(join(dir, "src.o"), join(dir, "x.o"), ".BTF", btfLike(8, 1)), "ELF_WRITE", /EACCES/);
      } else {
        const script = `import { writeElfWithSection } from ${JSON.stringify(distIndex)};
try { writeElfWithSection(${JSON.stringify(join(dir, "src.o"))}, ${JSON.stringify(join(dir, "x.o"))}, ".BTF", new Uint8Array(8)); console.log("written"); }
catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`;
        const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", process.execPath, "--input-type=module", "-e", script], { encoding: "utf8" });
        expect(r.status, r.stderr).toBe(0);
        const error = JSON.parse(r.stdout) as { name: string; code: string; message: string };
        expect(error).toMatchObject({ name: "ElfError", code: "ELF_WRITE" });
        expect(error.message).toMatch(/EACCES/);
      }
      expect(readdirSync(dir)).toEqual(["src.o"]);
    } finally {
      chmodSync(dir, 0o755);
      chmodSync(work, 0o700);
    }
  });

  test("bad source, bad name, and sections that must not be replaced", () => {
    const dir = freshDir();
    const text = join(dir, "notes.txt");
    writeFileSync(text, "not an object\n");
    expectWriteError(() => writeElfWithSection(text, join(dir, "x.o"), ".BTF", btfLike(8, 1)), "ELF_NOT_ELF", /notes\.txt: not an ELF file/);
    expectWriteError(() => writeElfWithSection(src, join(dir, "x.o"), "", btfLike(8, 1)), "ELF_WRITE", /invalid section name/);
    expectWriteError(() => writeElfWithSection(src, join(dir, "x.o"), ".text", btfLike(8, 1)), "ELF_WRITE", /section \.text: cannot replace: it is allocated/);
    expectWriteError(() => writeElfWithSection(src, join(dir, "x.o"), ".debug_info", btfLike(8, 1)), "ELF_WRITE", /section \.debug_info: cannot replace: section \[\d+\] \.rela\.debug_info refers to it/);
    expectWriteError(() => writeElfWithSection(src, join(dir, "x.o"), ".shstrtab", btfLike(8, 1)), "ELF_WRITE", /cannot replace: it is the section name table/);
    expect(readdirSync(dir)).toEqual([basename(text)]);
  });
});
