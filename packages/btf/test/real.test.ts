// The host's own BTF: parse → write is byte-identical, and the raw dump equals bpftool's.

import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, test } from "vitest";
import { dumpRaw, parseBtf, writeBtf } from "@btforge/btf";
import { VMLINUX_BTF, bpftool, bpftoolDump, firstDifference, hasVmlinuxBtf, moduleBtfFiles, skipNote } from "./helpers.js";

const noVmlinux = skipNote(!hasVmlinuxBtf, `${VMLINUX_BTF} is absent`);
const noBpftool = skipNote(!bpftool, "bpftool is not installed");
const modules = moduleBtfFiles();
// Not a peer CI can install: a kernel whose drivers are built in has no module BTF to read.
if (hasVmlinuxBtf && modules.length === 0) console.warn("skipping the host's module BTF round trips: no module BTF under /sys/kernel/btf on this host");

describe("host BTF", () => {
  test.skipIf(noVmlinux)("vmlinux: parse then write is byte-identical", () => {
    const bytes = new Uint8Array(readFileSync(VMLINUX_BTF));
    const t0 = performance.now();
    const table = parseBtf(bytes, { name: VMLINUX_BTF });
    console.info(`parsed ${VMLINUX_BTF} (${bytes.length} bytes, ${table.count} types) in ${(performance.now() - t0).toFixed(1)} ms`);
    expect(table.count).toBeGreaterThan(1000);
    expect(Buffer.from(writeBtf(table)).equals(Buffer.from(bytes))).toBe(true);
  });

  test.skipIf(noVmlinux || noBpftool)("vmlinux: dumpRaw equals bpftool btf dump, line for line", () => {
    const table = parseBtf(new Uint8Array(readFileSync(VMLINUX_BTF)), { name: VMLINUX_BTF });
    const ours = dumpRaw(table);
    const theirs = bpftoolDump(VMLINUX_BTF);
    expect(firstDifference(ours, theirs)).toBeUndefined();
  });

  test.skipIf(noVmlinux || modules.length === 0).each(modules.slice(0, 200))("module %s: split parse/write round trip and dump", (file) => {
    const base = parseBtf(new Uint8Array(readFileSync(VMLINUX_BTF)), { name: VMLINUX_BTF });
    const bytes = new Uint8Array(readFileSync(file));
    const table = parseBtf(bytes, { base, name: file });
    expect(table.firstId).toBe(base.lastId + 1);
    expect(Buffer.from(writeBtf(table)).equals(Buffer.from(bytes))).toBe(true);
    if (bpftool) expect(firstDifference(dumpRaw(table), bpftoolDump(file, VMLINUX_BTF)), basename(file)).toBeUndefined();
  });
});
