// The kind registry: kind number → descriptor. Built-in kinds are registered when the package
// loads (./builtin/index.ts); a plugin registers its own with `registerKind`.

import { BTF_MAX_KIND } from "../constants.js";
import { BtfError } from "../errors.js";
import type { KindDescriptor, KindRule } from "./descriptor.js";

const byNumber: (KindDescriptor | undefined)[] = new Array(BTF_MAX_KIND + 1).fill(undefined);
const byName = new Map<string, KindDescriptor>();

export function registerKind(descriptor: KindDescriptor): void {
  const { kind, name } = descriptor;
  if (!Number.isInteger(kind) || kind < 1 || kind > BTF_MAX_KIND) {
    throw new BtfError("BTF_BAD_ARGUMENT", `kind number ${kind} for ${name} is outside 1..${BTF_MAX_KIND}`);
  }
  const existing = byNumber[kind];
  if (existing) throw new BtfError("BTF_KIND_REGISTERED", `kind ${kind} is already registered as ${existing.name}`);
  if (byName.has(name)) throw new BtfError("BTF_KIND_REGISTERED", `a kind named ${name} is already registered`);
  byNumber[kind] = descriptor;
  byName.set(name, descriptor);
}

/** Remove a kind a plugin registered (tests and plugin teardown). */
export function unregisterKind(kind: number): void {
  const d = byNumber[kind];
  if (!d) return;
  byNumber[kind] = undefined;
  byName.delete(d.name);
}

/** The descriptor of a kind number, or undefined when nothing is registered for it. */
export function kindDescriptor(kind: number): KindDescriptor | undefined {
  return byNumber[kind];
}

export function kindByName(name: string): KindDescriptor | undefined {
  return byName.get(name);
}

/** Every registered descriptor, by kind number. */
export function registeredKinds(): KindDescriptor[] {
  return byNumber.filter((d): d is KindDescriptor => d !== undefined);
}

/** Attach (or replace) the validation rule of a registered kind. */
export function setKindRule(kind: number, rule: KindRule): void {
  const d = byNumber[kind];
  if (!d) throw new BtfError("BTF_UNKNOWN_KIND", `no kind ${kind} is registered`);
  d.validate = rule;
}

/** The registry array itself, for hot loops that index it by kind number. */
export function kindTable(): readonly (KindDescriptor | undefined)[] {
  return byNumber;
}
