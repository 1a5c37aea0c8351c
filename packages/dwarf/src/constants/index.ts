// The constant tables, and their names for messages and statistics. An unknown value is still a
// value: it gets a hexadecimal name instead of an error.
import { DW_AT } from "./attributes.js";
import { DW_ATE, DW_UT } from "./encodings.js";
import { DW_FORM } from "./forms.js";
import { DW_LANG } from "./languages.js";
import { DW_OP } from "./operations.js";
import { DW_TAG } from "./tags.js";

export { DW_AT, DW_ATE, DW_FORM, DW_LANG, DW_OP, DW_TAG, DW_UT };

type Table = Readonly<Record<string, number>>;

/** Builds a value → name function for one table; the reverse map is made on first use. */
function namer(prefix: string, table: Table, hexWidth: number): (value: number) => string {
  let names: Map<number, string> | undefined;
  return (value) => {
    if (names === undefined) {
      names = new Map();
      for (const [name, v] of Object.entries(table)) if (!names.has(v)) names.set(v, prefix + name);
    }
    return names.get(value) ?? `${prefix}0x${value.toString(16).padStart(hexWidth, "0")}`;
  };
}

export const tagName = namer("DW_TAG_", DW_TAG, 4);
export const attrName = namer("DW_AT_", DW_AT, 4);
export const formName = namer("DW_FORM_", DW_FORM, 2);
export const opName = namer("DW_OP_", DW_OP, 2);
export const langName = namer("DW_LANG_", DW_LANG, 4);
export const ateName = namer("DW_ATE_", DW_ATE, 2);
export const unitTypeName = namer("DW_UT_", DW_UT, 2);
