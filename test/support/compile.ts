/**
 * The compile matrix: the fixture corpus (test/fixtures/c) built at test time with every compiler,
 * DWARF version, optimisation level and output kind the readers must handle. Builds land in
 * test/.build/<cell>-<hash>/, keyed by a hash of the cell, the compiler's version and the sources,
 * so a rerun with nothing changed compiles nothing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FIXTURE_C_DIR, TEST_BUILD_DIR } from "./paths.js";
import { toolMissing } from "./tools.js";

export type Link = "objects" | "executable" | "shared";

export interface Cell {
  /** Unique, readable, used as the test name and the build folder's prefix. */
  id: string;
  compiler: "gcc" | "clang";
  /** Debug, optimisation and target flags, passed to every compile (and to the link). */
  flags: readonly string[];
  link: Link;
  /** Extra flags for the link step only. */
  linkFlags?: readonly string[];
  /** Rewrite the output's debug sections with objcopy (zstd: llvm-dwarfdump 14 cannot read it). */
  compressWithObjcopy?: "zstd";
}

export interface BuiltOutput {
  /** The file the readers are tested on. */
  file: string;
  /** The file llvm-dwarfdump reads: the same DWARF before objcopy compressed it, else `file`. */
  oracleFile: string;
}

const CLANG_ONLY = new Set(["clang_btf_tags.c"]);
const LINK_ONLY = new Set(["main.c"]);

/** The corpus sources a cell compiles: main.c only when linking, clang-only files for clang. */
export function cellSources(cell: Cell): string[] {
  return readdirSync(FIXTURE_C_DIR)
    .filter((f) => f.endsWith(".c"))
    .filter((f) => cell.link !== "objects" || !LINK_ONLY.has(f))
    .filter((f) => cell.compiler === "clang" || !CLANG_ONLY.has(f))
    .sort();
}

const OPTS = ["-O0", "-O2"] as const;
const LINKS: readonly Link[] = ["objects", "executable", "shared"];

/** gcc and clang × DWARF 4/5 × -O0/-O2 × objects/executable/shared object, then the variants. */
export function matrixCells(): Cell[] {
  const cells: Cell[] = [];
  for (const compiler of ["gcc", "clang"] as const)
    for (const dwarf of [4, 5])
      for (const opt of OPTS)
        for (const link of LINKS)
          cells.push({ id: `${compiler}-dwarf${dwarf}${opt}-${link}`, compiler, flags: [`-gdwarf-${dwarf}`, opt], link });
  cells.push(...variantCells());
  return cells;
}

/** Older DWARF, type units, 64-bit DWARF, compressed sections, ELF32 and big-endian targets. */
function variantCells(): Cell[] {
  const objectsFor = (compiler: "gcc" | "clang", id: string, flags: string[]): Cell => ({ id, compiler, flags, link: "objects" });
  const cells: Cell[] = [
    objectsFor("gcc", "gcc-dwarf2-O0-objects", ["-gdwarf-2", "-O0"]),
    objectsFor("gcc", "gcc-dwarf2-strict-O2-objects", ["-gdwarf-2", "-gstrict-dwarf", "-O2"]),
    objectsFor("gcc", "gcc-dwarf3-O2-objects", ["-gdwarf-3", "-O2"]),
    { id: "gcc-dwarf3-O0-executable", compiler: "gcc", flags: ["-gdwarf-3", "-O0"], link: "executable" },
    // Type units: .debug_types sections (DWARF 4) or DW_UT_type units in .debug_info (DWARF 5),
    // one COMDAT section per type unit in a .o, merged by the linker.
    objectsFor("gcc", "gcc-dwarf4-types-O0-objects", ["-gdwarf-4", "-fdebug-types-section", "-O0"]),
    { id: "gcc-dwarf4-types-O2-executable", compiler: "gcc", flags: ["-gdwarf-4", "-fdebug-types-section", "-O2"], link: "executable" },
    objectsFor("gcc", "gcc-dwarf5-types-O2-objects", ["-gdwarf-5", "-fdebug-types-section", "-O2"]),
    { id: "gcc-dwarf5-types-O0-shared", compiler: "gcc", flags: ["-gdwarf-5", "-fdebug-types-section", "-O0"], link: "shared" },
    objectsFor("clang", "clang-dwarf4-types-O0-objects", ["-gdwarf-4", "-fdebug-types-section", "-O0"]),
    objectsFor("clang", "clang-dwarf5-types-O2-objects", ["-gdwarf-5", "-fdebug-types-section", "-O2"]),
    // 64-bit DWARF (linked with the C runtime's 32-bit DWARF units: both formats in one file).
    objectsFor("gcc", "gcc-dwarf5-dwarf64-O2-objects", ["-gdwarf-5", "-gdwarf64", "-O2"]),
    { id: "gcc-dwarf4-dwarf64-O0-executable", compiler: "gcc", flags: ["-gdwarf-4", "-gdwarf64", "-O0"], link: "executable" },
    // SHF_COMPRESSED debug sections, zlib by the assembler and linker, zstd by objcopy.
    objectsFor("gcc", "gcc-dwarf5-zlib-O2-objects", ["-gdwarf-5", "-gz=zlib", "-O2"]),
    { id: "gcc-dwarf5-zlib-O0-executable", compiler: "gcc", flags: ["-gdwarf-5", "-gz=zlib", "-O0"], link: "executable" },
    { id: "gcc-dwarf5-zstd-O2-executable", compiler: "gcc", flags: ["-gdwarf-5", "-O2"], link: "executable", compressWithObjcopy: "zstd" },
    { id: "gcc-dwarf4-zstd-O0-objects", compiler: "gcc", flags: ["-gdwarf-4", "-O0"], link: "objects", compressWithObjcopy: "zstd" },
    // ELF32 (i386: REL relocations with implicit addends).
    objectsFor("gcc", "gcc-m32-dwarf4-O2-objects", ["-m32", "-gdwarf-4", "-O2"]),
    { id: "gcc-m32-dwarf5-O0-shared", compiler: "gcc", flags: ["-m32", "-gdwarf-5", "-O0"], link: "shared", linkFlags: ["-nostdlib"] },
  ];
  // Other targets need no sysroot because the corpus includes no system header; clang has every
  // backend built in. Objects only: there is no cross linker.
  const crossTargets: [string, number, string][] = [
    ["i386-linux-gnu", 5, "-O2"],
    ["armv7a-linux-gnueabihf", 5, "-O0"],
    ["aarch64_be-linux-gnu", 4, "-O0"],
    ["powerpc64-linux-gnu", 5, "-O2"],
    ["s390x-linux-gnu", 4, "-O2"],
    ["riscv64-linux-gnu", 5, "-O2"],
  ];
  for (const [target, dwarf, opt] of crossTargets)
    cells.push(objectsFor("clang", `clang-${target.split("-")[0]}-dwarf${dwarf}${opt}-objects`, [`--target=${target}`, `-gdwarf-${dwarf}`, opt]));
  return cells;
}

/** Undefined when the cell's tools are installed, else why the cell is skipped. */
export function cellMissing(cell: Cell): string | undefined {
  return toolMissing(cell.compiler) ?? (cell.compressWithObjcopy ? toolMissing("objcopy") : undefined);
}

function compilerVersion(compiler: string): string {
  return execFileSync(compiler, ["--version"], { encoding: "utf8" });
}

function buildKey(cell: Cell, sources: string[]): string {
  const h = createHash("sha256");
  h.update(JSON.stringify(cell));
  h.update(compilerVersion(cell.compiler));
  for (const f of readdirSync(FIXTURE_C_DIR).sort()) {
    if (!f.endsWith(".h") && !sources.includes(f)) continue;
    h.update(f);
    h.update(readFileSync(join(FIXTURE_C_DIR, f)));
  }
  return h.digest("hex").slice(0, 16);
}

const COMMON_FLAGS = ["-std=gnu11", "-g", "-w"];
const MANIFEST = "outputs.json";

/** Builds the cell unless an identical build exists; returns what the readers must be tested on. */
export function buildCell(cell: Cell): BuiltOutput[] {
  const sources = cellSources(cell);
  const dir = join(TEST_BUILD_DIR, `${cell.id}-${buildKey(cell, sources)}`);
  if (existsSync(join(dir, MANIFEST))) return readManifest(dir);
  // Build beside the final folder and rename: two test files building the same cell at once
  // (vitest runs files in parallel) both end with one complete folder.
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const names = compileInto(cell, sources, tmp);
  const outputs = cell.compressWithObjcopy ? names.map((n) => compressCopy(tmp, n, cell.compressWithObjcopy!)) : names.map((n) => ({ file: n, oracleFile: n }));
  writeFileSync(join(tmp, MANIFEST), JSON.stringify({ cell, outputs }, null, 2));
  try {
    renameSync(tmp, dir);
  } catch {
    rmSync(tmp, { recursive: true, force: true }); // another process finished first
  }
  return readManifest(dir);
}

function readManifest(dir: string): BuiltOutput[] {
  const { outputs } = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as { outputs: BuiltOutput[] };
  return outputs.map((o) => ({ file: join(dir, o.file), oracleFile: join(dir, o.oracleFile) }));
}

/** Returns the output names, relative to `dir`. */
function compileInto(cell: Cell, sources: string[], dir: string): string[] {
  const flags = [...COMMON_FLAGS, ...cell.flags];
  const run = (args: string[]) => execFileSync(cell.compiler, args, { cwd: FIXTURE_C_DIR, stdio: ["ignore", "ignore", "pipe"] });
  if (cell.link === "objects") {
    return sources.map((src) => {
      const out = src.replace(/\.c$/, ".o");
      run([...flags, "-c", src, "-o", join(dir, out)]);
      return out;
    });
  }
  const out = cell.link === "shared" ? "corpus.so" : "corpus";
  const kind = cell.link === "shared" ? ["-shared", "-fPIC"] : [];
  run([...flags, ...kind, ...(cell.linkFlags ?? []), ...sources, "-o", join(dir, out)]);
  return [out];
}

/** objcopy-compressed copy of `name`, keeping the original as the oracle's input. */
function compressCopy(dir: string, name: string, algorithm: "zstd"): BuiltOutput {
  const compressed = `${name}.${algorithm}`;
  execFileSync("objcopy", [`--compress-debug-sections=${algorithm}`, join(dir, name), join(dir, compressed)]);
  return { file: compressed, oracleFile: name };
}

/** True when readelf reports at least one compressed section in `file`. */
export function hasCompressedSection(file: string): boolean {
  const out = spawnSync("readelf", ["-S", "-W", file], { encoding: "utf8" }).stdout ?? "";
  // The flags column holds "C" for SHF_COMPRESSED.
  return out.split("\n").some((line) => /\.debug_\w+/.test(line) && /\s[A-Z]*C[A-Z]*\s+\d+\s+\d+\s+\d+\s*$/.test(line));
}
