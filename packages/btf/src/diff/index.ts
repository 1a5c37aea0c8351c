// Comparing two BTFs: see diff.ts. The report model is plain data (model.ts).
export { diffBtf } from "./diff.js";
export { fieldsCoreCompatible, essentialName } from "./core-compat.js";
export { TypeSpeller } from "./spell.js";
export * from "./model.js";
