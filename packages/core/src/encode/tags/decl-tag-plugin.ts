// DECL_TAG for clang's __attribute__((btf_decl_tag("..."))) on structs, unions, their members and
// typedefs (DW_TAG_LLVM_annotation "btf_decl_tag"). Kind DECL_TAG comes from the BTF kinds registry.
import { BtfKind, kindDescriptor } from "@btforge/btf";
import type { Encoder } from "../../encoder.js";
import { TAGS_STAGE, annotationsNamed } from "./annotations.js";

export class DeclTagPlugin {
  static readonly name = "decl-tag";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    if (!kindDescriptor(BtfKind.DECL_TAG)) throw new Error("the BTF kinds registry has no DECL_TAG");
    encoder.hooks.types.tap({ name: DeclTagPlugin.name, stage: TAGS_STAGE }, (encoding) => {
      let added = 0;
      for (const a of annotationsNamed(encoding, "btf_decl_tag")) {
        encoding.btf.addDeclTag(a.value, a.typeId, a.component);
        added++;
      }
      if (added > 0) encoding.trace(`${added} DECL_TAGs`, DeclTagPlugin.name);
    });
  }
}
