// The address of a static variable from its DW_AT_location expression: what the encoder needs to
// place a variable in its section. Only an expression that starts with an address op qualifies.
import { DW_OP } from "./constants/index.js";
import type { DwarfFile } from "./file.js";
import { ByteReader } from "./reader.js";
import type { UnitHeader } from "./unit.js";

/**
 * The address named by DW_OP_addr, DW_OP_addrx or DW_OP_GNU_addr_index when that is the
 * expression's first operation; undefined for any other expression (registers, TLS, lists).
 */
export function locationAddress(expr: Uint8Array, unit: UnitHeader, file: DwarfFile): bigint | undefined {
  if (expr.length === 0) return undefined;
  const r = new ByteReader(expr, "location expression", file.littleEndian, file.name);
  r.unit = unit.offset;
  switch (expr[0]) {
    case DW_OP.addr:
      r.need(1, unit.addressSize, expr.length, "DW_OP_addr operand");
      return r.address(1, unit.addressSize);
    case DW_OP.addrx:
    case DW_OP.GNU_addr_index:
      return file.address(unit, r.uleb(1, expr.length));
    default:
      return undefined;
  }
}
