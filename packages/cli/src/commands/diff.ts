// `btforge diff A B [-B BASE | --base-a A_BASE --base-b B_BASE] [--json] [--exit-code] [--summary]`:
// what changed between two BTFs (raw BTF, an ELF's .BTF, /sys/kernel/btf/*; split BTF on a base),
// type by type, member by member, with what each change means for CO-RE. The comparison itself
// lives in @btforge/btf (diffBtf); this module reads the inputs and prints the report.
import { resolve } from "node:path";
import type { Command } from "commander";
import { type BtfDiff, BtfError, type BtfTable, diffBtf, hasDifferences, parseBtf } from "@btforge/btf";
import { BtforgeError, btforgeError, readBtfBytes, readBtfFile } from "@btforge/core";
import { ExitCode, print } from "../output.js";
import { DIFF_JSON_SCHEMA } from "../report/diff-schema.js";
import { formatDiffText } from "../report/diff-text.js";

interface DiffOptions {
  base?: string;
  baseA?: string;
  baseB?: string;
  json?: boolean;
  jsonSchema?: boolean;
  exitCode?: boolean;
  summary?: boolean;
}

/** The --json document: the inputs, then diffBtf's report. Its schema is ../report/diff-schema.ts. */
export interface DiffDocument extends BtfDiff {
  a: { file: string; base: string | null };
  b: { file: string; base: string | null };
  different: boolean;
}

const HELP = `
Types are matched by kind and name (a struct that became a union is changed, not removed and
added), anonymous types by the member, typedef or variable that holds them, and compared by the
names of what they refer to (ids differ between builds). Members are compared by name through
anonymous members, with old and new offsets, sizes and types; functions by return type and
parameters in order. Each change is marked by what it means for a BPF program built against A:
  [unrelocatable]  CO-RE cannot relocate it (removed or renamed member, enumerator, type kind)
  [layout]         programs built without CO-RE break; CO-RE relocations follow it
Split BTF (a module's) is compared on its base: -B for both sides, or --base-a/--base-b when the
bases differ (two kernel builds); only the split parts are compared. A module under
/sys/kernel/btf is read on /sys/kernel/btf/vmlinux unless told otherwise.
Exit status: 0, or with --exit-code 1 when the inputs differ; 1 for a bad input, 2 for bad usage.
  btforge diff /sys/kernel/btf/vmlinux vmlinux-6.12
  btforge diff old/nf_tables.ko new/nf_tables.ko --base-a old/vmlinux --base-b new/vmlinux --json`;

export function register(program: Command): void {
  program
    .command("diff")
    .description("what changed between two BTFs: types removed, changed (member by member) and added, with their CO-RE impact")
    .argument("[a]", "the old BTF: raw BTF, or an ELF with a .BTF section")
    .argument("[b]", "the new BTF")
    .option("-B, --base <file>", "the base BTF of both inputs when they are split BTF (e.g. vmlinux for modules)")
    .option("--base-a <file>", "the base BTF of A (overrides -B for A)")
    .option("--base-b <file>", "the base BTF of B (overrides -B for B)")
    .option("--json", "print the report as one JSON document")
    .option("--json-schema", "print the JSON Schema of the --json document and exit")
    .option("--exit-code", "exit with 1 when the inputs differ, 0 when they do not (as git diff --exit-code)")
    .option("--summary", "print the counts only (text)")
    .addHelpText("after", HELP)
    .action((a: string | undefined, b: string | undefined, options: DiffOptions) => diff(a, b, options));
}

function diff(fileA: string | undefined, fileB: string | undefined, options: DiffOptions): void {
  if (options.jsonSchema) {
    print(JSON.stringify(DIFF_JSON_SCHEMA, null, 2));
    return;
  }
  if (fileA === undefined || fileB === undefined) throw btforgeError("USAGE", ["diff needs two BTF files: btforge diff A B"]);
  if (options.json && options.summary) throw btforgeError("USAGE", ["--summary is for the text report; --json always has the summary"]);
  const baseA = options.baseA ?? options.base ?? impliedBase(fileA);
  const baseB = options.baseB ?? options.base ?? impliedBase(fileB);
  const report = diffBtf(readSide(fileA, baseA), readSide(fileB, baseB));
  const different = hasDifferences(report);
  if (options.json) {
    const doc: DiffDocument = { a: { file: fileA, base: baseA ?? null }, b: { file: fileB, base: baseB ?? null }, different, ...report };
    // One line: two kernels' report is hundreds of thousands of lines indented; `jq .` indents it when wanted.
    print(JSON.stringify(doc));
  } else {
    process.stdout.write(formatDiffText(report, { a: inputName(fileA, baseA), b: inputName(fileB, baseB) }, { summaryOnly: options.summary }));
  }
  if (options.exitCode && different) throw new ExitCode(1);
}

const SYSFS_BTF = "/sys/kernel/btf/";

/**
 * A module's BTF under /sys/kernel/btf is split BTF on the running kernel's: its base goes without
 * saying, as with `bpftool btf dump file /sys/kernel/btf/MODULE`.
 */
export function impliedBase(file: string): string | undefined {
  const path = resolve(file);
  return path.startsWith(SYSFS_BTF) && path !== `${SYSFS_BTF}vmlinux` ? `${SYSFS_BTF}vmlinux` : undefined;
}

/** Parsed on its base when it has one. Both inputs are read before anything is printed. */
function readSide(file: string, base: string | undefined): BtfTable {
  const baseTable = base === undefined ? undefined : readBtfFile(base);
  try {
    return parseBtf(readBtfBytes(file), { base: baseTable, name: file });
  } catch (err) {
    // A split BTF read without its base has a string section that does not start with "": say what to do.
    if (baseTable === undefined && err instanceof BtfError && err.code === "BTF_BAD_STRINGS") {
      const message = `${err.message} (a split BTF, such as a module's? name its base with -B or --base-a/--base-b)`;
      throw new BtforgeError(err.code, message, { cause: err }, message);
    }
    throw err;
  }
}

function inputName(file: string, base: string | undefined): string {
  return base === undefined ? file : `${file} (on ${base})`;
}
