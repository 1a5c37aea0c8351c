// Differential tests against readelf on the committed objects: section tables, symbol tables, and
// the relocated (and decompressed) contents of every debug section, which `readelf -z -R` computes
// with binutils' own relocation code. Also an object with more than 0xff00 sections, assembled at
// test time, for extended numbering and SHN_XINDEX symbols as real tools write them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import { ElfFile, SHT } from "@btforge/elf";
import { ourSections, ourSymbols } from "./ours.js";
import { peerRelocatedSection, peerSections, peerSymbols, readelfMissing } from "./readelf.js";

const repo = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const fixtureDir = repo("test/fixtures/obj");
const objects = [
  ...readdirSync(fixtureDir)
    .filter((f) => f.endsWith(".o"))
    .map((f) => join(fixtureDir, f)),
  repo("test/sample/sample.o"),
];


const debugSections = (elf: ElfFile) => elf.sections.filter((s) => /^\.z?debug_/.test(s.name) && s.type !== SHT.NOBITS);

describe.skipIf(skipBecause(readelfMissing, "readelf comparisons"))("committed objects agree with readelf", () => {
  test.each(objects)("sections of %s", (file) => {
    const elf = ElfFile.open(file);
    expect(ourSections(elf)).toEqual(peerSections(file));
    elf.close();
  });

  test.each(objects)("symbols of %s", (file) => {
    const elf = ElfFile.open(file);
    const peer = peerSymbols(file);
    expect(peer.length).toBeGreaterThan(1);
    expect(ourSymbols(elf, elf.symbols())).toEqual(peer);
    elf.close();
  });

  test.each(objects)("relocated debug sections of %s", (file) => {
    const elf = ElfFile.open(file);
    const sections = debugSections(elf);
    expect(sections.length).toBeGreaterThan(3);
    for (const s of sections) {
      const ours = elf.readDebugSection(s)!;
      const peer = peerRelocatedSection(file, s.index);
      expect({ section: s.name, bytes: Buffer.from(ours).toString("hex") }).toEqual({ section: s.name, bytes: Buffer.from(peer).toString("hex") });
    }
    elf.close();
  });
});

test("relocations changed the bytes (the comparison above is not vacuous)", () => {
  const elf = ElfFile.open(join(fixtureDir, "gcc12-m32-dwarf2-O0-scalars.o"));
  expect(elf.readDebugSection(".debug_info")).not.toEqual(elf.readSection(".debug_info"));
  const be = ElfFile.open(join(fixtureDir, "clang14-aarch64_be-dwarf4-O0-layout.o"));
  expect(be.readDebugSection(".debug_info")).not.toEqual(be.readSection(".debug_info"));
});

test("zstd-compressed and uncompressed objects give the same relocated debug sections", () => {
  const plain = ElfFile.open(join(fixtureDir, "gcc12-dwarf5-O0-functions_a.o"));
  const zstd = ElfFile.open(join(fixtureDir, "gcc12-dwarf5-O0-functions_a.zstd.o"));
  const names = debugSections(plain).map((s) => s.name);
  expect(names).toContain(".debug_info");
  expect(zstd.findSection(".debug_info")!.flags & 0x800n).toBe(0x800n);
  for (const name of names) expect({ name, bytes: zstd.readDebugSection(name) }).toEqual({ name, bytes: plain.readDebugSection(name) });
});

test("zlib-compressed object: .debug_info decompresses to its declared size", () => {
  const elf = ElfFile.open(join(fixtureDir, "gcc12-dwarf5-zlib-O2-enums.o"));
  const s = elf.findSection(".debug_info")!;
  const info = elf.readDebugSection(".debug_info")!;
  expect(info.length).toBeGreaterThan(s.size);
  // A DWARF 5 unit header: 32-bit unit length covering the rest of the first unit, version 5.
  const view = new DataView(info.buffer, info.byteOffset);
  expect(view.getUint16(4, true)).toBe(5);
  expect(view.getUint32(0, true)).toBeLessThanOrEqual(info.length - 4);
});

describe.skipIf(readelfMissing)("more than 0xff00 sections (assembled with as)", () => {
  const dir = mkdtempSync(join(tmpdir(), "btforge-elf-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const asMissing = skipBecause(toolMissing("as"), "the extended-numbering object");

  test.skipIf(asMissing)("sections and SHN_XINDEX symbols agree with readelf", () => {
    const lines: string[] = [];
    for (let i = 0; i < 0xff10; i++) lines.push(`.section .s${i},"a"`, `.globl sym${i}`, `sym${i}: .byte ${i & 0xff}`);
    writeFileSync(join(dir, "many.s"), lines.join("\n") + "\n");
    const built = spawnSync("as", [join(dir, "many.s"), "-o", join(dir, "many.o")], { encoding: "utf8" });
    expect(built.stderr).toBe("");
    const file = join(dir, "many.o");
    const elf = ElfFile.open(file);
    expect(elf.sections.length).toBeGreaterThan(0xff00);
    expect(ourSections(elf)).toEqual(peerSections(file));
    expect(elf.findSection(".symtab_shndx")).toBeDefined();
    const ours = ourSymbols(elf, elf.symbols());
    expect(ours.some((s) => s.section >= 0xff00)).toBe(true);
    expect(ours).toEqual(peerSymbols(file));
    expect([...elf.readSection(".s65290")!]).toEqual([65290 & 0xff]);
  }, 120_000);
});
