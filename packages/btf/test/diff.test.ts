// diffBtf on hand-made pairs: each kind of change built with the table API on an "old" and a "new"
// side, checked change by change (what, old and new values, CO-RE impact). The two sides give the
// same types different ids on purpose (B starts with filler types): matching is by name and place.

import { describe, expect, test } from "vitest";
import {
  BtfFuncLinkage,
  BtfIntEncoding,
  BtfStrings,
  BtfTable,
  BtfVarLinkage,
  type BtfDiff,
  type Change,
  type ChangedEntity,
  diffBtf,
  essentialName,
  fieldsCoreCompatible,
  hasDifferences,
  remapTypeRefs,
  TypeSpeller,
} from "@btforge/btf";
import { everyKindTable, splitTable } from "./fixtures.js";

/** Scalars every side starts with; B has filler types first so that no id agrees with A's. */
interface Base {
  t: BtfTable;
  int: number;
  uint: number;
  long: number;
  char: number;
  u8: number;
}

function side(filler: number): Base {
  const t = new BtfTable();
  for (let i = 0; i < filler; i++) t.addPtr(0);
  const int = t.addInt("int", 4, BtfIntEncoding.SIGNED, 0, 32);
  const uint = t.addInt("unsigned int", 4, 0, 0, 32);
  const long = t.addInt("long int", 8, BtfIntEncoding.SIGNED, 0, 64);
  const char = t.addInt("char", 1, BtfIntEncoding.SIGNED | BtfIntEncoding.CHAR, 0, 8);
  const u8 = t.addTypedef("u8", t.addInt("unsigned char", 1, 0, 0, 8));
  return { t, int, uint, long, char, u8 };
}

/** Build the old side with `build(base, "a")` and the new one with `build(base, "b")`, then compare. */
function diffOf(build: (b: Base, v: "a" | "b") => void): BtfDiff {
  const a = side(0);
  const b = side(3);
  build(a, "a");
  build(b, "b");
  return diffBtf(a.t, b.t);
}

function changedEntity(d: BtfDiff, label: string): ChangedEntity {
  const e = d.changed.find((c) => c.label === label);
  if (!e) throw new Error(`no changed ${label}; changed: ${d.changed.map((c) => c.label).join(", ")}`);
  return e;
}

function changesOf(d: BtfDiff, label: string): Change[] {
  return changedEntity(d, label).changes;
}

describe("no differences", () => {
  test("the same types under other ids compare equal", () => {
    const a = everyKindTable();
    // The same types again (same strings), after five fillers: every id is 5 higher.
    const again = everyKindTable();
    const b = new BtfTable({ strings: BtfStrings.fromBytes(again.strings.bytes()) });
    for (let i = 0; i < 5; i++) b.addPtr(0);
    for (let id = 1; id <= again.lastId; id++) {
      const copy = b.addRecord(again.info(id), again.nameOff(id), again.sizeOrType(id), again.words(id));
      remapTypeRefs(b, copy, (ref) => (ref === 0 ? 0 : ref + 5));
    }
    const d = diffBtf(a, b);
    expect(d.changed).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([]);
    expect(hasDifferences(d)).toBe(false);
    expect(d.summary).toMatchObject({ typesA: a.count, typesB: b.count, removed: 0, added: 0, changed: 0 });
  });
});

describe("structs and unions", () => {
  test("members added, removed, moved, resized and retyped, with their CO-RE impact", () => {
    const d = diffOf(({ t, int, uint, long, char }, v) => {
      const other = t.addStruct("other", 4, [{ name: "o", type: int, bitOffset: 0 }]);
      if (v === "a") {
        t.addStruct("s", 24, [
          { name: "gone", type: int, bitOffset: 0 },
          { name: "moves", type: int, bitOffset: 32 },
          { name: "widens", type: int, bitOffset: 64 },
          { name: "signless", type: int, bitOffset: 96 },
          { name: "becomes_struct", type: int, bitOffset: 128 },
          { name: "name", type: t.addArray(char, int, 8), bitOffset: 160 },
        ]);
      } else {
        t.addStruct("s", 32, [
          { name: "moves", type: int, bitOffset: 0 },
          { name: "fresh", type: int, bitOffset: 32 },
          { name: "widens", type: long, bitOffset: 64 },
          { name: "signless", type: uint, bitOffset: 128 },
          { name: "becomes_struct", type: other, bitOffset: 160 },
          { name: "name", type: t.addArray(char, int, 8), bitOffset: 192 },
        ]);
      }
    });
    const s = changedEntity(d, "struct s");
    expect(s.a.kind).toBe("struct");
    expect(s.impact).toBe("unrelocatable");
    const byMember = new Map(s.changes.flatMap((c) => ("member" in c ? [[c.member, c] as const] : [])));
    expect(s.changes[0]).toEqual({ change: "size", old: 24, new: 32, impact: "relocatable" });
    expect(byMember.get("gone")).toMatchObject({ change: "member-removed", old: { type: "int", bitOffset: 0, bits: 32 }, impact: "unrelocatable" });
    expect(byMember.get("fresh")).toMatchObject({ change: "member-added", new: { type: "int", bitOffset: 32 }, impact: "compatible" });
    expect(byMember.get("moves")).toMatchObject({ change: "member-changed", moved: true, retyped: false, resized: false, old: { bitOffset: 32 }, new: { bitOffset: 0 }, impact: "relocatable" });
    // int -> long: CO-RE-compatible integers of another size: relocated (the load size is patched).
    expect(byMember.get("widens")).toMatchObject({ change: "member-changed", moved: false, retyped: true, resized: true, old: { type: "int", bits: 32 }, new: { type: "long int", bits: 64 }, impact: "relocatable" });
    // int -> unsigned int, moved: the move is relocated, the retype is compatible.
    expect(byMember.get("signless")).toMatchObject({ retyped: true, resized: false, moved: true, new: { type: "unsigned int" }, impact: "relocatable" });
    // int -> struct: CO-RE's field check refuses it.
    expect(byMember.get("becomes_struct")).toMatchObject({ retyped: true, new: { type: "struct other" }, impact: "unrelocatable" });
    expect(byMember.get("name")).toMatchObject({ moved: true, retyped: false, old: { type: "char [8]", bits: 64 } });
    // Changes come in member order (new offsets, removed ones at their old place).
    expect(s.changes.map((c) => ("member" in c ? c.member : c.change))).toEqual(["size", "gone", "moves", "fresh", "widens", "signless", "becomes_struct", "name"]);
  });

  test("a pointer to another named struct cannot be made right; const, void and flavors can", () => {
    const d = diffOf(({ t, int }, v) => {
      const btf = t.addStruct("btf", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      const reg = t.addStruct("bpf_reg_state", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      const flavor = t.addStruct("btf___v2", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      t.addStruct("holder", 32, [
        { name: "other", type: t.addPtr(v === "a" ? btf : reg), bitOffset: 0 },
        { name: "constant", type: t.addPtr(v === "a" ? btf : t.addConst(btf)), bitOffset: 64 },
        { name: "untyped", type: t.addPtr(v === "a" ? 0 : btf), bitOffset: 128 },
        { name: "flavored", type: t.addPtr(v === "a" ? btf : flavor), bitOffset: 192 },
      ]);
      t.addFunc("check", t.addFuncProto(int, [{ name: "p", type: t.addPtr(v === "a" ? btf : reg) }]), BtfFuncLinkage.GLOBAL);
    });
    const impacts = Object.fromEntries(changesOf(d, "struct holder").map((c) => ["member" in c ? c.member : c.change, c.impact]));
    expect(impacts).toEqual({ other: "unrelocatable", constant: "compatible", untyped: "compatible", flavored: "compatible" });
    expect(changesOf(d, "func check")).toEqual([
      { change: "param-changed", index: 0, old: { name: "p", type: "struct btf *" }, new: { name: "p", type: "struct bpf_reg_state *" }, impact: "unrelocatable" },
    ]);
  });

  test("a renamed member (same place and type) is one change CO-RE cannot relocate", () => {
    const d = diffOf(({ t, int }, v) => {
      t.addStruct("r", 8, [
        { name: "keep", type: int, bitOffset: 0 },
        { name: v === "a" ? "old_name" : "new_name", type: int, bitOffset: 32 },
      ]);
    });
    expect(changesOf(d, "struct r")).toEqual([
      {
        change: "member-renamed",
        member: "old_name",
        newName: "new_name",
        old: { type: "int", bitOffset: 32, bitfieldSize: 0, bits: 32, via: "" },
        new: { type: "int", bitOffset: 32, bitfieldSize: 0, bits: 32, via: "" },
        impact: "unrelocatable",
      },
    ]);
  });

  test("bitfields: a wider field and the ones it pushes along", () => {
    const d = diffOf(({ t, uint }, v) => {
      t.addStruct("flags", 4, [
        { name: "a", type: uint, bitOffset: 0, bitfieldSize: v === "a" ? 1 : 2 },
        { name: "b", type: uint, bitOffset: v === "a" ? 1 : 2, bitfieldSize: 3 },
        { name: "c", type: uint, bitOffset: 8, bitfieldSize: 4 },
      ]);
    });
    const changes = changesOf(d, "struct flags");
    expect(changes).toEqual([
      expect.objectContaining({ change: "member-changed", member: "a", moved: false, resized: true, old: expect.objectContaining({ bitfieldSize: 1, bits: 1 }), new: expect.objectContaining({ bitfieldSize: 2, bits: 2 }), impact: "relocatable" }),
      expect.objectContaining({ change: "member-changed", member: "b", moved: true, resized: false, old: expect.objectContaining({ bitOffset: 1 }), new: expect.objectContaining({ bitOffset: 2 }), impact: "relocatable" }),
    ]);
  });

  test("a struct that became a union is changed, not removed and added; CO-RE finds no candidate", () => {
    const d = diffOf(({ t, int }, v) => {
      const members = [
        { name: "i", type: int, bitOffset: 0 },
        { name: "j", type: int, bitOffset: v === "a" ? 32 : 0 },
      ];
      if (v === "a") t.addStruct("su", 8, members);
      else t.addUnion("su", 4, members);
    });
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([]);
    const e = changedEntity(d, "struct su");
    expect(e.a.kind).toBe("struct");
    expect(e.b.kind).toBe("union");
    expect(e.changes[0]).toEqual({ change: "kind", old: "struct", new: "union", impact: "unrelocatable" });
    expect(e.changes).toContainEqual({ change: "size", old: 8, new: 4, impact: "relocatable" });
    expect(e.changes).toContainEqual(expect.objectContaining({ change: "member-changed", member: "j", moved: true }));
  });

  test("a definition that became a declaration, and a declaration that became a definition", () => {
    const d = diffOf(({ t, int }, v) => {
      const def = (name: string) => t.addStruct(name, 4, [{ name: "x", type: int, bitOffset: 0 }]);
      if (v === "a") {
        def("lost");
        t.addFwd("found", false);
      } else {
        t.addFwd("lost", false);
        def("found");
      }
    });
    expect(changesOf(d, "struct lost")).toEqual([{ change: "kind", old: "struct", new: "fwd", impact: "unrelocatable" }]);
    expect(changesOf(d, "struct found")).toEqual([{ change: "kind", old: "fwd", new: "struct", impact: "compatible" }]);
  });

  test("removed and added types, grouped and counted by kind", () => {
    const d = diffOf(({ t, int }, v) => {
      t.addStruct(v === "a" ? "old_only" : "new_only", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      if (v === "b") t.addUnion("new_union", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      if (v === "a") t.addFwd("old_decl", true);
    });
    expect(d.removed).toEqual([
      { label: "struct old_only", name: "old_only", kind: "struct", id: expect.any(Number) },
      { label: "union old_decl", name: "old_decl", kind: "fwd", id: expect.any(Number) },
    ]);
    expect(d.added.map((e) => e.label)).toEqual(["struct new_only", "union new_union"]);
    expect(d.summary.byKind).toEqual({
      struct: { removed: 1, added: 1, changed: 0 },
      union: { removed: 0, added: 1, changed: 0 },
      fwd: { removed: 1, added: 0, changed: 0 },
    });
  });
});

describe("anonymous types", () => {
  test("members are named through anonymous members: moving into an anonymous union changes nothing a program sees", () => {
    const d = diffOf(({ t, int, long }, v) => {
      if (v === "a") {
        t.addStruct("h", 16, [
          { name: "first", type: int, bitOffset: 0 },
          { name: "second", type: long, bitOffset: 64 },
        ]);
      } else {
        const u = t.addUnion("", 8, [
          { name: "second", type: long, bitOffset: 0 },
          { name: "alias", type: long, bitOffset: 0 },
        ]);
        t.addStruct("h", 16, [
          { name: "first", type: int, bitOffset: 0 },
          { name: "", type: u, bitOffset: 64 },
        ]);
      }
    });
    const changes = changesOf(d, "struct h");
    expect(changes).toEqual([
      expect.objectContaining({ change: "member-changed", member: "second", moved: false, retyped: false, old: expect.objectContaining({ via: "" }), new: expect.objectContaining({ via: "(anon union)", bitOffset: 64 }), impact: "compatible" }),
      expect.objectContaining({ change: "member-added", member: "alias", new: expect.objectContaining({ bitOffset: 64, via: "(anon union)" }) }),
    ]);
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([]);
  });

  test("an anonymous struct held by a named member is compared at its place, under the matched holder", () => {
    const d = diffOf(({ t, int, uint }, v) => {
      // B's anonymous struct comes first in id order and has another size: only its place pairs it.
      const inner = t.addStruct("", v === "a" ? 8 : 12, [
        { name: "lo", type: int, bitOffset: 0 },
        { name: "hi", type: v === "a" ? int : uint, bitOffset: v === "a" ? 32 : 64 },
      ]);
      const nested = t.addUnion("", 4, [{ name: "raw", type: int, bitOffset: 0 }]);
      t.addStruct("outer", v === "a" ? 16 : 20, [
        { name: "pair", type: t.addPtr(inner), bitOffset: 0 },
        { name: "u", type: nested, bitOffset: 64 },
      ]);
      t.addTypedef("wrap_t", t.addStruct("", 4, [{ name: v === "a" ? "w" : "w2", type: int, bitOffset: 0 }]));
    });
    expect(changesOf(d, "struct outer.pair (anon struct)")).toEqual([
      { change: "size", old: 8, new: 12, impact: "relocatable" },
      expect.objectContaining({ change: "member-changed", member: "hi", moved: true, retyped: true, impact: "relocatable" }),
    ]);
    expect(changesOf(d, "typedef wrap_t (anon struct)")).toEqual([expect.objectContaining({ change: "member-renamed", member: "w", newName: "w2" })]);
    // The holder itself: its size; its member `pair` is still `struct {…} *`.
    expect(changesOf(d, "struct outer")).toEqual([{ change: "size", old: 16, new: 20, impact: "relocatable" }]);
    expect(d.changed.map((c) => c.label).sort()).toEqual(["struct outer", "struct outer.pair (anon struct)", "typedef wrap_t (anon struct)"]);
    expect(changedEntity(d, "struct outer.pair (anon struct)").name).toBeNull();
  });

  test("anonymous enums nothing holds pair by their first enumerator, or by the names they share", () => {
    const d = diffOf(({ t }, v) => {
      t.addEnum("", 4, false, [
        { name: "FIRST_A", value: 0 },
        { name: "SECOND_A", value: v === "a" ? 1 : 2 },
      ]);
      // A new first enumerator: matched by the three names kept.
      t.addEnum("", 4, false, [
        ...(v === "b" ? [{ name: "NEW_FIRST", value: 0 }] : []),
        { name: "K1", value: 1 },
        { name: "K2", value: 2 },
        { name: "K3", value: 3 },
      ]);
      t.addEnum("", 4, false, [{ name: v === "a" ? "GONE_X" : "NEW_Y", value: 9 }]);
    });
    expect(changesOf(d, "(anon enum: FIRST_A)")).toEqual([{ change: "enumerator-changed", name: "SECOND_A", old: 1, new: 2, impact: "relocatable" }]);
    expect(changesOf(d, "(anon enum: K1)")).toEqual([{ change: "enumerator-added", name: "NEW_FIRST", new: 0, impact: "compatible" }]);
    expect(d.removed.map((e) => e.label)).toEqual(["(anon enum: GONE_X)"]);
    expect(d.added.map((e) => e.label)).toEqual(["(anon enum: NEW_Y)"]);
    expect(d.removed[0]!.name).toBeNull();
  });

  test("the anonymous types of a removed holder are not listed on their own", () => {
    const d = diffOf(({ t, int }, v) => {
      if (v === "a") t.addStruct("gone", 8, [{ name: "in", type: t.addStruct("", 4, [{ name: "x", type: int, bitOffset: 0 }]), bitOffset: 0 }]);
    });
    expect(d.removed.map((e) => e.label)).toEqual(["struct gone"]);
    expect(d.changed).toEqual([]);
  });
});

describe("enums", () => {
  test("enumerators removed, added and revalued; signedness; ENUM64 values beyond a double as strings", () => {
    const d = diffOf(({ t }, v) => {
      t.addEnum("e", 4, v === "b", [
        { name: "KEEP", value: 0 },
        ...(v === "a" ? [{ name: "DROP", value: 1 }] : [{ name: "ADD", value: 7 }]),
        { name: "MOVE", value: v === "a" ? 2 : 3 },
      ]);
      if (v === "a") t.addEnum("widened", 4, false, [{ name: "W", value: 1 }]);
      else t.addEnum64("widened", 8, false, [{ name: "W", value: 1n }, { name: "HUGE", value: 0xffffffffffffffffn }]);
    });
    expect(changesOf(d, "enum e")).toEqual([
      { change: "signedness", old: false, new: true, impact: "compatible" },
      { change: "enumerator-removed", name: "DROP", old: 1, impact: "unrelocatable" },
      { change: "enumerator-changed", name: "MOVE", old: 2, new: 3, impact: "relocatable" },
      { change: "enumerator-added", name: "ADD", new: 7, impact: "compatible" },
    ]);
    const w = changedEntity(d, "enum widened");
    expect(w.a.kind).toBe("enum");
    expect(w.b.kind).toBe("enum64");
    expect(w.changes).toEqual([
      { change: "kind", old: "enum", new: "enum64", impact: "relocatable" },
      { change: "size", old: 4, new: 8, impact: "relocatable" },
      { change: "enumerator-added", name: "HUGE", new: "18446744073709551615", impact: "compatible" },
    ]);
  });
});

describe("typedefs, scalars, variables, sections", () => {
  test("a typedef's target: compatible, resized or incompatible", () => {
    const d = diffOf(({ t, int, uint, long }, v) => {
      const s = t.addStruct("box", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      t.addTypedef("same_size", v === "a" ? int : uint);
      t.addTypedef("wider", v === "a" ? int : long);
      t.addTypedef("to_struct", v === "a" ? int : s);
      t.addTypedef("to_const_ptr", v === "a" ? t.addPtr(s) : t.addPtr(t.addConst(s)));
    });
    expect(changesOf(d, "typedef same_size")).toEqual([{ change: "type", old: "int", new: "unsigned int", impact: "compatible" }]);
    expect(changesOf(d, "typedef wider")).toEqual([{ change: "type", old: "int", new: "long int", impact: "relocatable" }]);
    expect(changesOf(d, "typedef to_struct")).toEqual([{ change: "type", old: "int", new: "struct box", impact: "unrelocatable" }]);
    expect(changesOf(d, "typedef to_const_ptr")).toEqual([{ change: "type", old: "struct box *", new: "const struct box *", impact: "compatible" }]);
  });

  test("a typedef spelled alike whose target's size changed", () => {
    const d = diffOf(({ t, int }, v) => {
      const s = t.addStruct("grows", v === "a" ? 4 : 8, [{ name: "x", type: int, bitOffset: 0 }]);
      t.addTypedef("grows_t", s);
    });
    expect(changesOf(d, "typedef grows_t")).toEqual([{ change: "size", old: 4, new: 8, impact: "relocatable" }]);
    expect(changesOf(d, "struct grows")).toEqual([{ change: "size", old: 4, new: 8, impact: "relocatable" }]);
  });

  test("INT size and encoding, INT that became FLOAT", () => {
    const d = diffOf(({ t }, v) => {
      t.addInt("my_int", v === "a" ? 4 : 8, BtfIntEncoding.SIGNED, 0, v === "a" ? 32 : 64);
      t.addInt("flag", 1, v === "a" ? 0 : BtfIntEncoding.BOOL, 0, 8);
      if (v === "a") t.addInt("real", 8, 0, 0, 64);
      else t.addFloat("real", 8);
    });
    expect(changesOf(d, "my_int")).toEqual([
      { change: "size", old: 4, new: 8, impact: "relocatable" },
      { change: "encoding", old: "signed 32 bits", new: "signed 64 bits", impact: "relocatable" },
    ]);
    expect(changesOf(d, "flag")).toEqual([{ change: "encoding", old: "unsigned 8 bits", new: "unsigned bool 8 bits", impact: "compatible" }]);
    expect(changesOf(d, "real")).toEqual([{ change: "kind", old: "int", new: "float", impact: "unrelocatable" }]);
  });

  test("variables (type, linkage) and a DATASEC's entries by variable name", () => {
    const d = diffOf(({ t, int, long }, v) => {
      const kept = t.addVar("kept", int, BtfVarLinkage.GLOBAL_ALLOCATED);
      const retyped = t.addVar("retyped", v === "a" ? int : long, v === "a" ? BtfVarLinkage.STATIC : BtfVarLinkage.GLOBAL_ALLOCATED);
      const only = t.addVar(v === "a" ? "only_a" : "only_b", int, BtfVarLinkage.GLOBAL_ALLOCATED);
      t.addDatasec(".data..percpu", 24, [
        { type: kept, offset: v === "a" ? 0 : 8, size: 4 },
        { type: retyped, offset: 16, size: v === "a" ? 4 : 8 },
        { type: only, offset: v === "a" ? 8 : 0, size: 4 },
      ]);
    });
    expect(changesOf(d, "var retyped")).toEqual([
      { change: "type", old: "int", new: "long int", impact: "relocatable" },
      { change: "linkage", old: "static", new: "global", impact: "compatible" },
    ]);
    expect(changesOf(d, "datasec .data..percpu")).toEqual([
      { change: "section-var-moved", var: "kept", old: { offset: 0, size: 4 }, new: { offset: 8, size: 4 }, impact: "compatible" },
      { change: "section-var-moved", var: "retyped", old: { offset: 16, size: 4 }, new: { offset: 16, size: 8 }, impact: "compatible" },
      { change: "section-var-removed", var: "only_a", old: { offset: 8, size: 4 }, impact: "compatible" },
      { change: "section-var-added", var: "only_b", new: { offset: 0, size: 4 }, impact: "compatible" },
    ]);
    expect(d.removed.map((e) => e.label)).toEqual(["var only_a"]);
    expect(d.added.map((e) => e.label)).toEqual(["var only_b"]);
  });
});

describe("functions", () => {
  test("prototypes: return type, parameters by position, names, varargs, linkage", () => {
    const d = diffOf(({ t, int, uint, long, char }, v) => {
      const s = t.addStruct("sock", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      const ps = t.addPtr(s);
      const pc = t.addPtr(t.addConst(char));
      const proto = (ret: number, params: { name: string; type: number }[]) => t.addFuncProto(ret, params);
      if (v === "a") {
        t.addFunc("f_ret", proto(int, []), BtfFuncLinkage.GLOBAL);
        t.addFunc("f_params", proto(int, [{ name: "sk", type: ps }, { name: "len", type: int }, { name: "flags", type: int }]), BtfFuncLinkage.GLOBAL);
        t.addFunc("f_names", proto(int, [{ name: "old", type: int }]), BtfFuncLinkage.STATIC);
        t.addFunc("f_varargs", proto(int, [{ name: "fmt", type: pc }]), BtfFuncLinkage.GLOBAL);
      } else {
        t.addFunc("f_ret", proto(long, []), BtfFuncLinkage.GLOBAL);
        t.addFunc("f_params", proto(int, [{ name: "sk", type: ps }, { name: "len", type: uint }]), BtfFuncLinkage.GLOBAL);
        t.addFunc("f_names", proto(int, [{ name: "renamed", type: int }]), BtfFuncLinkage.GLOBAL);
        t.addFunc("f_varargs", t.addFuncProto(int, [{ name: "fmt", type: pc }, { name: 0, type: 0 }]), BtfFuncLinkage.GLOBAL);
      }
    });
    expect(changesOf(d, "func f_ret")).toEqual([{ change: "return", old: "int", new: "long int", impact: "unrelocatable" }]);
    expect(changesOf(d, "func f_params")).toEqual([
      { change: "param-changed", index: 1, old: { name: "len", type: "int" }, new: { name: "len", type: "unsigned int" }, impact: "compatible" },
      { change: "param-removed", index: 2, old: { name: "flags", type: "int" }, impact: "unrelocatable" },
    ]);
    expect(changesOf(d, "func f_names")).toEqual([
      { change: "linkage", old: "static", new: "global", impact: "compatible" },
      { change: "param-changed", index: 0, old: { name: "old", type: "int" }, new: { name: "renamed", type: "int" }, impact: "compatible" },
    ]);
    expect(changesOf(d, "func f_varargs")).toEqual([{ change: "varargs", old: false, new: true, impact: "unrelocatable" }]);
  });

  test("DECL_TAGs: a function that lost bpf_kfunc, a member that gained a tag", () => {
    const d = diffOf(({ t, int }, v) => {
      const f = t.addFunc("kf", t.addFuncProto(int, [{ name: "arg", type: int }]), BtfFuncLinkage.GLOBAL);
      const s = t.addStruct("tagged", 4, [{ name: "m", type: int, bitOffset: 0 }]);
      if (v === "a") t.addDeclTag("bpf_kfunc", f, -1);
      else t.addDeclTag("user", s, 0);
      t.addDeclTag("arg_tag", f, 0);
    });
    expect(changesOf(d, "func kf")).toEqual([{ change: "tag-removed", tag: "bpf_kfunc", impact: "unrelocatable" }]);
    expect(changesOf(d, "struct tagged")).toEqual([{ change: "tag-added", tag: "user@m", impact: "compatible" }]);
  });
});

describe("same names, split BTF", () => {
  test("same-named types: identical copies count once; a lone changed one pairs and carries (k of n)", () => {
    const d = diffOf(({ t, int, long }, v) => {
      // Two identical copies in A, one in B: no difference.
      const twin = () => t.addStruct("twin", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      twin();
      if (v === "a") twin();
      // Two different `struct dup` on each side; the second changed.
      t.addStruct("dup", 4, [{ name: "x", type: int, bitOffset: 0 }]);
      t.addStruct("dup", 8, [{ name: "y", type: v === "a" ? long : int, bitOffset: 0 }]);
    });
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([]);
    expect(d.changed.map((c) => c.label)).toEqual(["struct dup (2 of 2)"]);
  });

  test("anonymous look-alikes (the kernel's trace-event unions) pair only when one pairing stands out", () => {
    const d = diffOf(({ t, int }, v) => {
      const event = t.addStruct("raw_event", 8, [{ name: "x", type: int, bitOffset: 0 }]);
      const union = (handler: string) =>
        t.addUnion("", 8, [
          { name: "event", type: event, bitOffset: 0 },
          { name: "handler", type: t.addTypedef(handler, int), bitOffset: 0 },
        ]);
      union("trace_kept");
      for (const name of v === "a" ? ["trace_gone1", "trace_gone2"] : ["trace_new1", "trace_new2", "trace_new3"]) union(name);
    });
    expect(d.changed).toEqual([]);
    expect(d.removed.map((e) => e.label)).toEqual([
      "(anon union: struct raw_event event; trace_gone1 handler) (2 of 3)",
      "(anon union: struct raw_event event; trace_gone2 handler) (3 of 3)",
      "typedef trace_gone1",
      "typedef trace_gone2",
    ]);
    expect(d.added.filter((e) => e.name === null)).toHaveLength(3);
  });

  test("split BTF: only the split parts are compared; base types are spelled by name", () => {
    const baseA = everyKindTable();
    const baseB = new BtfTable();
    baseB.addPtr(0); // the new base has one more type: every base id moves
    const again = everyKindTable();
    const int = baseB.addInt("int", 4, BtfIntEncoding.SIGNED, 0, 32);
    for (let id = 2; id <= again.lastId; id++) baseB.addInt(`filler_${id}`, 4, 0, 0, 32);
    const a = splitTable(baseA);
    const b = new BtfTable({ base: baseB });
    const own = b.addStruct("module_state", 16, [
      { name: "x", type: int, bitOffset: 0 },
      { name: "refcount", type: int, bitOffset: 64 },
    ]);
    const p = b.addPtr(own);
    const v = b.addVar("mod_var", p, BtfVarLinkage.GLOBAL_ALLOCATED);
    b.addDatasec(".data", 8, [{ type: v, offset: 0, size: 8 }]);
    b.addEnum64("mod_wide", 8, true, [{ name: "M", value: -2n }]);
    const d = diffBtf(a, b);
    expect(d.summary.typesA).toBe(a.count);
    expect(d.summary.typesB).toBe(b.count);
    expect(d.removed).toEqual([]);
    expect(d.added).toEqual([]);
    expect(d.changed.map((c) => c.label)).toEqual(["struct module_state"]);
    expect(changesOf(d, "struct module_state")).toEqual([
      { change: "size", old: 8, new: 16, impact: "relocatable" },
      expect.objectContaining({ change: "member-changed", member: "refcount", moved: true, old: expect.objectContaining({ type: "int", bitOffset: 32 }), new: expect.objectContaining({ type: "int", bitOffset: 64 }) }),
    ]);
    expect(changedEntity(d, "struct module_state").a.id).toBeGreaterThan(baseA.lastId);
  });
});

describe("ordering and the report model", () => {
  test("most severe first, then kind, then label; the report is plain JSON", () => {
    const d = diffOf(({ t, int, long }, v) => {
      t.addStruct("z_breaks", 4, [{ name: v === "a" ? "x" : "y", type: v === "a" ? int : long, bitOffset: 0 }]);
      t.addStruct("a_moves", 8, [{ name: "x", type: int, bitOffset: v === "a" ? 0 : 32 }]);
      t.addTypedef("t_compatible", v === "a" ? int : t.addConst(int));
      t.addEnum("m_moves", 4, false, [{ name: "V", value: v === "a" ? 1 : 2 }]);
    });
    expect(d.changed.map((c) => [c.impact, c.label])).toEqual([
      ["unrelocatable", "struct z_breaks"],
      ["relocatable", "struct a_moves"],
      ["relocatable", "enum m_moves"],
      ["compatible", "typedef t_compatible"],
    ]);
    expect(d.summary).toMatchObject({ changed: 4, unrelocatable: 1, relocatable: 2, compatible: 1 });
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});

describe("spelling and CO-RE rules", () => {
  test("types spelled in C by names", () => {
    const { t, int, char } = side(0);
    const s = t.addStruct("foo", 4, [{ name: "x", type: int, bitOffset: 0 }]);
    const speller = new TypeSpeller(t);
    const ptr = t.addPtr(s);
    expect(speller.spell(t.addPtr(t.addConst(s)))).toBe("const struct foo *");
    expect(speller.spell(t.addConst(ptr))).toBe("struct foo *const");
    expect(speller.spell(t.addArray(char, int, 16))).toBe("char [16]");
    const arrOfPtr = t.addArray(t.addPtr(int), int, 4);
    expect(speller.spell(arrOfPtr)).toBe("int *[4]");
    expect(speller.spell(t.addPtr(t.addArray(int, int, 4)))).toBe("int (*)[4]");
    const fn = t.addFuncProto(0, [{ name: "a", type: int }, { name: "", type: ptr }]);
    expect(speller.spell(t.addPtr(fn))).toBe("void (*)(int, struct foo *)");
    expect(speller.declare(t.addPtr(fn), "cb")).toBe("void (*cb)(int, struct foo *)");
    expect(speller.spell(t.addFuncProto(int, []))).toBe("int (void)");
    expect(speller.spell(t.addFuncProto(int, [{ name: "f", type: ptr }, { name: 0, type: 0 }]))).toBe("int (struct foo *, ...)");
    expect(speller.spell(t.addPtr(t.addStruct("", 4, [])))).toBe("struct {…} *");
    expect(speller.spell(t.addPtr(t.addFwd("later", true)))).toBe("union later *");
    expect(speller.spell(t.addPtr(t.addTypeTag("rcu", s)))).toBe('__attribute__((btf_type_tag("rcu"))) struct foo *');
    expect(speller.spell(t.addVolatile(t.addTypedef("u32", int)))).toBe("volatile u32");
  });

  test("libbpf's essential names and field compatibility", () => {
    expect(essentialName("task_struct___old")).toBe("task_struct");
    expect(essentialName("a___b___c")).toBe("a___b");
    expect(essentialName("__x____y")).toBe("__x____y");
    expect(essentialName("plain")).toBe("plain");
    const { t, int, uint, long } = side(0);
    const s = t.addStruct("s", 4, []);
    const u = t.addUnion("u", 4, []);
    const e1 = t.addEnum("e", 4, false, []);
    const e2 = t.addEnum64("e___v2", 8, false, []);
    const e3 = t.addEnum("other", 4, false, []);
    const p1 = t.addPtr(int);
    const p2 = t.addPtr(s);
    expect(fieldsCoreCompatible(t, int, t, long)).toBe(true);
    expect(fieldsCoreCompatible(t, t.addTypedef("u32", uint), t, int)).toBe(true);
    expect(fieldsCoreCompatible(t, s, t, u)).toBe(true); // any composite field matches any composite
    expect(fieldsCoreCompatible(t, p1, t, p2)).toBe(true);
    expect(fieldsCoreCompatible(t, e1, t, e2)).toBe(true);
    expect(fieldsCoreCompatible(t, e1, t, e3)).toBe(false);
    expect(fieldsCoreCompatible(t, int, t, p1)).toBe(false);
    expect(fieldsCoreCompatible(t, int, t, e1)).toBe(false);
    expect(fieldsCoreCompatible(t, t.addArray(int, int, 2), t, t.addArray(long, int, 9))).toBe(true);
    expect(fieldsCoreCompatible(t, t.addArray(int, int, 2), t, t.addArray(p1, int, 2))).toBe(false);
    expect(fieldsCoreCompatible(t, t.addInt("bits", 4, 0, 3, 5), t, int)).toBe(false);
  });
});
