// A kind a plugin registers is validated by the plugin's own rule; a kind nobody registered is
// rejected as the kernel rejects it.

import { afterEach, expect, test } from "vitest";
import type { KindDescriptor } from "../src/kinds/descriptor.js";
import { registerKind, unregisterKind } from "../src/kinds/registry.js";
import { validateBtf } from "../src/validate/index.js";
import { BlobBuilder } from "./validate-blobs.js";

const NOTE = 27;

/** A made-up kind: one trailing word, a "weight" that must not be zero. */
const note: KindDescriptor = {
  kind: NOTE,
  name: "NOTE",
  since: "plugin",
  trailingWords: () => 1,
  sizeIsType: true,
  dumpRaw: (table, id) => `type_id=${table.sizeOrType(id)} weight=${table.words(id)[0]}`,
  toView: (table, id) => ({ type: table.sizeOrType(id), weight: table.words(id)[0] }),
  validate: (ctx, id) => {
    if (ctx.table.words(id)[0] === 0) ctx.report(id, "weight must not be 0");
    if (!ctx.table.has(ctx.table.sizeOrType(id))) ctx.report(id, "Invalid type_id");
  },
};

function blobWithNote(weight: number, target: number): Uint8Array {
  const b = new BlobBuilder();
  b.int("int");
  const n = b.type(NOTE, "", 0, false, target, [weight]);
  // Pointers may lead to a plugin kind, as to a forward declaration.
  b.ptr(n);
  return b.bytes();
}

afterEach(() => unregisterKind(NOTE));

test("an unregistered kind is rejected like the kernel does", () => {
  expect(validateBtf(blobWithNote(1, 1)).problems[0]).toMatchObject({ typeId: 2, reason: "Invalid kind:27" });
});

test("a registered kind runs its rule", () => {
  registerKind(note);
  expect(validateBtf(blobWithNote(1, 1))).toEqual({ ok: true, problems: [] });
  const bad = validateBtf(blobWithNote(0, 9));
  expect(bad.problems.map((p) => [p.typeId, p.reason])).toEqual([
    [2, "weight must not be 0"],
    [2, "Invalid type_id"],
  ]);
  expect(bad.problems[0]!.message).toBe("NOTE (anon) weight must not be 0");
});
