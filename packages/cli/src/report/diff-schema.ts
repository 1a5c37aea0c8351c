// The published JSON Schema (draft-07) of `btforge diff --json`; `btforge diff --json-schema` prints
// it. It mirrors BtfDiff in @btforge/btf (packages/btf/src/diff/model.ts) and DiffDocument in
// ../commands/diff.ts: change them together (a test validates real output against it).

const count = { type: "integer", minimum: 0 } as const;
const id = { type: "integer", minimum: 1 } as const;
const impact = {
  enum: ["unrelocatable", "relocatable", "compatible"],
  description:
    "unrelocatable: CO-RE cannot relocate it (the program fails to load unless it tests for existence); relocatable: the layout moved (breaks programs built without CO-RE, CO-RE relocates it); compatible: the old layout still reads right",
} as const;
const entityKind = { enum: ["struct", "union", "fwd", "enum", "enum64", "typedef", "int", "float", "func", "var", "datasec"] } as const;
const label = { type: "string", description: "the type as people read it and as it is matched across builds: `struct sk_buff`, `struct sock.sk_backlog (anon struct)`" } as const;
const name = { type: ["string", "null"], description: "the C name; null for an anonymous type" } as const;
const enumValue = { type: ["integer", "string"], description: "a number, or a decimal string when a double cannot hold it exactly (ENUM64)" } as const;
const typeText = { type: "string", description: "a type spelled in C, by names (`const struct sock *`, `char [16]`)" } as const;

const member = {
  type: "object",
  additionalProperties: false,
  required: ["type", "bitOffset", "bitfieldSize", "bits", "via"],
  properties: {
    type: typeText,
    bitOffset: { ...count, description: "from the start of the type that names the member, through anonymous members" },
    bitfieldSize: { ...count, description: "0 for an ordinary member" },
    bits: { type: "integer", minimum: -1, description: "the member's size in bits; -1 when its type has none" },
    via: { type: "string", description: "the anonymous members it sits in, outermost first; empty when direct" },
  },
} as const;
const param = {
  type: "object",
  additionalProperties: false,
  required: ["name", "type"],
  properties: { name: { type: "string" }, type: typeText },
} as const;
const placement = {
  type: "object",
  additionalProperties: false,
  required: ["offset", "size"],
  properties: { offset: count, size: count },
} as const;

/** One change: `change` names it, the other fields are that change's. */
function change(kind: string, fields: Record<string, unknown>) {
  return {
    type: "object",
    additionalProperties: false,
    required: ["change", "impact", ...Object.keys(fields)],
    properties: { change: { const: kind }, impact, ...fields },
  };
}

const changeSchema = {
  oneOf: [
    change("kind", { old: entityKind, new: entityKind }),
    change("size", { old: { type: "integer", minimum: -1 }, new: { type: "integer", minimum: -1 } }),
    change("member-removed", { member: { type: "string" }, old: member }),
    change("member-added", { member: { type: "string" }, new: member }),
    change("member-renamed", { member: { type: "string" }, newName: { type: "string" }, old: member, new: member }),
    change("member-changed", { member: { type: "string" }, old: member, new: member, moved: { type: "boolean" }, retyped: { type: "boolean" }, resized: { type: "boolean" } }),
    change("enumerator-removed", { name: { type: "string" }, old: enumValue }),
    change("enumerator-added", { name: { type: "string" }, new: enumValue }),
    change("enumerator-changed", { name: { type: "string" }, old: enumValue, new: enumValue }),
    change("signedness", { old: { type: "boolean" }, new: { type: "boolean" } }),
    change("type", { old: typeText, new: typeText }),
    change("encoding", { old: { type: "string" }, new: { type: "string" } }),
    change("linkage", { old: { type: "string" }, new: { type: "string" } }),
    change("return", { old: typeText, new: typeText }),
    change("param-removed", { index: count, old: param }),
    change("param-added", { index: count, new: param }),
    change("param-changed", { index: count, old: param, new: param }),
    change("varargs", { old: { type: "boolean" }, new: { type: "boolean" } }),
    change("section-var-removed", { var: { type: "string" }, old: placement }),
    change("section-var-added", { var: { type: "string" }, new: placement }),
    change("section-var-moved", { var: { type: "string" }, old: placement, new: placement }),
    change("tag-removed", { tag: { type: "string" } }),
    change("tag-added", { tag: { type: "string" } }),
  ],
} as const;

const listed = {
  type: "object",
  additionalProperties: false,
  required: ["label", "name", "kind", "id"],
  properties: { label, name, kind: entityKind, id },
} as const;
const side = {
  type: "object",
  additionalProperties: false,
  required: ["id", "kind"],
  properties: { id, kind: entityKind },
} as const;
const changed = {
  type: "object",
  additionalProperties: false,
  required: ["label", "name", "a", "b", "impact", "changes"],
  properties: { label, name, a: side, b: side, impact: { ...impact, description: "the most severe of its changes" }, changes: { type: "array", minItems: 1, items: changeSchema } },
} as const;
const kindCounts = {
  type: "object",
  additionalProperties: false,
  required: ["removed", "added", "changed"],
  properties: { removed: count, added: count, changed: count },
} as const;
const input = {
  type: "object",
  additionalProperties: false,
  required: ["file", "base"],
  properties: { file: { type: "string" }, base: { type: ["string", "null"], description: "the base BTF of a split BTF, else null" } },
} as const;

export const DIFF_JSON_SCHEMA = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://btforge.dev/schema/diff.json",
  title: "btforge diff report",
  type: "object",
  additionalProperties: false,
  required: ["a", "b", "different", "summary", "removed", "changed", "added"],
  properties: {
    a: input,
    b: input,
    different: { type: "boolean", description: "whether anything was removed, changed or added (--exit-code exits 1 then)" },
    summary: {
      type: "object",
      additionalProperties: false,
      required: ["typesA", "typesB", "removed", "added", "changed", "unrelocatable", "relocatable", "compatible", "byKind"],
      properties: {
        typesA: { ...count, description: "types of A's own part (a split BTF's, without its base)" },
        typesB: count,
        removed: count,
        added: count,
        changed: count,
        unrelocatable: { ...count, description: "changed types whose most severe change CO-RE cannot relocate" },
        relocatable: count,
        compatible: count,
        byKind: { type: "object", propertyNames: entityKind, additionalProperties: kindCounts },
      },
    },
    removed: { type: "array", items: listed, description: "in kind order, then by label" },
    changed: { type: "array", items: changed, description: "most severe first, then in kind order, then by label" },
    added: { type: "array", items: listed },
  },
} as const;
