// The built-in kinds, registered once when the package loads. The record is keyed by every
// name in BtfKind, so adding a kind to the constants breaks the build until it is described.

import type { BtfKindName } from "../../constants.js";
import type { KindDescriptor } from "../descriptor.js";
import { kindDescriptor, registerKind } from "../registry.js";
import { arrayKind, fwdKind, structKind, unionKind } from "./aggregates.js";
import { datasecKind, declTagKind, varKind } from "./data.js";
import { enum64Kind, enumKind } from "./enums.js";
import { funcKind, funcProtoKind } from "./functions.js";
import { constKind, ptrKind, restrictKind, typedefKind, typeTagKind, volatileKind } from "./modifiers.js";
import { floatKind, intKind } from "./scalars.js";

export const builtinKinds: Record<Exclude<BtfKindName, "UNKN">, KindDescriptor> = {
  INT: intKind,
  PTR: ptrKind,
  ARRAY: arrayKind,
  STRUCT: structKind,
  UNION: unionKind,
  ENUM: enumKind,
  FWD: fwdKind,
  TYPEDEF: typedefKind,
  VOLATILE: volatileKind,
  CONST: constKind,
  RESTRICT: restrictKind,
  FUNC: funcKind,
  FUNC_PROTO: funcProtoKind,
  VAR: varKind,
  DATASEC: datasecKind,
  FLOAT: floatKind,
  DECL_TAG: declTagKind,
  TYPE_TAG: typeTagKind,
  ENUM64: enum64Kind,
};

for (const d of Object.values(builtinKinds)) {
  if (kindDescriptor(d.kind) !== d) registerKind(d);
}
