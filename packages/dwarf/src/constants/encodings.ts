// DW_ATE_* (base type encodings) and DW_UT_* (unit types): values from the DWARF standard and
// its vendor extensions, names spelled as llvm-dwarfdump prints them.

export const DW_ATE = {
  address: 0x01,
  boolean: 0x02,
  complex_float: 0x03,
  float: 0x04,
  signed: 0x05,
  signed_char: 0x06,
  unsigned: 0x07,
  unsigned_char: 0x08,
  imaginary_float: 0x09,
  packed_decimal: 0x0a,
  numeric_string: 0x0b,
  edited: 0x0c,
  signed_fixed: 0x0d,
  unsigned_fixed: 0x0e,
  decimal_float: 0x0f,
  UTF: 0x10,
  UCS: 0x11,
  ASCII: 0x12,
  HP_complex_float: 0x81,
  HP_float128: 0x82,
  HP_complex_float128: 0x83,
  HP_floathpintel: 0x84,
  HP_imaginary_float90: 0x85,
  HP_imaginary_float128: 0x86,
} as const;

export const DW_UT = {
  compile: 0x01,
  type: 0x02,
  partial: 0x03,
  skeleton: 0x04,
  split_compile: 0x05,
  split_type: 0x06,
} as const;
