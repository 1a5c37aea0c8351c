// `btforge diff` for people: the counts, then the types grouped most important first (removed,
// what CO-RE cannot relocate, layouts that moved, compatible changes, added), one line per type
// and an indented line per change. Offsets and sizes are in bytes; a bitfield's offset is
// `byte:bit` and its size `:bits`.

import type { BtfDiff, Change, ChangedEntity, EnumValue, Impact, ListedEntity, MemberInfo } from "@btforge/btf";
import { ENTITY_KINDS } from "@btforge/btf";
import { table } from "../output.js";

export interface DiffInputs {
  a: string;
  b: string;
}

const GROUPS: readonly { impact: Impact; title: string; why: string }[] = [
  {
    impact: "unrelocatable",
    title: "CO-RE cannot relocate",
    why: "a removed or renamed member, enumerator or parameter, or a type CO-RE no longer matches: programs need bpf_core_*_exists() guards or ___flavor types",
  },
  { impact: "relocatable", title: "Layout moved", why: "offsets, sizes or values changed: programs built without CO-RE break; CO-RE relocations follow" },
  { impact: "compatible", title: "Compatible", why: "the old layout still reads right" },
];

const MARK: Record<Impact, string> = { unrelocatable: "  [unrelocatable]", relocatable: "  [layout]", compatible: "" };

export function formatDiffText(diff: BtfDiff, inputs: DiffInputs, options: { summaryOnly?: boolean } = {}): string {
  const s = diff.summary;
  const out: string[] = [];
  out.push(`--- ${inputs.a} (${n(s.typesA)} types)`);
  out.push(`+++ ${inputs.b} (${n(s.typesB)} types)`);
  if (s.removed + s.changed + s.added === 0) {
    out.push("no differences");
    return out.join("\n") + "\n";
  }
  out.push(
    `${n(s.removed)} removed, ${n(s.changed)} changed (${n(s.unrelocatable)} CO-RE cannot relocate, ${n(s.relocatable)} layout moved, ${n(s.compatible)} compatible), ${n(s.added)} added`,
  );
  out.push("");
  const rows: (string | number)[][] = [["", "removed", "changed", "added"]];
  for (const kind of ENTITY_KINDS) {
    const c = s.byKind[kind];
    if (c) rows.push([kind, c.removed, c.changed, c.added]);
  }
  out.push(indent(table(rows), "  "));
  if (options.summaryOnly) return out.join("\n") + "\n";

  if (diff.removed.length > 0) {
    out.push("", `Removed (${n(diff.removed.length)}): programs using these fail to load; CO-RE cannot relocate what is gone`);
    for (const e of diff.removed) out.push(`  - ${e.label}${kindNote(e)}`);
  }
  for (const group of GROUPS) {
    const entities = diff.changed.filter((c) => c.impact === group.impact);
    if (entities.length === 0) continue;
    out.push("", `${group.title} (${n(entities.length)}): ${group.why}`);
    for (const e of entities) formatChanged(e, out);
  }
  if (diff.added.length > 0) {
    out.push("", `Added (${n(diff.added.length)})`);
    for (const e of diff.added) out.push(`  + ${e.label}${kindNote(e)}`);
  }
  return out.join("\n") + "\n";
}

/** Labels of functions, variables and scalars say what they are; a declaration says so. */
function kindNote(e: ListedEntity): string {
  return e.kind === "fwd" ? " (declaration)" : e.kind === "float" ? " (float)" : "";
}

function formatChanged(e: ChangedEntity, out: string[]): void {
  out.push(`  ${e.label}`);
  const sectionVars = e.changes.filter((c) => c.change.startsWith("section-var-"));
  for (const c of e.changes) if (!c.change.startsWith("section-var-")) out.push(`    ${describe(c)}${MARK[c.impact]}`);
  if (sectionVars.length > 0) summarizeSectionVars(sectionVars, out);
}

/**
 * A DATASEC's variables in three lines: each gone or new VAR is reported as a type of its own,
 * and a variable is found by name, so where it moved to matters little.
 */
function summarizeSectionVars(changes: Change[], out: string[]): void {
  const names = (kind: Change["change"]) => changes.flatMap((c) => (c.change === kind && "var" in c ? [c.var] : []));
  const removed = names("section-var-removed");
  const added = names("section-var-added");
  const moved = names("section-var-moved");
  if (removed.length > 0) out.push(`    - ${plural(removed.length, "variable")}: ${removed.join(", ")}`);
  if (added.length > 0) out.push(`    + ${plural(added.length, "variable")}: ${added.join(", ")}`);
  if (moved.length > 0) out.push(`    ~ ${plural(moved.length, "variable")} moved or resized`);
}

function plural(count: number, word: string): string {
  return `${n(count)} ${word}${count === 1 ? "" : "s"}`;
}

function describe(c: Change): string {
  switch (c.change) {
    case "kind":
      return `~ kind ${c.old} -> ${c.new}`;
    case "size":
      return `~ size ${n(c.old)} -> ${n(c.new)} bytes`;
    case "member-removed":
      return `- ${c.member}: ${memberText(c.old)}`;
    case "member-added":
      return `+ ${c.member}: ${memberText(c.new)}`;
    case "member-renamed":
      return `~ ${c.member} renamed ${c.newName}: ${memberText(c.new)}`;
    case "member-changed":
      return `~ ${c.member}: ${memberDelta(c.old, c.new)}`;
    case "enumerator-removed":
      return `- ${c.name} = ${value(c.old)}`;
    case "enumerator-added":
      return `+ ${c.name} = ${value(c.new)}`;
    case "enumerator-changed":
      return `~ ${c.name} = ${value(c.old)} -> ${value(c.new)}`;
    case "signedness":
      return `~ ${c.old ? "signed" : "unsigned"} -> ${c.new ? "signed" : "unsigned"}`;
    case "type":
      return `~ type ${c.old} -> ${c.new}`;
    case "encoding":
      return `~ encoding ${c.old} -> ${c.new}`;
    case "linkage":
      return `~ linkage ${c.old} -> ${c.new}`;
    case "return":
      return `~ return ${c.old} -> ${c.new}`;
    case "param-removed":
      return `- param ${c.index + 1}: ${paramText(c.old)}`;
    case "param-added":
      return `+ param ${c.index + 1}: ${paramText(c.new)}`;
    case "param-changed":
      return `~ param ${c.index + 1}: ${paramText(c.old)} -> ${paramText(c.new)}`;
    case "varargs":
      return `~ ${c.old ? "variadic" : "not variadic"} -> ${c.new ? "variadic" : "not variadic"}`;
    case "section-var-removed":
      return `- ${c.var} @ ${n(c.old.offset)} (${n(c.old.size)} bytes)`;
    case "section-var-added":
      return `+ ${c.var} @ ${n(c.new.offset)} (${n(c.new.size)} bytes)`;
    case "section-var-moved":
      return `~ ${c.var} @ ${n(c.old.offset)} -> ${n(c.new.offset)}${c.old.size !== c.new.size ? `, ${n(c.old.size)} -> ${n(c.new.size)} bytes` : ""}`;
    case "tag-removed":
      return `- tag ${c.tag}`;
    case "tag-added":
      return `+ tag ${c.tag}`;
  }
}

/** `__u8:1 @ 129:3`, `struct list_head @ 16 (16 bytes)`, in `(anon union)`. */
function memberText(m: MemberInfo): string {
  const where = m.via === "" ? "" : ` in ${m.via}`;
  return `${m.type}${bitfield(m)} @ ${offset(m.bitOffset)}${m.bitfieldSize === 0 ? ` (${size(m.bits)})` : ""}${where}`;
}

/** What moved: `@ 130:4 -> 128:4`, `type u32 -> u64 (4 -> 8 bytes)`, `bitfield :1 -> :2`. */
function memberDelta(a: MemberInfo, b: MemberInfo): string {
  const parts: string[] = [];
  if (a.bitOffset !== b.bitOffset) parts.push(`@ ${offset(a.bitOffset)} -> ${offset(b.bitOffset)}`);
  if (a.type !== b.type) parts.push(`type ${a.type} -> ${b.type}`);
  if (a.bitfieldSize !== b.bitfieldSize) parts.push(`bitfield ${bitfield(a) || "none"} -> ${bitfield(b) || "none"}`);
  else if (a.bits !== b.bits) parts.push(`size ${size(a.bits)} -> ${size(b.bits)}`);
  if (a.via !== b.via) parts.push(a.via === "" ? `now in ${b.via}` : b.via === "" ? `no longer in ${a.via}` : `in ${a.via} -> ${b.via}`);
  return parts.join(", ");
}

function bitfield(m: MemberInfo): string {
  return m.bitfieldSize === 0 ? "" : `:${m.bitfieldSize}`;
}

/** Bytes, or `byte:bit` when the offset is not on a byte. */
function offset(bits: number): string {
  return bits % 8 === 0 ? n(bits / 8) : `${n(Math.floor(bits / 8))}:${bits % 8}`;
}

function size(bits: number): string {
  if (bits < 0) return "no size";
  return bits % 8 === 0 ? `${n(bits / 8)} bytes` : `${bits} bits`;
}

/** `struct page *page`, `int flags`. */
function paramText(p: { name: string; type: string }): string {
  if (p.name === "") return p.type;
  return p.type.endsWith("*") ? `${p.type}${p.name}` : `${p.type} ${p.name}`;
}

function value(v: EnumValue): string {
  return String(v);
}

/** Thousands separated by commas whatever the locale: the output is the same everywhere. */
function n(x: number): string {
  return String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function indent(text: string, prefix: string): string {
  return text
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");
}
