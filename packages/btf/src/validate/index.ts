export { validateBtf, type ValidateBtfOptions } from "./validate.js";
export { formatProblems, type ValidationProblem, type ValidationResult } from "./problems.js";
