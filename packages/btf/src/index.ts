// @btforge/btf: the BTF kinds registry, the type table and string table, raw read/write,
// and the bpftool-compatible raw dump.

export * from "./constants.js";
export { BtfError, type BtfErrorCode, type BtfLocation } from "./errors.js";
export { BtfStrings } from "./strings.js";
export { BtfTypeStore } from "./store.js";
export {
  BtfTable,
  type NameRef,
  type BtfMember,
  type BtfEnumValue,
  type BtfEnum64Value,
  type BtfParam,
  type BtfDatasecEntry,
  type BtfTypeView,
} from "./table.js";
export type { KindDescriptor, KindRule, KindRuleContext } from "./kinds/descriptor.js";
export { registerKind, unregisterKind, kindDescriptor, kindByName, registeredKinds, setKindRule } from "./kinds/registry.js";
export { builtinKinds } from "./kinds/builtin/index.js";
export { intWord } from "./kinds/builtin/scalars.js";
export { memberOffset } from "./kinds/builtin/aggregates.js";
export { enum64Value } from "./kinds/builtin/enums.js";
export { forEachTypeRef, remapTypeRefs, SIZE_OR_TYPE_SLOT } from "./refs.js";
export { readHeader, HOST_ORDER, type BtfHeader, type ByteOrder } from "./header.js";
export { standardKindLayouts, type BtfKindLayout } from "./kind-layout.js";
export { parseBtf, type ParseBtfOptions } from "./parse.js";
export { writeBtf, type WriteBtfOptions } from "./write.js";
export { dumpRaw, dumpRawBytes, dumpRawType, type DumpRawOptions } from "./dump.js";
export { mergeSplitBtf } from "./merge.js";
export { distillBase, type DistilledBtf } from "./distill.js";
export { relocateSplitBtf, type RelocatedBtf } from "./relocate.js";
export { copyType } from "./copy-type.js";
export { forEachStringRef, NAME_SLOT } from "./string-refs.js";
export { resolveTypeSize } from "./type-size.js";
// Offline validator and kernel check (validate helper).
export {
  validateBtf,
  formatProblems,
  kernelRules,
  knownRuleVersions,
  NEWEST_KNOWN_KERNEL,
  parseKernelVersion,
  type KernelRules,
  type ValidateBtfOptions,
  type ValidationProblem,
  type ValidationResult,
} from "./validate/index.js";
export {
  kernelAvailable,
  loadIntoKernel,
  loadManyIntoKernel,
  formatKernelVerdict,
  runningKernelTarget,
  type KernelAvailability,
  type KernelVerdict,
  type RunningKernelTarget,
} from "./kernel/index.js";
export { dumpC, type DumpCOptions } from "./cdump/index.js";
// Comparing two BTFs (btforge diff).
export {
  diffBtf,
  hasDifferences,
  worse,
  fieldsCoreCompatible,
  essentialName,
  TypeSpeller,
  IMPACTS,
  ENTITY_KINDS,
  type BtfDiff,
  type Change,
  type ChangeName,
  type ChangedEntity,
  type DiffSummary,
  type EntityKind,
  type EntitySide,
  type EnumValue,
  type FuncParam,
  type Impact,
  type KindCounts,
  type ListedEntity,
  type MemberInfo,
} from "./diff/index.js";
