// TYPE_TAG for __attribute__((btf_type_tag("..."))) on pointers (__user, __rcu, __percpu in the
// kernel): PTR → TYPE_TAG(last written) → ... → TYPE_TAG(first written) → pointee, the chain clang's
// own BTF and pahole write (tags right after the pointer, before any modifier). The annotations
// arrive in source order (clang's children; GCC's chain is turned around when read).
import { BtfKind, kindDescriptor } from "@btforge/btf";
import type { Encoder } from "../../encoder.js";
import type { DwarfAnnotation } from "../types/session.js";
import { TAGS_STAGE, annotationsNamed } from "./annotations.js";

export class TypeTagPlugin {
  static readonly name = "type-tag";
  static readonly schema = { type: "object", additionalProperties: false, properties: {} };

  apply(encoder: Encoder): void {
    if (!kindDescriptor(BtfKind.TYPE_TAG)) throw new Error("the BTF kinds registry has no TYPE_TAG");
    encoder.hooks.types.tap({ name: TypeTagPlugin.name, stage: TAGS_STAGE }, (encoding) => {
      const t = encoding.btf;
      const perPointer = new Map<number, DwarfAnnotation[]>();
      for (const a of annotationsNamed(encoding, "btf_type_tag")) {
        if (t.kind(a.typeId) !== BtfKind.PTR) continue;
        const list = perPointer.get(a.typeId);
        if (list) list.push(a);
        else perPointer.set(a.typeId, [a]);
      }
      let added = 0;
      for (const [ptr, tags] of perPointer) {
        let target = t.sizeOrType(ptr);
        for (const tag of tags) {
          target = t.addTypeTag(tag.value, target);
          added++;
        }
        t.setSizeOrType(ptr, target);
      }
      if (added > 0) encoding.trace(`${added} TYPE_TAGs on ${perPointer.size} pointers`, TypeTagPlugin.name);
    });
  }
}
