#!/usr/bin/env node
// Walks every DIE of a file's .debug_info (default: the cached Debian 6.1 vmlinux) and prints wall
// time and peak RSS. Two passes: "walk" counts tags (dwarf-stats), "read" also decodes the
// attributes an encoder reads (names, type refs, sizes, member offsets, locations).
// Sections come from @btforge/elf's build when it exists, else from `objcopy --dump-section`
// into a temporary folder. Needs `npx tsc -b packages/dwarf` first.
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const file = process.argv[2] ?? join(homedir(), ".cache/btforge/6.1.0-50-cloud-amd64/vmlinux");
const names = ["debug_info", "debug_abbrev", "debug_str", "debug_line_str", "debug_str_offsets", "debug_addr", "debug_rnglists", "debug_loclists"];

async function loadWithElf() {
  const dist = join(root, "packages/elf/dist/index.js");
  if (!existsSync(dist)) return undefined;
  const { ElfFile } = await import(dist);
  const elf = await ElfFile.open(file);
  const sections = {};
  for (const n of names) {
    const bytes = await elf.readDebugSection(`.${n}`);
    if (bytes) sections[n] = bytes;
  }
  return { sections, littleEndian: elf.littleEndian ?? true, via: "@btforge/elf" };
}

function loadWithObjcopy() {
  const dir = join(tmpdir(), `btforge-bench-${basename(file)}`);
  mkdirSync(dir, { recursive: true });
  const present = execFileSync("readelf", ["-SW", file], { encoding: "utf8" });
  const wanted = names.filter((n) => present.includes(` .${n} `));
  const missing = wanted.filter((n) => !existsSync(join(dir, `${n}.bin`)));
  if (missing.length > 0) {
    const args = missing.flatMap((n) => ["--dump-section", `.${n}=${join(dir, `${n}.bin`)}`]);
    execFileSync("objcopy", [...args, file, join(dir, "discard.o")], { stdio: "inherit" });
  }
  const sections = {};
  for (const n of wanted) sections[n] = new Uint8Array(readFileSync(join(dir, `${n}.bin`)));
  const ident = Buffer.alloc(6);
  const fd = openSync(file, "r");
  readSync(fd, ident, 0, 6, 0);
  closeSync(fd);
  return { sections, littleEndian: ident[5] === 1 /* ELFDATA2LSB */, via: `objcopy (${dir})` };
}

const { DwarfFile, DW_AT, dwarfStats } = await import(join(root, "packages/dwarf/dist/index.js"));

const ms = (t0) => `${(performance.now() - t0).toFixed(0)} ms`;
let t0 = performance.now();
const loaded = (await loadWithElf()) ?? loadWithObjcopy();
const infoMB = (loaded.sections.debug_info.length / 1e6).toFixed(1);
console.log(`${file}: .debug_info ${infoMB} MB, loaded via ${loaded.via} in ${ms(t0)}`);

t0 = performance.now();
let dwarf = new DwarfFile(loaded.sections, { littleEndian: loaded.littleEndian, name: file });
const stats = dwarfStats(dwarf);
const dies = Object.values(stats.tags).reduce((a, b) => a + b, 0);
console.log(`walk: ${stats.units} units, ${dies} DIEs in ${ms(t0)}`);

// A fresh file, so the read pass pays for its own abbreviation tables and string cache.
dwarf = new DwarfFile(loaded.sections, { littleEndian: loaded.littleEndian, name: file });
t0 = performance.now();
let named = 0;
let refs = 0;
let blocks = 0;
for (const unit of dwarf.units()) {
  const c = dwarf.cursor(unit);
  while (c.next()) {
    if (c.str(DW_AT.name) !== undefined) named++;
    if (c.ref(DW_AT.type) !== undefined) refs++;
    c.uint(DW_AT.byte_size);
    c.uint(DW_AT.data_member_location);
    if (c.block(DW_AT.location) !== undefined) blocks++;
  }
}
console.log(`read: ${named} names, ${refs} type refs, ${blocks} location blocks in ${ms(t0)}`);
const rss = process.resourceUsage().maxRSS; // kilobytes
console.log(`peak RSS: ${(rss / 1024).toFixed(0)} MB`);
