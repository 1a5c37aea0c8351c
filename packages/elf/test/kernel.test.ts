// The real Debian 6.1 cloud kernel (fetched by test/real/fetch-kernel.sh into ~/.cache/btforge):
// vmlinux's section and symbol tables against readelf, reading .debug_info without reading the
// whole 600 MB file, and its modules' debug sections relocated as readelf relocates them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import { ET, ElfFile, SHT, writeElfWithSection } from "@btforge/elf";
import { ourSections, ourSymbols } from "./ours.js";
import { peerRelocatedSection, peerSections, peerSymbols, readelfMissing } from "./readelf.js";

const kernelDir = join(homedir(), ".cache/btforge/6.1.0-50-cloud-amd64");
const vmlinux = join(kernelDir, "vmlinux");
const modulesDir = join(kernelDir, "modules");
const kernelMissing = existsSync(vmlinux) ? undefined : `${vmlinux} is absent (run test/real/fetch-kernel.sh)`;
const skipReason = skipBecause(kernelMissing ?? readelfMissing, "the real-kernel ELF suite");
const modules = existsSync(modulesDir) ? readdirSync(modulesDir).filter((f) => f.endsWith(".ko")).sort() : [];

describe.skipIf(skipReason)("vmlinux", () => {
  test("section table equals readelf -S", () => {
    const elf = ElfFile.open(vmlinux);
    expect(elf.type).toBe(ET.EXEC);
    expect(ourSections(elf)).toEqual(peerSections(vmlinux));
    elf.close();
  });

  test("symbol table equals readelf -s", () => {
    const elf = ElfFile.open(vmlinux);
    const peer = peerSymbols(vmlinux);
    const ours = elf.symbols();
    expect(ours.count).toBe(peer.length);
    expect(ours.count).toBeGreaterThan(100_000);
    expect(ourSymbols(elf, ours)).toEqual(peer);
    elf.close();
  }, 120_000);

  test(".debug_info is read alone: no relocation, and not the whole file", () => {
    const elf = ElfFile.open(vmlinux);
    const opened = elf.bytesRead;
    expect(opened).toBeLessThan(64 * 1024);
    const section = elf.findSection(".debug_info")!;
    const info = elf.readDebugSection(".debug_info")!;
    expect(info.length).toBe(section.size);
    expect(elf.bytesRead - opened).toBe(section.size);
    expect(elf.bytesRead).toBeLessThan(elf.fileSize / 2);
    // ET_EXEC: the bytes as stored (DWARF 5 unit header of the first unit).
    expect(new DataView(info.buffer, info.byteOffset).getUint16(4, true)).toBe(5);
    expect(elf.readDebugSection(".debug_info")).toBe(info);
    elf.close();
  }, 120_000);

  test("its allocated .BTF is replaced only on request, keeping address, flags and every other section", () => {
    const dir = mkdtempSync(join(tmpdir(), "btforge-vmlinux-"));
    try {
      const dst = join(dir, "vmlinux");
      const data = new Uint8Array(4096).map((_, i) => i & 0xff);
      expect(() => writeElfWithSection(vmlinux, dst, ".BTF", data)).toThrow(/cannot replace: it is allocated/);
      expect(existsSync(dst)).toBe(false);
      writeElfWithSection(vmlinux, dst, ".BTF", data, { replaceAllocated: true });
      const before = ElfFile.open(vmlinux);
      const after = ElfFile.open(dst);
      const oldBtf = before.findSection(".BTF")!;
      const newBtf = after.findSection(".BTF")!;
      expect([newBtf.addr, newBtf.flags, newBtf.size]).toEqual([oldBtf.addr, oldBtf.flags, data.length]);
      expect(after.readSection(".BTF")).toEqual(data);
      for (const s of before.sections) {
        if (s.name === ".BTF" || s.type === SHT.NOBITS || s.size > 64 << 20) continue;
        const t = after.sections[s.index]!;
        expect([t.name, t.offset, t.size]).toEqual([s.name, s.offset, s.size]);
        expect(Buffer.compare(after.readSectionRaw(t), before.readSectionRaw(s)), s.name).toBe(0);
      }
      before.close();
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);
});

describe.skipIf(skipReason || modules.length === 0)("modules", () => {
  test.each(modules)("%s: every debug section reads and relocates without error; .debug_info as readelf relocates it", (name) => {
    const file = join(modulesDir, name);
    const elf = ElfFile.open(file);
    expect(elf.type).toBe(ET.REL);
    const debug = elf.sections.filter((s) => s.name.startsWith(".debug_"));
    expect(debug.length).toBeGreaterThan(3);
    for (const s of debug) expect(elf.readDebugSection(s)!.length).toBeGreaterThan(0);
    const info = elf.findSection(".debug_info")!;
    const ours = Buffer.from(elf.readDebugSection(info)!);
    expect(ours.equals(Buffer.from(elf.readSection(info)!))).toBe(false);
    expect(ours.equals(Buffer.from(peerRelocatedSection(file, info.index)))).toBe(true);
    elf.close();
  }, 120_000);

  // The two smallest modules, compared byte for byte; the rest of the set would only slow the suite.
  test.each(modules.filter((m) => m === "tcp_bbr.ko" || m === "veth.ko"))("%s: relocated debug sections, sections and symbols equal readelf's", (name) => {
    const file = join(modulesDir, name);
    const elf = ElfFile.open(file);
    expect(ourSections(elf)).toEqual(peerSections(file));
    expect(ourSymbols(elf, elf.symbols())).toEqual(peerSymbols(file));
    for (const s of elf.sections.filter((x) => x.name.startsWith(".debug_") && x.type !== SHT.NOBITS)) {
      const ours = Buffer.from(elf.readDebugSection(s)!);
      expect({ section: s.name, equal: ours.equals(Buffer.from(peerRelocatedSection(file, s.index))) }).toEqual({ section: s.name, equal: true });
    }
    elf.close();
  }, 120_000);

  const bpftoolMissing = skipBecause(toolMissing("bpftool"), "the module .BTF rewrite check");
  const work = mkdtempSync(join(tmpdir(), "btforge-elf-kernel-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  test.skipIf(bpftoolMissing || !modules.includes("tcp_bbr.ko"))("rewriting a module's .BTF with its own bytes keeps bpftool's view of it", () => {
    const src = join(modulesDir, "tcp_bbr.ko");
    const dst = join(work, "tcp_bbr.ko");
    const elf = ElfFile.open(src);
    writeElfWithSection(src, dst, ".BTF", elf.readSection(".BTF")!);
    const dump = (f: string) => spawnSync("bpftool", ["-B", vmlinux, "btf", "dump", "file", f], { encoding: "utf8", maxBuffer: 1 << 28 });
    const before = dump(src);
    const after = dump(dst);
    expect(after.status).toBe(0);
    expect(after.stdout.length).toBeGreaterThan(1000);
    expect(after.stdout).toBe(before.stdout);
  }, 120_000);
});
