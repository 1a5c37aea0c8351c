// btforge-pahole's reading of pahole's command line: argp's syntax (-j, -j4, --jobs=4, --opt=V and
// --opt V, bundled short options, unambiguous prefixes), pahole's order of application for
// --btf_features against the older switches, and the version it reports.
import { describe, expect, test } from "vitest";
import { BtforgeError, NO_FEATURES, PAHOLE_DEFAULT_FEATURES, PAHOLE_FEATURES, type Features } from "@btforge/core";
import { legacyFeatures, parsePaholeArgs } from "../src/pahole/args.js";
import { KERNEL_VISIBLE_STEPS, nextStep, reportedVersion, versionString } from "../src/pahole/versions.js";

/** The features turned on, by name, for a readable comparison. */
function on(features: Features): string[] {
  return (Object.keys(features) as (keyof Features)[]).filter((f) => features[f] === true).sort();
}

function usageError(argv: string[]): string {
  try {
    parsePaholeArgs(argv);
  } catch (err) {
    expect(err).toBeInstanceOf(BtforgeError);
    expect((err as BtforgeError).code).toBe("USAGE");
    return (err as Error).message;
  }
  throw new Error(`expected a usage error for ${argv.join(" ")}`);
}

describe("pahole's arguments", () => {
  test("-J FILE: pahole's historical defaults (VARs, tags, ENUM64; functions and dedup always)", () => {
    const r = parsePaholeArgs(["-J", "vmlinux"]);
    expect(r).toMatchObject({ mode: "encode", inputs: ["vmlinux"] });
    expect([r.detached, r.base, r.jobs]).toEqual([undefined, undefined, undefined]);
    expect(on(r.features)).toEqual(["decl_tag", "dedup", "enum64", "functions", "type_tag", "var"]);
    expect(r.features).toEqual(legacyFeatures());
  });

  test("Linux 6.1's link-vmlinux.sh and Makefile.modfinal lines", () => {
    const v = parsePaholeArgs(["-J", "--btf_gen_floats", "-j", ".tmp_vmlinux.btf"]);
    expect(v.jobs).toBe(0);
    expect(v.inputs).toEqual([".tmp_vmlinux.btf"]);
    expect(on(v.features)).toEqual(["decl_tag", "dedup", "enum64", "float", "functions", "type_tag", "var"]);
    const m = parsePaholeArgs(["-J", "--btf_gen_floats", "-j", "--btf_base", "vmlinux", "drivers/net/tun.ko"]);
    expect(m).toMatchObject({ base: "vmlinux", inputs: ["drivers/net/tun.ko"] });
    const legacy125 = parsePaholeArgs(["-J", "--btf_gen_floats", "-j", "--skip_encoding_btf_inconsistent_proto", "--btf_gen_optimized", "x.ko"]);
    expect(legacy125.features).toMatchObject({ consistent_func: true, optimized_func: true, float: true });
  });

  test("Linux 6.8's Makefile.btf: --btf_features lists, repeated, replace the defaults; --lang_exclude", () => {
    const r = parsePaholeArgs([
      "-J", "-j8",
      "--btf_features=encode_force,var,float,enum64,decl_tag,type_tag,optimized_func,consistent_func,decl_tag_kfuncs",
      "--btf_features=attributes", "--lang_exclude=rust", "--btf_base", "vmlinux", "m.ko",
    ]);
    expect(r.jobs).toBe(8);
    expect(on(r.features)).toEqual(
      ["attributes", "consistent_func", "decl_tag", "decl_tag_kfuncs", "dedup", "encode_force", "enum64", "float", "functions", "optimized_func", "type_tag", "var"],
    );
    expect(r.features.lang_exclude).toEqual(["rust"]);
  });

  test("Linux 7.0's gen-btf.sh: detached output, layout", () => {
    const r = parsePaholeArgs(["-J", "--jobs=2", "--btf_features=default", "--btf_features=layout", "--btf_encode_detached=vmlinux.BTF.1", "vmlinux"]);
    expect(r).toMatchObject({ detached: "vmlinux.BTF.1", jobs: 2, inputs: ["vmlinux"] });
    expect(r.features.layout).toBe(true);
    for (const f of PAHOLE_DEFAULT_FEATURES) expect(r.features[f], f).toBe(true);
    expect(parsePaholeArgs(["--btf_encode_detached", "out.btf", "x.o"]).detached).toBe("out.btf");
  });

  test("default, +extra, unknown names ignored unless strict", () => {
    const plus = parsePaholeArgs(["-J", "--btf_features=+global_var,inline", "x.o"]);
    expect(plus.features.global_var).toBe(true);
    for (const f of PAHOLE_DEFAULT_FEATURES) expect(plus.features[f]).toBe(true);
    expect(plus.ignoredFeatures).toEqual(["inline"]);
    const some = parsePaholeArgs(["-J", "--btf_features=float", "x.o"]);
    expect(on(some.features)).toEqual(["dedup", "float", "functions"]);
    expect(usageError(["-J", "--btf_features_strict=float,inline", "x.o"])).toMatch(/feature 'inline' in 'float,inline' is not supported/);
  });

  test("a switch before the first --btf_features is forgotten, one after it counts (pahole's order)", () => {
    expect(parsePaholeArgs(["-J", "--btf_gen_floats", "--btf_features=var", "x.o"]).features.float).toBe(false);
    expect(parsePaholeArgs(["-J", "--btf_features=var", "--btf_gen_floats", "x.o"]).features.float).toBe(true);
    expect(parsePaholeArgs(["-J", "--btf_features=default", "--skip_encoding_btf_vars", "x.o"]).features.var).toBe(false);
    expect(parsePaholeArgs(["-J", "--skip_encoding_btf_decl_tag", "--skip_encoding_btf_type_tag", "--skip_encoding_btf_enum64", "x.o"]).features).toMatchObject({
      decl_tag: false, type_tag: false, enum64: false,
    });
  });

  test("argp syntax: --opt=V and --opt V, bundles, prefixes, --", () => {
    expect(parsePaholeArgs(["-Jj3", "x.o"])).toMatchObject({ jobs: 3, mode: "encode" });
    expect(parsePaholeArgs(["-qJ", "x.o"]).inputs).toEqual(["x.o"]);
    expect(parsePaholeArgs(["-J", "--btf_base=vmlinux", "x.ko"]).base).toBe("vmlinux");
    expect(parsePaholeArgs(["-J", "--btf_gen_fl", "x.o"]).features.float).toBe(true);
    expect(parsePaholeArgs(["-J", "--", "-odd-name.o"]).inputs).toEqual(["-odd-name.o"]);
    expect(parsePaholeArgs(["-J", "-j", "4"]).inputs).toEqual(["4"]);
  });

  test("query modes", () => {
    expect(parsePaholeArgs(["--version"]).mode).toBe("version");
    expect(parsePaholeArgs(["--numeric_version"]).mode).toBe("numeric_version");
    expect(parsePaholeArgs(["--supported_btf_features"]).mode).toBe("supported_features");
  });

  test("what btforge-pahole does not do is an error naming the flag", () => {
    expect(usageError(["-J", "--reorganize", "x.o"])).toMatch(/pahole's option --reorganize is not something btforge-pahole does/);
    expect(usageError(["-C", "task_struct", "x.o"])).toMatch(/pahole's option -C is not something/);
    expect(usageError(["-J", "--no_such_flag", "x.o"])).toMatch(/unknown option --no_such_flag/);
    expect(usageError(["-J", "--btf", "x.o"])).toMatch(/--btf is ambiguous/);
    expect(usageError(["-J", "--jobs=many", "x.o"])).toMatch(/--jobs takes a number/);
    expect(usageError(["-J", "--btf_gen_floats=1", "x.o"])).toMatch(/takes no value/);
    expect(usageError(["-J", "--btf_base"])).toMatch(/--btf_base needs a value/);
    expect(usageError(["x.o"])).toMatch(/give -J .* or --btf_encode_detached/);
    expect(usageError(["-J"])).toMatch(/no input file/);
    expect(usageError(["--btf_encode_detached=o.btf", "a.o", "b.o"])).toMatch(/one input file/);
  });
});

describe("the version btforge-pahole reports", () => {
  test("the highest version whose steps are all carried out, and no higher", () => {
    const all = () => true;
    expect(reportedVersion(all)).toBe(KERNEL_VISIBLE_STEPS.at(-1)!.version);
    expect(reportedVersion(() => false)).toBe(116);
    // Missing one feature of 1.25 caps the version at 1.24, whatever comes later.
    expect(reportedVersion((f) => f !== "optimized_func")).toBe(124);
    expect(nextStep((f) => f !== "optimized_func")?.version).toBe(125);
    expect(versionString(124)).toBe("v1.24");
    expect(versionString(131)).toBe("v1.31");
    expect(versionString(205)).toBe("v2.05");
  });

  test("every feature the steps name is one of the configuration's", () => {
    const known = new Set(Object.keys(NO_FEATURES));
    for (const step of KERNEL_VISIBLE_STEPS) for (const f of step.needs) expect(known.has(f), f).toBe(true);
    for (const f of PAHOLE_FEATURES) expect(known.has(f), f).toBe(true);
  });
});
