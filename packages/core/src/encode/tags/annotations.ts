// The clang annotations the types plugin collected, for the tag plugins that tap the types phase
// after it (stage TAGS_STAGE).
import type { Encoding } from "../../encoding.js";
import { ANNOTATIONS_ARTIFACT, type DwarfAnnotation } from "../types/session.js";

/** Tag plugins run in the types phase after the types plugin (stage 0) has resolved every reference. */
export const TAGS_STAGE = 10;

export function annotationsNamed(encoding: Encoding, name: "btf_decl_tag" | "btf_type_tag"): DwarfAnnotation[] {
  const all = (encoding.artifacts.get(ANNOTATIONS_ARTIFACT) as DwarfAnnotation[] | undefined) ?? [];
  return all.filter((a) => a.name === name);
}
