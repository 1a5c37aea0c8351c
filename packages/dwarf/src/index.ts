// @btforge/dwarf: a zero-copy DWARF 2–5 reader over section bytes handed in by a loader.
export { DwarfFile, type DwarfFileOptions, type DwarfSections } from "./file.js";
export type { UnitHeader, UnitSection } from "./unit.js";
export { DieCursor } from "./cursor.js";
export { MAX_DIE_DEPTH } from "./walker.js";
export { locationAddress } from "./location.js";
export { decodeExpression, ExpressionOps, type ExpressionEncoding } from "./expression.js";
export { forEachLocationExpression, LocationListWalker, type LocationListStatus, type LocationVisitor } from "./location-list.js";
export { dwarfStats, type DwarfStats } from "./stats.js";
export { DwarfError, type DwarfErrorCode, type DwarfLocation } from "./errors.js";
export {
  DW_AT, DW_ATE, DW_FORM, DW_LANG, DW_OP, DW_TAG, DW_UT,
  attrName, ateName, formName, langName, opName, tagName, unitTypeName,
} from "./constants/index.js";
