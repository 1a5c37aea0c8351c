/**
 * Bad input (issue 2 and the brief's standards): not an ELF, truncated, corrupt DWARF, no DWARF.
 * Each gets ONE clear line on stderr naming the file (and the place where there is one), a
 * non-zero exit, no stack trace and no hang.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { DW_TAG } from "@btforge/dwarf";
import { ElfFile } from "@btforge/elf";
import { layoutOf, type TypeRef } from "./fuzz/layout.js";
import { cliMissing, runCli } from "./support/cli.js";
import { CLI_BIN, FIXTURE_OBJ_DIR, SAMPLE_OBJECT } from "./support/paths.js";
import { skipBecause, toolMissing } from "./support/tools.js";

const dir = mkdtempSync(join(tmpdir(), "btforge-bad-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the sample with `patch` applied to the bytes of one of its sections. */
function withSection(section: string, name: string, patch: (info: Uint8Array) => void): string {
  const bytes = new Uint8Array(readFileSync(SAMPLE_OBJECT));
  const elf = ElfFile.fromBytes(bytes, name);
  const info = elf.findSection(section)!;
  patch(bytes.subarray(info.offset, info.offset + info.size));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const withDebugInfo = (name: string, patch: (info: Uint8Array) => void) => withSection(".debug_info", name, patch);

function expectOneLineError(r: { code: number | null; stderr: string; timedOut: boolean }, file: string, place?: RegExp) {
  expect(r.timedOut).toBe(false);
  expect(r.code).not.toBe(0);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).not.toMatch(/\n\s+at /);
  if (place) expect(lines[0]).toMatch(place);
}

describe("dwarf-stats on bad input", () => {
  const skip = skipBecause(cliMissing(), "bad-input CLI tests");

  test.skipIf(skip)("a file that is not ELF", async () => {
    const path = join(dir, "not-elf.txt");
    writeFileSync(path, "this is not an ELF file\n".repeat(10));
    expectOneLineError(await runCli(["dwarf-stats", path]), path);
  });

  test.skipIf(skip)("a missing file", async () => {
    const path = join(dir, "does-not-exist.o");
    expectOneLineError(await runCli(["dwarf-stats", path]), path);
  });

  test.skipIf(skip)("an ELF truncated in its section headers", async () => {
    const path = join(dir, "truncated.o");
    const bytes = readFileSync(SAMPLE_OBJECT);
    writeFileSync(path, bytes.subarray(0, bytes.length - 100));
    expectOneLineError(await runCli(["dwarf-stats", path]), path);
  });

  test.skipIf(skip)("an ELF truncated to its header", async () => {
    const path = join(dir, "header-only.o");
    writeFileSync(path, readFileSync(SAMPLE_OBJECT).subarray(0, 40));
    expectOneLineError(await runCli(["dwarf-stats", path]), path);
  });

  test.skipIf(skip)("a unit length beyond .debug_info", async () => {
    const path = withDebugInfo("unit-length.o", (info) => new DataView(info.buffer, info.byteOffset).setUint32(0, info.length * 4, true));
    expectOneLineError(await runCli(["dwarf-stats", path]), path, /debug_info.*0x0\b|debug_info.*offset 0/);
  });

  test.skipIf(skip)("an abbreviation code that does not exist", async () => {
    // DWARF 5 compile unit header is 12 bytes; the first DIE's abbreviation code follows.
    const path = withDebugInfo("abbrev-code.o", (info) => {
      info[12] = 0x7f;
    });
    expectOneLineError(await runCli(["dwarf-stats", path]), path, /debug_info/);
  });

  test.skipIf(skip)("an unknown DWARF version", async () => {
    const path = withDebugInfo("version.o", (info) => {
      info[4] = 9;
      info[5] = 0;
    });
    expectOneLineError(await runCli(["dwarf-stats", path]), path, /debug_info/);
  });

  test.skipIf(skip)("an unknown attribute form in .debug_abbrev", async () => {
    // The first abbreviation: code, tag, children flag, then (attribute, form) pairs; 0x7f is no form.
    const path = withSection(".debug_abbrev", "abbrev-form.o", (abbrev) => {
      let p = 0;
      const skipLeb = () => {
        while (abbrev[p]! & 0x80) p++;
        p++;
      };
      skipLeb(); // code
      skipLeb(); // tag
      p++; // children
      skipLeb(); // first attribute name
      abbrev[p] = 0x7f;
    });
    expectOneLineError(await runCli(["dwarf-stats", path]), path, /debug_(info|abbrev)/);
  });

  test.skipIf(skip)("random byte flips in .debug_abbrev: one line or a result, never a hang or a crash", async () => {
    let seed = 777;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0x7fff;
    let failures = 0;
    for (let i = 0; i < 12; i++) {
      const path = withSection(".debug_abbrev", `abbrev-flip-${i}.o`, (abbrev) => {
        abbrev[rand() % abbrev.length] ^= 1 << rand() % 8;
      });
      const r = await runCli(["dwarf-stats", path, "--json"]);
      expect(r.timedOut).toBe(false);
      expect(r.signal).toBeNull();
      if (r.code !== 0) {
        failures++;
        expectOneLineError(r, path);
      }
    }
    // Most flips break the stream; a test where none did would prove nothing.
    expect(failures).toBeGreaterThan(0);
  });

  test.skipIf(skip || !!skipBecause(toolMissing("objcopy"), "no-DWARF case"))("an ELF without DWARF", async () => {
    const path = join(dir, "stripped.o");
    copyFileSync(SAMPLE_OBJECT, path);
    execFileSync("objcopy", ["--strip-debug", path]);
    expectOneLineError(await runCli(["dwarf-stats", path]), path, /DWARF|debug_info/);
  });

  test.skipIf(skip)("random bytes after a valid ELF magic never hang or crash", async () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    const sample = readFileSync(SAMPLE_OBJECT);
    for (let i = 0; i < 8; i++) {
      const bytes = Buffer.from(sample);
      for (let k = 0; k < 40; k++) bytes[64 + ((rand() << 8) | rand()) % (bytes.length - 64)] = rand();
      const path = join(dir, `fuzz-${i}.o`);
      writeFileSync(path, bytes);
      const r = await runCli(["dwarf-stats", path, "--json"]);
      expect(r.timedOut).toBe(false);
      expect(r.signal).toBeNull();
      if (r.code !== 0) expectOneLineError(r, path);
    }
  });
});

describe("encode on bad input: one line, non-zero exit, and an --in-place target left as it was", () => {
  const skip = skipBecause(cliMissing(), "bad-input encode tests");
  /** encode --in-place; a failed run must leave the file byte for byte as it was. */
  const unchanged = async (path: string) => {
    const before = readFileSync(path);
    const r = await runCli(["encode", path, "--in-place", "--quiet"]);
    if (r.code !== 0) expect(readFileSync(path).equals(before), `${path} was modified by a failed run`).toBe(true);
    return r;
  };

  test.skipIf(skip)("a file that is not ELF", async () => {
    const path = join(dir, "encode-not-elf.txt");
    writeFileSync(path, "this is not an ELF file\n".repeat(10));
    expectOneLineError(await unchanged(path), path);
  });

  test.skipIf(skip || !!skipBecause(toolMissing("objcopy"), "no-DWARF case"))("an ELF without DWARF", async () => {
    const path = join(dir, "encode-stripped.o");
    copyFileSync(SAMPLE_OBJECT, path);
    execFileSync("objcopy", ["--strip-debug", path]);
    const r = await unchanged(path);
    expectOneLineError(r, path, /no DWARF/);
  });

  test.skipIf(skip)("an abbreviation code that does not exist", async () => {
    const path = withDebugInfo("encode-bad-abbrev.o", (info) => {
      // The root DIE's abbreviation code (first byte after the DWARF 5 header) made unknown.
      info[12] = 0x7f;
    });
    expectOneLineError(await unchanged(path), path, /abbreviation code/);
  });

  test.skipIf(skip)("random byte flips in .debug_info: one line and the file untouched, or valid BTF written; never a hang or a crash", async () => {
    for (let seed = 1; seed <= 12; seed++) {
      let x = seed * 2654435761;
      const path = withDebugInfo(`encode-flip-${seed}.o`, (info) => {
        for (let k = 0; k < 4; k++) {
          x = (x * 1103515245 + 12345) >>> 0;
          info[12 + (x % (info.length - 12))] ^= 1 << (x % 8);
        }
      });
      const r = await unchanged(path);
      expect(r.timedOut).toBe(false);
      expect(r.signal).toBeNull();
      if (r.code !== 0) expectOneLineError(r, path);
      else expect((await runCli(["validate", path])).code).toBe(0);
    }
  });
});

/**
 * Issue 12's findings, each kept as a test: every error is one line that names the file and the
 * place (unit, DIE offsets as llvm-dwarfdump --debug-info=0x... takes them), and nothing blocks.
 */
describe("errors name their place (issue 12)", () => {
  const skip = skipBecause(cliMissing(), "issue 12 CLI tests");
  const hex = (n: number) => `0x${n.toString(16)}`;
  const sampleLayout = () => layoutOf(SAMPLE_OBJECT, new Uint8Array(readFileSync(SAMPLE_OBJECT)));

  /** A copy of the sample whose DW_AT_type references `refs[i]` point at the DIEs `to[i]`. */
  function retyped(name: string, edits: readonly { ref: TypeRef; to: number }[]): string {
    const bytes = new Uint8Array(readFileSync(SAMPLE_OBJECT));
    const info = sampleLayout().dwarf!.info;
    for (const { ref, to } of edits) new DataView(bytes.buffer).setUint32(info.offset + ref.at, to - ref.unit, true);
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  const pointers = () => sampleLayout().dwarf!.typeRefs.filter((r) => r.tag === DW_TAG.pointer_type);
  const LOOP = "DWARF types refer to each other in a loop that no struct or union breaks";

  test.skipIf(skip)("a pointer whose DW_AT_type is itself: the file, the unit and the DIE, with or without dedup", async () => {
    const [p] = pointers();
    const path = retyped("pointer-self.o", [{ ref: p!, to: p!.die }]);
    const want = `btforge: ${path}: section .debug_info, unit 0x0, DIE ${hex(p!.die)}: ${LOOP}: DIE ${hex(p!.die)} (DW_TAG_pointer_type) → DIE ${hex(p!.die)} (DW_TAG_pointer_type)`;
    for (const profile of ["default", "minimal"]) {
      const r = await runCli(["encode", path, "--profile", profile, "--quiet"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`${want}\n`);
    }
    // The experiment says which profile failed, after the file's name.
    const e = await runCli(["experiment", path, "--profiles", "minimal,default", "--quiet"]);
    expect(e.code).toBe(1);
    expect(e.stderr).toBe(`${want.replace(`${path}: `, `${path}: profile minimal: `)}\n`);
  });

  test.skipIf(skip)("a cycle through pointers only: every DIE of the cycle, in order", async () => {
    const [p, q] = pointers();
    const path = retyped("pointer-cycle.o", [{ ref: p!, to: q!.die }, { ref: q!, to: p!.die }]);
    const r = await runCli(["encode", path, "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `btforge: ${path}: section .debug_info, unit 0x0, DIE ${hex(p!.die)}: ${LOOP}: ` +
        `DIE ${hex(p!.die)} (DW_TAG_pointer_type) → DIE ${hex(q!.die)} (DW_TAG_pointer_type) → DIE ${hex(p!.die)} (DW_TAG_pointer_type)\n`,
    );
  });

  test.skipIf(skip)("loops found in the types phase name the DIE offsets, not only BTF ids: typedefs, and a struct that contains itself", async () => {
    const refs = sampleLayout().dwarf!.typeRefs;
    const [u32, u64] = ["u32", "u64"].map((n) => refs.find((r) => r.tag === DW_TAG.typedef && r.die === (n === "u32" ? 0x2a : 0x3c))!);
    const typedefs = retyped("typedef-loop.o", [{ ref: u32!, to: u64!.die }, { ref: u64!, to: u32!.die }]);
    const r = await runCli(["encode", typedefs, "--quiet"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `btforge: ${typedefs}: section .debug_info, unit 0x0, DIE 0x2a: DWARF types refer to each other in a loop: ` +
        "DIE 0x2a (DW_TAG_typedef 'u32') → DIE 0x3c (DW_TAG_typedef 'u64') → DIE 0x2a (DW_TAG_typedef 'u32')\n",
    );
    // struct list_head's member `next` made a struct list_head instead of a pointer to one.
    const next = refs.find((r) => r.die === 0x59)!;
    const listHead = pointers().find((p) => p.die === 0x72)!;
    const struct = retyped("struct-in-itself.o", [{ ref: next, to: listHeadStruct(listHead) }]);
    const s = await runCli(["encode", struct, "--quiet"]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(new RegExp(`^btforge: ${struct}: section \\.debug_info, unit 0x0, DIE 0x4e: DWARF types refer to each other in a loop: DIE 0x4e \\(DW_TAG_structure_type 'list_head'\\) → DIE 0x4e`));
  });

  /** The struct a pointer of the sample points at (list_head, at 0x4e). */
  function listHeadStruct(pointer: TypeRef): number {
    const bytes = readFileSync(SAMPLE_OBJECT);
    return pointer.unit + bytes.readUInt32LE(sampleLayout().dwarf!.info.offset + pointer.at);
  }

  test.skipIf(skip)("DW_FORM_strx* with .debug_str_offsets missing (its name damaged): one DWARF error naming the file, the unit and the section", async () => {
    const source = join(FIXTURE_OBJ_DIR, "clang14-dwarf5-O0-clang_btf_tags.o");
    const bytes = new Uint8Array(readFileSync(source));
    const elf = ElfFile.fromBytes(bytes, source);
    const names = elf.sections[new DataView(bytes.buffer).getUint16(0x3e, true)]!; // e_shstrndx (ELF64, little endian)
    const at = Buffer.from(bytes.subarray(names.offset, names.offset + names.size)).indexOf(".debug_str_offsets\0");
    bytes[names.offset + at + 1] = "x".charCodeAt(0); // ".xebug_str_offsets" (and its .rela section's name with it)
    const path = join(dir, "no-str-offsets.o");
    writeFileSync(path, bytes);
    const r = await runCli(["encode", path, "--quiet"]);
    expect(r.code).toBe(1);
    expectOneLineError(r, path, /^btforge: \S+: \.debug_info\+0x[0-9a-f]+ \(unit 0x0, DIE 0x[0-9a-f]+\): index \d+ into \.debug_str_offsets, which is missing$/);
  });

  describe("a directory, a FIFO or a device as input: refused at once, one line naming it", () => {
    const folder = join(dir, "a-folder.o");
    const fifo = join(dir, "a-fifo.o");
    const setup = () => {
      rmSync(folder, { recursive: true, force: true });
      rmSync(fifo, { force: true });
      execFileSync("mkdir", [folder]);
      execFileSync("mkfifo", [fifo]);
    };
    const cases: [string, string[], string][] = [];
    for (const [path, what] of [[folder, "a directory"], [fifo, "a FIFO"], ["/dev/null", "a character device"]] as const) {
      cases.push(
        [`encode ${what}`, ["encode", path, "-o", join(dir, "never.btf")], path],
        [`dwarf-stats ${what}`, ["dwarf-stats", path], path],
        [`dump ${what}`, ["dump", path], path],
        [`validate ${what}`, ["validate", path], path],
        [`experiment ${what}`, ["experiment", path, "--profiles", "default,minimal"], path],
        [`dump -B ${what}`, ["dump", SAMPLE_OBJECT, "-B", path], path],
      );
    }
    test.skipIf(skip || !!skipBecause(toolMissing("mkfifo"), "FIFO inputs")).each(cases)("%s", async (_, argv, path) => {
      setup();
      const r = await runCli(argv, { timeoutMs: 20_000 });
      expect(r.timedOut, "btforge blocked on the input").toBe(false);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^btforge: ${path}: is a (directory|FIFO|character device), not a regular file\\n$`));
      expect(existsSync(join(dir, "never.btf"))).toBe(false);
    });
  });

  describe("a working directory the configuration search cannot read", () => {
    const cli = CLI_BIN;
    test.skipIf(skip)("a removed working directory: the search says it failed, and where", async () => {
      const gone = join(dir, "removed-cwd");
      execFileSync("mkdir", ["-p", gone]);
      const r = spawnSync("sh", ["-c", `cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${cli}" encode "${SAMPLE_OBJECT}"`], { encoding: "utf8" });
      expect(r.status).toBe(2);
      expect(r.stderr).toBe("btforge: configuration search failed in the working directory: it was removed (run btforge from a folder you can read)\n");
    });

    // Root reads every folder: the test drops to `nobody` (setpriv) to meet EACCES.
    const root = process.getuid?.() === 0;
    const noSetpriv = root ? toolMissing("setpriv") : undefined;
    test.skipIf(skip || !!skipBecause(noSetpriv, "the EACCES working-directory case"))("a folder whose parent cannot be searched (EACCES on stat): the search says it failed, and where", async () => {
      const top = mkdtempSync(join(tmpdir(), "btforge-eacces-"));
      try {
        const parent = join(top, "parent");
        const cwd = join(parent, "cwd");
        execFileSync("mkdir", ["-p", cwd]);
        const input = join(top, "sample.o");
        copyFileSync(SAMPLE_OBJECT, input);
        execFileSync("chmod", ["755", top]);
        execFileSync("chmod", ["644", input]);
        if (root) execFileSync("chown", ["-R", "nobody", parent]);
        const script = `cd "${cwd}" && chmod 000 "${parent}" && exec "${process.execPath}" "${cli}" encode "${input}"`;
        const r = root
          ? spawnSync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "sh", "-c", script], { encoding: "utf8" })
          : spawnSync("sh", ["-c", script], { encoding: "utf8" });
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(`btforge: configuration search failed in ${cwd}: permission denied (run btforge from a folder you can read)\n`);
      } finally {
        execFileSync("chmod", ["-R", "u+rwx", top]);
        rmSync(top, { recursive: true, force: true });
      }
    });
  });
});
