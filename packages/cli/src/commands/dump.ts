// `btforge dump FILE [--base BASE] [--format raw|c]`: the BTF of a raw .btf file or of an ELF's .BTF
// section, as `bpftool btf dump file` prints it (raw), or as a C header (format c, like vmlinux.h).
import type { Command } from "commander";
import { Option } from "commander";
import { dumpC, dumpRawBytes, parseBtf } from "@btforge/btf";
import { readBtfBytes, readBtfFile } from "@btforge/core";

interface DumpOptions {
  base?: string;
  format: "raw" | "c";
}

export function register(program: Command): void {
  program
    .command("dump")
    .description("print BTF as bpftool btf dump does (raw), or as a C header (--format c)")
    .argument("<file>", "raw BTF, or an ELF with a .BTF section")
    .option("-B, --base <file>", "the base BTF of a split BTF (e.g. vmlinux for a module)")
    .addOption(new Option("--format <format>", "output format").choices(["raw", "c"]).default("raw"))
    .action((file: string, options: DumpOptions) => {
      const base = options.base === undefined ? undefined : readBtfFile(options.base);
      const table = parseBtf(readBtfBytes(file), { base, name: file });
      if (options.format === "c") {
        // libbpf prints its oddities as warnings on stderr and goes on; so do we.
        process.stdout.write(dumpC(table, { name: file, warn: (m) => process.stderr.write(`warning: ${file}: ${m}\n`) }));
        return;
      }
      process.stdout.write(dumpRawBytes(table));
    });
}
