// The Encoder's contract: phase order, finalize stages, done/failed, error trails, timings, and the
// per-DIE and inclusion hooks. No ELF is needed: plugins here only record what they see.
import { describe, expect, test } from "vitest";
import { ElfError } from "@btforge/elf";
import { BtfError } from "@btforge/btf";
import {
  BtforgeError,
  Compilation,
  Compiler,
  Encoder,
  type EncoderPlugin,
  Encoding,
  FINALIZE_STAGE,
  PHASES,
  formatError,
} from "@btforge/core";

/** A plugin that records, in `log`, every phase hook it sees. */
function recorder(log: string[], name = "recorder"): EncoderPlugin {
  return {
    apply(encoder) {
      for (const phase of PHASES) encoder.hooks[phase].tap(name, () => void log.push(phase));
      encoder.hooks.done.tap(name, () => void log.push("done"));
      encoder.hooks.failed.tap(name, (_e, err) => void log.push(`failed:${err.code}`));
    },
  };
}

function failing(hook: "types" | "finalize", how: "sync" | "promise" | "async", error: unknown): EncoderPlugin {
  return {
    apply(encoder) {
      const h = encoder.hooks[hook];
      if (how === "sync") h.tap("breaker", () => { throw error; });
      if (how === "promise") h.tapPromise("breaker", async () => { throw error; });
      if (how === "async") h.tapAsync("breaker", (_e, callback) => callback(error as Error));
    },
  };
}

describe("phases", () => {
  test("run in order, then done", async () => {
    const log: string[] = [];
    const encoding = await new Encoder({ plugins: [recorder(log)] }).run("input.o");
    expect(log).toEqual([...PHASES, "done"]);
    expect(encoding).toBeInstanceOf(Encoding);
    expect(encoding.step).toBeUndefined();
  });

  test("until stops after the named phase, done still runs", async () => {
    const log: string[] = [];
    await new Encoder({ plugins: [recorder(log)] }).run("input.o", { until: "dwarf" });
    expect(log).toEqual(["load", "dwarf", "done"]);
  });

  test("finalize taps run by stage, whatever the order they were tapped in", async () => {
    const order: string[] = [];
    const plugin: EncoderPlugin = {
      apply(encoder) {
        const tap = (name: string, stage: number) => encoder.hooks.finalize.tap({ name, stage }, () => void order.push(name));
        tap("verify", FINALIZE_STAGE.VERIFY);
        tap("dedup", FINALIZE_STAGE.DEDUP);
        tap("after-dedup", FINALIZE_STAGE.DEDUP + 10);
        tap("compat", FINALIZE_STAGE.COMPAT);
        tap("normalize", FINALIZE_STAGE.NORMALIZE);
      },
    };
    await new Encoder({ plugins: [plugin] }).run("input.o");
    expect(order).toEqual(["normalize", "dedup", "after-dedup", "compat", "verify"]);
  });

  test("timings: every phase that ran and every tap, measured by core", async () => {
    const slow: EncoderPlugin = {
      apply(encoder) {
        encoder.hooks.types.tapPromise("slow", () => new Promise((r) => setTimeout(r, 30)));
      },
    };
    const encoding = await new Encoder({ plugins: [slow] }).run("input.o", { until: "symbols" });
    expect(Object.keys(encoding.timings.phases)).toEqual(["load", "dwarf", "types", "symbols", "done"]);
    expect(encoding.timings.phases.types).toBeGreaterThanOrEqual(25);
    expect(encoding.timings.taps).toEqual([{ hook: "types", plugin: "slow", ms: expect.any(Number) }]);
    expect(encoding.timings.taps[0].ms).toBeGreaterThanOrEqual(25);
  });

  test("trace lines come from core's interceptors", async () => {
    const lines: string[] = [];
    const log: string[] = [];
    await new Encoder({ plugins: [recorder(log, "rec")], trace: (l) => lines.push(l) }).run("x", { until: "load" });
    expect(lines[0]).toMatch(/^\[rec\] load: \d+\.\d ms$/);
    expect(lines).toContainEqual(expect.stringMatching(/^load: \d+\.\d ms$/));
  });

  test("Compiler and Compilation are the same classes as Encoder and Encoding", () => {
    expect(Compiler).toBe(Encoder);
    expect(Compilation).toBe(Encoding);
  });

  test("hooks are frozen: plugins add extension points elsewhere", () => {
    const encoder = new Encoder();
    expect(Object.isFrozen(encoder.hooks)).toBe(true);
  });
});

describe("failures", () => {
  for (const how of ["sync", "promise", "async"] as const) {
    test(`a ${how} tap that throws: BtforgeError naming plugin, hook and phase; failed then done run`, async () => {
      const log: string[] = [];
      const run = new Encoder({ plugins: [recorder(log), failing("types", how, new Error("boom"))] }).run("input.o");
      const err = (await run.catch((e: unknown) => e)) as BtforgeError;
      expect(err).toBeInstanceOf(BtforgeError);
      expect(err.code).toBe("PLUGIN_FAILED");
      expect(err.plugin).toBe("breaker");
      expect(err.hook).toBe("types");
      expect(err.phase).toBe("types");
      expect(err.message).toContain("boom");
      expect((err.cause as Error).message).toBe("boom");
      expect(log).toEqual(["load", "dwarf", "types", "failed:PLUGIN_FAILED", "done"]);
    });
  }

  test("an error that names no file gets the input's: a plugin's own exception, a BTF error about type ids", async () => {
    const plain = (await new Encoder({ plugins: [failing("types", "sync", new Error("boom"))] }).run("in.o").catch((e: unknown) => e)) as BtforgeError;
    expect(plain.message).toBe('in.o: plugin "breaker" failed in types: boom');
    expect(plain.location?.file).toBe("in.o");
    const btf = new BtfError("BTF_BAD_TYPE_ID", "type 6 is part of a reference loop", { typeId: 23 });
    const typed = (await new Encoder({ plugins: [failing("finalize", "sync", btf)] }).run("in.o").catch((e: unknown) => e)) as BtforgeError;
    expect(typed.message).toBe("in.o: type 23: type 6 is part of a reference loop");
    expect(typed.location).toMatchObject({ file: "in.o", typeId: 23 });
  });

  test("a reader error keeps its code, location and wording", async () => {
    const elfError = new ElfError("ELF_TRUNCATED", "section header table runs past the end", { file: "x.o", section: ".debug_info", offset: 0x40 });
    const err = (await new Encoder({ plugins: [failing("types", "sync", elfError)] }).run("x.o").catch((e: unknown) => e)) as BtforgeError;
    expect(err.code).toBe("ELF_TRUNCATED");
    expect(err.location).toEqual({ file: "x.o", section: ".debug_info", offset: 0x40, unit: undefined, die: undefined, typeId: undefined });
    expect(err.message).toBe(elfError.message);
    expect(err.plugin).toBe("breaker");
    expect(formatError(err)).toBe(`btforge: ${elfError.message}`);
    expect(formatError(err, { verbose: true, debug: false }).split("\n")).toEqual([
      `btforge: ${elfError.message}`,
      "  in plugin breaker, hook types, phase types [ELF_TRUNCATED]",
      `  caused by ElfError: ${elfError.message} [ELF_TRUNCATED]`,
    ]);
  });

  test("a throwing failed or done tap does not hide the original error; it becomes a warning", async () => {
    let seen: Encoding | undefined;
    const plugin: EncoderPlugin = {
      apply(encoder) {
        encoder.hooks.symbols.tap("a", () => { throw new Error("first"); });
        encoder.hooks.failed.tap("b", (e) => { seen = e; throw new Error("second"); });
        encoder.hooks.done.tap("c", () => { throw new Error("third"); });
      },
    };
    const err = (await new Encoder({ plugins: [plugin] }).run("in").catch((e: unknown) => e)) as BtforgeError;
    expect(err.message).toContain("first");
    expect(seen!.error).toBe(err);
    expect(seen!.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("second"),
      expect.stringContaining("third"),
    ]);
  });

  test("a throwing done tap after success fails the run and runs failed (not done again)", async () => {
    const log: string[] = [];
    const plugin: EncoderPlugin = {
      apply(encoder) {
        encoder.hooks.done.tap("closer", () => { log.push("done"); throw new Error("cannot close"); });
        encoder.hooks.failed.tap("closer", (_e, err) => void log.push(`failed:${err.hook}`));
      },
    };
    await expect(new Encoder({ plugins: [plugin] }).run("in", { until: "load" })).rejects.toThrow(/cannot close/);
    expect(log).toEqual(["done", "failed:done"]);
  });

  test("a plugin whose apply throws is named", () => {
    class Broken {
      apply(): void {
        throw new Error("bad apply");
      }
    }
    expect(() => new Encoder({ plugins: [new Broken()] })).toThrow(expect.objectContaining({ plugin: "Broken", hook: "apply", code: "PLUGIN_FAILED" }));
  });

  test("asking for the ELF before the load phase produced it names what is missing", async () => {
    const plugin: EncoderPlugin = { apply: (e) => e.hooks.types.tap("needs-elf", (enc) => void enc.elf) };
    const err = (await new Encoder({ plugins: [plugin] }).run("in.o").catch((e: unknown) => e)) as BtforgeError;
    expect(err.code).toBe("NOT_LOADED");
    expect(formatError(err)).toBe("btforge: in.o: the ELF file is not loaded (the load phase loads it: is its plugin missing?)");
  });
});

describe("extension points", () => {
  test("includeSection / includeVariable: first opinion wins, no opinion means no", async () => {
    const plugin: EncoderPlugin = {
      apply(encoder) {
        encoder.hooks.includeSection.tap("percpu", (_e, s) => (s.name === ".data..percpu" ? true : undefined));
        encoder.hooks.includeSection.tap("never-bss", (_e, s) => (s.name === ".bss" ? false : undefined));
        encoder.hooks.includeVariable.tap("no-underscore", (_e, v) => (v.name.startsWith("__") ? false : undefined));
        encoder.hooks.types.tap("ask", (e) => {
          const section = (name: string) => ({ index: 1, name, type: 1, flags: 0n, addr: 0n, offset: 0, size: 0, link: 0, info: 0, addralign: 1, entsize: 0 });
          e.artifacts.set("answers", [
            e.includesSection(section(".data..percpu")),
            e.includesSection(section(".bss")),
            e.includesSection(section(".data")),
            e.includesVariable({ name: "__x", section: ".data", address: 0n, size: 4 }),
            e.includesVariable({ name: "x", section: ".data", address: 0n, size: 4 }),
          ]);
        });
      },
    };
    const encoding = await new Encoder({ plugins: [plugin] }).run("in", { until: "types" });
    expect(encoding.artifacts.get("answers")).toEqual([true, false, false, false, false]);
  });

  test("dieEncoder: a HookMap by tag, unused tags cost nothing, failures name the tag", async () => {
    const DW_TAG_base_type = 0x24;
    const encoder = new Encoder({
      plugins: [{ apply: (e) => e.hooks.dieEncoder.for(DW_TAG_base_type).tap("ints", () => { throw new Error("no width"); }) }],
    });
    expect(encoder.hooks.dieEncoder.get(0x13)).toBeUndefined();
    const hook = encoder.hooks.dieEncoder.get(DW_TAG_base_type)!;
    expect(hook.isUsed()).toBe(true);
    const encoding = await encoder.run("in", { until: "types" });
    let err: BtforgeError | undefined;
    try {
      hook.call(encoding, undefined as never);
    } catch (e) {
      err = e as BtforgeError;
    }
    expect(err).toBeInstanceOf(BtforgeError);
    expect(err!.hook).toBe("dieEncoder[DW_TAG_base_type]");
    expect(err!.plugin).toBe("ints");
  });
});
