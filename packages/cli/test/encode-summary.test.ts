// report/btf-summary.ts: types per kind, section bytes, VARs and DATASEC entries, checked against
// bpftool's reading of the same bytes and against the blob's own header.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { BtfTable, BtfVarLinkage, parseBtf, registerKind, unregisterKind, writeBtf } from "@btforge/btf";
import { kindName, kindNumber, summarizeBtf, summarizeBtfBytes } from "../src/report/btf-summary.js";
import { skipBecause, toolMissing } from "../../../test/support/tools.js";
import { bpftoolCounts } from "../../../test/support/bpftool-counts.js";

const dir = mkdtempSync(join(tmpdir(), "btforge-summary-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const noBpftool = skipBecause(toolMissing("bpftool"), "summary vs bpftool");
const HOST_BTF = "/sys/kernel/btf/vmlinux";


function sampleTable(): BtfTable {
  const t = new BtfTable();
  const int = t.addInt("int", 4, 1, 0, 32);
  const ptr = t.addPtr(int);
  t.addStruct("pair", 16, [{ name: "a", type: int, bitOffset: 0 }, { name: "p", type: ptr, bitOffset: 64 }]);
  t.addTypedef("pair_t", 3);
  const vars = ["a", "b", "c"].map((n) => t.addVar(n, int, BtfVarLinkage.GLOBAL_ALLOCATED));
  const pcpu = t.addVar("pcpu", int, BtfVarLinkage.GLOBAL_ALLOCATED);
  t.addDatasec(".data", 12, vars.map((type, i) => ({ type, offset: i * 4, size: 4 })));
  t.addDatasec(".data..percpu", 4, [{ type: pcpu, offset: 0, size: 4 }]);
  return t;
}

describe("summarizeBtf", () => {
  test("counts kinds in kind order, VARs and DATASEC entries per section; sizes from the header", () => {
    const table = sampleTable();
    const bytes = writeBtf(table);
    const s = summarizeBtf(table, bytes);
    expect(Object.keys(s)).toEqual(["types", "kinds", "headerBytes", "typeBytes", "stringBytes", "layoutBytes", "totalBytes", "vars", "datasecs"]);
    expect(s.kinds).toEqual({ INT: 1, PTR: 1, STRUCT: 1, TYPEDEF: 1, VAR: 4, DATASEC: 2 });
    expect(Object.keys(s.kinds)).toEqual(["INT", "PTR", "STRUCT", "TYPEDEF", "VAR", "DATASEC"]);
    expect(s.types).toBe(10);
    expect(s.vars).toBe(4);
    expect(s.datasecs).toEqual({ ".data": 3, ".data..percpu": 1 });
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(s.headerBytes).toBe(view.getUint32(4, true));
    expect(s.typeBytes).toBe(view.getUint32(12, true));
    expect(s.stringBytes).toBe(view.getUint32(20, true));
    expect(s.totalBytes).toBe(bytes.length);
    expect(s.headerBytes + s.typeBytes + s.stringBytes).toBe(s.totalBytes);
  });

  test("without the bytes, the sizes are what writing the table gives", () => {
    const table = sampleTable();
    expect(summarizeBtf(table)).toEqual(summarizeBtf(table, writeBtf(table)));
    expect(summarizeBtfBytes(writeBtf(table))).toEqual(summarizeBtf(table, writeBtf(table)));
  });

  test("an empty table: no kinds, header and the empty string only", () => {
    const s = summarizeBtfBytes(writeBtf(new BtfTable()));
    expect(s).toMatchObject({ types: 0, kinds: {}, vars: 0, datasecs: {}, typeBytes: 0, stringBytes: 1 });
  });

  test("a split BTF counts its own types only", () => {
    const base = sampleTable();
    const split = new BtfTable({ base });
    split.addPtr(1);
    split.addConst(2);
    const s = summarizeBtfBytes(writeBtf(split), { base: parseBtf(writeBtf(base)) });
    expect(s.types).toBe(2);
    expect(s.kinds).toEqual({ PTR: 1, CONST: 1 });
  });

  test("a kind a plugin registered is counted under its registered name", () => {
    expect(kindName(4)).toBe("STRUCT");
    expect(kindName(27)).toBe("kind 27");
    expect(kindNumber("kind 27")).toBe(27);
    expect(kindNumber("ENUM64")).toBe(19);
    registerKind({
      kind: 27,
      name: "TEST_KIND",
      since: "plugin",
      sizeIsType: true,
      trailingWords: () => 0,
      dumpRaw: (t, id) => `type_id=${t.sizeOrType(id)}`,
      toView: (t, id) => ({ type: t.sizeOrType(id) }),
    });
    try {
      const table = new BtfTable();
      const int = table.addInt("int", 4, 1, 0, 32);
      table.add(27, table.nameRef("x"), 0, false, int);
      expect(summarizeBtf(table).kinds).toEqual({ INT: 1, TEST_KIND: 1 });
      expect(kindNumber("TEST_KIND")).toBe(27);
    } finally {
      unregisterKind(27);
    }
  });

  test.skipIf(noBpftool)("agrees with bpftool on a written table", () => {
    const file = join(dir, "sample.btf");
    const bytes = writeBtf(sampleTable());
    writeFileSync(file, bytes);
    const s = summarizeBtfBytes(bytes);
    expect({ types: s.types, kinds: s.kinds, vars: s.vars, datasecs: s.datasecs }).toEqual((({ text: _t, ...c }) => c)(bpftoolCounts(file)));
  });

  test.skipIf(noBpftool || skipBecause(existsSync(HOST_BTF) ? undefined : `${HOST_BTF} is missing`, "summary of the running kernel's BTF"))(
    "agrees with bpftool on the running kernel's BTF",
    () => {
      const bytes = new Uint8Array(readFileSync(HOST_BTF));
      const s = summarizeBtfBytes(bytes, { name: HOST_BTF });
      const { text: _text, ...b } = bpftoolCounts(HOST_BTF);
      expect({ types: s.types, kinds: s.kinds, vars: s.vars, datasecs: s.datasecs }).toEqual(b);
      expect(s.datasecs[".data..percpu"]).toBeGreaterThan(100);
      expect(s.totalBytes).toBe(bytes.length);
    },
    60_000,
  );
});
