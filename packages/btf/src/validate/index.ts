export { validateBtf, type ValidateBtfOptions } from "./validate.js";
export { kernelRules, knownRuleVersions, NEWEST_KNOWN_KERNEL, parseKernelVersion, type KernelRules } from "./targets.js";
export { formatProblems, type ValidationProblem, type ValidationResult } from "./problems.js";
