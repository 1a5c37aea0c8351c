/**
 * The functions feature's rules on compiled C (test/fixtures/functions, gcc -O2): each function of
 * rules_a.c / rules_b.c exercises one rule, and each profile or feature switch must give exactly the
 * FUNCs and the reasons below. The same build linked as a shared object (addresses as in a vmlinux)
 * and combined with `ld -r` (a relocatable file, as a kernel module) gives the same verdicts.
 * Side by side with upstream pahole (--btf_features=default, and with true_signature) on the shared
 * object, built with gcc and with clang, the FUNCs, prototypes and parameter names are the same. kfuncs.c holds a .BTF_ids section
 * like the kernel's: bpf_kfunc / bpf_fastcall DECL_TAGs and (attributes) address_space(1) TYPE_TAGs
 * on BPF arena pointers, equal to upstream's, valid, and loaded by the kernel.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { type BtfTable, parseBtf, validateBtf } from "@btforge/btf";
import { createEncoder, encodedBytes, FUNCTIONS_ARTIFACT, type FunctionsStats } from "@btforge/core";
import "../packages/cli/src/builtin-plugins.js";
import { namedDefinitions, setDifference } from "./support/btf-definitions.js";
import { cliMissing, runCli } from "./support/cli.js";
import { buildSteps } from "./support/build-steps.js";
import { REPO_ROOT } from "./support/paths.js";
import { expectKernelAccepts } from "./support/kernel-check.js";
import { skipBecause, skipKernel, toolMissing } from "./support/tools.js";
import { upstreamPaholeBtf, upstreamPaholeMissing } from "./support/upstream-pahole.js";

const FIXTURES = join(REPO_ROOT, "test/fixtures/functions");
const noGcc = toolMissing("gcc") ?? toolMissing("ld");
const skip = skipBecause(noGcc, "function rules on compiled fixtures");
const noUpstream = skip ? "gcc is missing" : upstreamPaholeMissing();
const noKernel = skipKernel("kernel loads of the function fixtures");
const work = mkdtempSync(join(tmpdir(), "btforge-functions-"));

const gcc = (args: string[]) => ({ tool: "gcc", args: ["-std=gnu11", "-g", "-O2", "-gdwarf-5", ...args] });
const build = skip
  ? undefined
  : buildSteps("functions-rules", FIXTURES, [
      gcc(["-shared", "-fPIC", "rules_a.c", "rules_b.c", "-o", "$OUT/rules.so"]),
      gcc(["-c", "rules_a.c", "-o", "$OUT/rules_a.o"]),
      gcc(["-c", "rules_b.c", "-o", "$OUT/rules_b.o"]),
      { tool: "ld", args: ["-r", "$OUT/rules_a.o", "$OUT/rules_b.o", "-o", "$OUT/rules.ko"] },
      gcc(["-shared", "-fPIC", "kfuncs.c", "-o", "$OUT/kfuncs.so"]),
    ]);
const noClang = skip ? undefined : toolMissing("clang");
const clangBuild = skip || noClang
  ? undefined
  : buildSteps("functions-rules-clang", FIXTURES, [
      { tool: "clang", args: ["-std=gnu11", "-g", "-O2", "-gdwarf-5", "-shared", "-fPIC", "rules_a.c", "rules_b.c", "-o", "$OUT/rules.so"] },
    ]);
const RULES_SO = build && join(build, "rules.so");
const RULES_KO = build && join(build, "rules.ko");
const KFUNCS_SO = build && join(build, "kfuncs.so");

async function encode(file: string, features: Record<string, boolean> = {}, profile = "default") {
  const configFile = join(work, `config-${process.hrtime.bigint()}.json`);
  writeFileSync(configFile, JSON.stringify({ extends: profile, features }));
  const encoder = await createEncoder({ cwd: REPO_ROOT, configFile });
  const e = await encoder.run(file, { until: "finalize" });
  try {
    const bytes = encodedBytes(e);
    return { bytes, btf: parseBtf(bytes), stats: e.artifacts.get(FUNCTIONS_ARTIFACT) as FunctionsStats };
  } finally {
    e.close();
  }
}

const funcs = (t: BtfTable) => [...namedDefinitions(t)].filter((d) => d.startsWith("func ")).sort();
const funcNames = (t: BtfTable) => funcs(t).map((d) => d.slice(5, d.indexOf("(")));

/** What every rule gives under the default profile. */
const DEFAULT_FUNCS = ["api_a", "api_b", "hook", "keeps_all", "plain_on_stack"];
const DEFAULT_SKIPS = {
  "ambiguous-address": 1, // helper: a static function in both units, two bodies
  "unexpected-register": 1, // make_big: the struct it returns takes the first argument register
  "uncertain-location": 1, // packed_on_stack: a packed struct by value past the registers
  inconsistent: 1, // retyped: the weak and the strong definition disagree on the parameter's type
  "optimized-parameters": 2, // scale.constprop.0.isra.0, with_mode.constprop.0
};

describe.skipIf(skip)("function rules (gcc -O2 fixtures)", () => {
  for (const [kind, file] of [["shared object", RULES_SO], ["relocatable (ld -r)", RULES_KO]] as const) {
    test(`default profile, ${kind}: only the functions safe to attach to, each other one with its reason`, async () => {
      const { btf, stats } = await encode(file!);
      expect(funcNames(btf)).toEqual(DEFAULT_FUNCS);
      for (const [reason, n] of Object.entries(DEFAULT_SKIPS)) expect(stats.skipped[reason as keyof typeof DEFAULT_SKIPS], reason).toBe(n);
      // The strong definition's prototype, not the weak one the linker set aside.
      expect(funcs(btf)).toContain("func hook(int strong_arg) -> int");
    });
  }

  test.skipIf(skipBecause(cliMissing(), "the CLI summary"))("btforge encode says what was left out and why; -v names each function", async () => {
    const r = await runCli(["encode", RULES_SO!, "-v"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "functions: 5 FUNCs from 16 definitions; left out: ambiguous-address 1, unexpected-register 1, uncertain-location 1, inconsistent 1, optimized-parameters 2",
    );
    for (const line of ["skipped helper: ambiguous-address", "skipped make_big: unexpected-register", "skipped packed_on_stack: uncertain-location", "skipped retyped: inconsistent (param type mismatch for param#1)", "skipped scale: optimized-parameters"]) {
      expect(r.stderr).toContain(line);
    }
  });

  test("consistent_func off: the inconsistent, ambiguous and unsafe-register functions come back", async () => {
    const { btf } = await encode(RULES_SO!, { consistent_func: false });
    expect(funcNames(btf)).toEqual([...DEFAULT_FUNCS, "helper", "make_big", "packed_on_stack", "retyped"].sort());
    // Still the definition the symbol points at: the strong one.
    expect(funcs(btf)).toContain("func retyped(long int wide) -> long int");
  });

  test("optimized_func off: compiler copies are not their function (pahole 1.24), so they get no FUNC", async () => {
    const { btf, stats } = await encode(RULES_SO!, { optimized_func: false });
    expect(funcNames(btf)).toEqual(DEFAULT_FUNCS);
    expect(stats.skipped["optimized-parameters"]).toBeUndefined();
    expect(stats.skipped["no-symbol"]).toBeGreaterThanOrEqual(2);
  });

  test("pahole-1.24 profile: every function with an exact symbol", async () => {
    const { btf } = await encode(RULES_SO!, {}, "pahole-1.24");
    expect(funcNames(btf)).toEqual([...DEFAULT_FUNCS, "helper", "make_big", "packed_on_stack", "retyped"].sort());
  });

  test("true_signature: the copy that is safe to attach to gets a FUNC named by its symbol", async () => {
    const { btf, bytes } = await encode(RULES_SO!, { true_signature: true });
    expect(funcNames(btf)).toEqual([...DEFAULT_FUNCS, "with_mode.constprop.0"].sort());
    expect(validateBtf(bytes).ok).toBe(true);
    if (!noKernel) expectKernelAccepts(bytes, "rules.so, true_signature");
  });

  test.skipIf(skipBecause(noUpstream, "comparison with upstream pahole"))("FUNCs, prototypes and parameter names equal upstream pahole's (gcc and clang; default, and with true_signature)", async () => {
    const inputs = [RULES_SO!, ...(clangBuild ? [join(clangBuild, "rules.so")] : [])];
    if (!clangBuild) skipBecause(noClang, "the clang build of the rules");
    for (const file of inputs) {
      for (const features of [{}, { true_signature: true }] as Record<string, boolean>[]) {
        const ours = (await encode(file, features)).btf;
        const theirs = await upstreamPaholeBtf(file, Object.keys(features).length ? "default,true_signature" : "default");
        if (typeof theirs === "string") throw new Error(theirs);
        expect(setDifference(new Set(funcs(ours)), new Set(funcs(theirs))), `${file} ${JSON.stringify(features)}`).toEqual({ onlyA: [], onlyB: [] });
      }
    }
  });
});

describe.skipIf(skip)("kfuncs from .BTF_ids (kfuncs.c)", () => {
  const kfuncTags = (t: BtfTable) => [...namedDefinitions(t)].filter((d) => d.startsWith("decl_tag")).sort();

  test("bpf_kfunc on each kfunc of a kfunc set, bpf_fastcall where its flags say so; nothing for a set of plain ids", async () => {
    const { btf, stats } = await encode(KFUNCS_SO!);
    expect(kfuncTags(btf)).toEqual([
      "decl_tag bpf_fastcall on func bpf_test_fast[-1]",
      "decl_tag bpf_kfunc on func bpf_test_arena_alloc[-1]",
      "decl_tag bpf_kfunc on func bpf_test_arena_free[-1]",
      "decl_tag bpf_kfunc on func bpf_test_fast[-1]",
      "decl_tag bpf_kfunc on func bpf_test_plain[-1]",
    ]);
    expect([stats.kfuncs, stats.kfuncTags, stats.arenaTags]).toEqual([4, 4, 0]);
    // decl_tag_kfuncs off: the same FUNCs, no tags.
    expect(kfuncTags((await encode(KFUNCS_SO!, { decl_tag_kfuncs: false })).btf)).toEqual([]);
  });

  test("attributes: arena pointers of KF_ARENA_* kfuncs become PTR -> TYPE_TAG address_space(1) with kind_flag 1; valid, loaded", async () => {
    const { btf, bytes, stats } = await encode(KFUNCS_SO!, { attributes: true });
    const defs = funcs(btf);
    expect(defs).toContain("func bpf_test_arena_alloc(long unsigned int count) -> tag(address_space(1), attribute) struct arena_page*");
    expect(defs).toContain("func bpf_test_arena_free(tag(address_space(1), attribute) struct arena_page* page, tag(address_space(1), attribute) long int* counter) -> void");
    expect(defs).toContain("func bpf_test_fast(int x) -> int");
    expect(stats.arenaTags).toBe(3);
    expect(validateBtf(bytes).ok).toBe(true);
    if (!noKernel) expectKernelAccepts(bytes, "kfuncs.so, attributes");
  });

  test.skipIf(skipBecause(noUpstream, "kfunc comparison with upstream pahole"))("tags and attributes equal upstream pahole's (default,attributes)", async () => {
    const ours = (await encode(KFUNCS_SO!, { attributes: true })).btf;
    const theirs = await upstreamPaholeBtf(KFUNCS_SO!, "default,attributes");
    if (typeof theirs === "string") throw new Error(theirs);
    const relevant = (t: BtfTable) => new Set([...namedDefinitions(t)].filter((d) => d.startsWith("func ") || d.startsWith("decl_tag")));
    expect(setDifference(relevant(ours), relevant(theirs))).toEqual({ onlyA: [], onlyB: [] });
  });
});
