// A made-up kind registered the way a plugin would: parse, write, dump, typeView and remap
// all handle it through the registry alone.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  BtfError,
  BtfTable,
  builtinKinds,
  dumpRaw,
  forEachTypeRef,
  kindByName,
  kindDescriptor,
  parseBtf,
  registerKind,
  registeredKinds,
  remapTypeRefs,
  unregisterKind,
  writeBtf,
  type KindDescriptor,
  type KindRuleContext,
} from "@btforge/btf";

const DEMO = 25;

/** DEMO: size in the common field, one trailing word holding a type id, vlen unused. */
const demoKind: KindDescriptor = {
  kind: DEMO,
  name: "DEMO",
  since: "plugin",
  trailingWords: () => 1,
  sizeIsType: false,
  trailingTypeRefs: (_t, _id, visit) => visit(0),
  dumpRaw: (t, id) => ` size=${t.sizeOrType(id)} target_id=${t.word(id, 0)}`,
  toView: (t, id) => ({ size: t.sizeOrType(id), target: t.word(id, 0) }),
  validate(ctx: KindRuleContext, id: number) {
    if (!ctx.table.has(ctx.table.word(id, 0))) ctx.report(id, "Invalid target");
  },
};

beforeAll(() => registerKind(demoKind));
afterAll(() => unregisterKind(DEMO));

describe("registry", () => {
  test("lists built-ins with their kernel versions", () => {
    expect(registeredKinds().length).toBe(20);
    expect(kindByName("ENUM64")).toBe(builtinKinds.ENUM64);
    expect(kindDescriptor(16)?.since).toBe("5.13");
    expect(kindByName("DEMO")).toBe(demoKind);
  });

  test("refuses a kind number or name twice, and numbers outside 1..127", () => {
    expect(() => registerKind({ ...demoKind, name: "OTHER" })).toThrow(/already registered as DEMO/);
    expect(() => registerKind({ ...demoKind, kind: 26 })).toThrow(BtfError);
    expect(() => registerKind({ ...demoKind, kind: 128, name: "X" })).toThrow(/outside 1..127/);
  });
});

describe("a plugin kind end to end", () => {
  function build(): BtfTable {
    const t = new BtfTable();
    const int = t.addInt("int", 4, 1, 0, 32);
    const ptr = t.addPtr(int);
    t.add(DEMO, t.nameRef("demo_thing"), 0, false, 8, [ptr]);
    t.addTypedef("demo_t", 3);
    return t;
  }

  test("write → parse → write round trips", () => {
    const bytes = writeBtf(build());
    const parsed = parseBtf(bytes);
    expect(parsed.kind(3)).toBe(DEMO);
    expect(parsed.typeView(3)).toEqual({ id: 3, kind: "DEMO", name: "demo_thing", size: 8, target: 2 });
    expect(Buffer.from(writeBtf(parsed)).equals(Buffer.from(bytes))).toBe(true);
  });

  test("dump uses the plugin's dumper", () => {
    expect(dumpRaw(parseBtf(writeBtf(build())))).toBe(
      [
        "[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED",
        "[2] PTR '(anon)' type_id=1",
        "[3] DEMO 'demo_thing' size=8 target_id=2",
        "[4] TYPEDEF 'demo_t' type_id=3",
        "",
      ].join("\n"),
    );
  });

  test("references are found and remapped", () => {
    const t = parseBtf(writeBtf(build()));
    const refs: number[] = [];
    forEachTypeRef(t, 3, (r) => refs.push(r));
    expect(refs).toEqual([2]);
    remapTypeRefs(t, 3, (r) => (r === 2 ? 1 : r));
    expect(t.word(3, 0)).toBe(1);
    expect(dumpRaw(t, { ids: [3] })).toBe("[3] DEMO 'demo_thing' size=8 target_id=1\n");
  });

  test("its validation rule runs through the descriptor", () => {
    const t = build();
    t.add(DEMO, 0, 0, false, 4, [77]);
    const problems: string[] = [];
    const ctx: KindRuleContext = { table: t, report: (id, msg) => problems.push(`[${id}] ${msg}`) };
    for (let id = 1; id <= t.lastId; id++) kindDescriptor(t.kind(id))?.validate?.(ctx, id);
    expect(problems).toEqual(["[5] Invalid target"]);
  });

  test("without the registration the kind is unknown to the parser", () => {
    const bytes = writeBtf(build());
    unregisterKind(DEMO);
    try {
      expect(() => parseBtf(bytes)).toThrow(/type 3 at offset 0x34: unknown kind 25/);
    } finally {
      registerKind(demoKind);
    }
  });
});
