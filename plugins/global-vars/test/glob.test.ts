// Section and name patterns: globs (*, ?, [abc], [!abc], [a-z]) and /regular expressions/.
import { describe, expect, test } from "vitest";
import { globToRegExp, matchesAny, namePattern } from "../src/index.js";

describe("globToRegExp", () => {
  const matches = (glob: string, name: string) => globToRegExp(glob).test(name);

  test("* and ? over section names; every other character is literal", () => {
    expect(matches("*", ".data..percpu")).toBe(true);
    expect(matches(".data*", ".data..read_mostly")).toBe(true);
    expect(matches(".data*", ".rodata")).toBe(false);
    expect(matches(".init.*", ".init.data")).toBe(true);
    expect(matches(".init.*", "xinit.data")).toBe(false); // the dot is not "any character"
    expect(matches(".bs?", ".bss")).toBe(true);
    expect(matches(".bs?", ".bsss")).toBe(false);
    expect(matches("a+b(c)|d^$", "a+b(c)|d^$")).toBe(true);
    expect(matches("a+b", "aab")).toBe(false);
  });

  test("character classes, negated ones, and an unclosed bracket", () => {
    expect(matches(".[bd]ss", ".bss")).toBe(true);
    expect(matches(".[bd]ss", ".css")).toBe(false);
    expect(matches(".[!b]ss", ".css")).toBe(true);
    expect(matches(".[!b]ss", ".bss")).toBe(false);
    expect(matches("x[a-c]", "xb")).toBe(true);
    expect(matches("x[", "x[")).toBe(true);
  });
});

describe("namePattern", () => {
  test("/source/flags is a regular expression, anything else a glob", () => {
    expect(namePattern("/^init_/").test("init_task")).toBe(true);
    expect(namePattern("/^init_/").test("xinit_task")).toBe(false);
    expect(namePattern("/CPU/i").test("percpu_ref")).toBe(true);
    expect(namePattern("*_ops").test("tcp_ops")).toBe(true);
    expect(namePattern("*_ops").test("tcp_ops2")).toBe(false);
    expect(matchesAny([namePattern("a*"), namePattern("/z$/")], "quiz")).toBe(true);
    expect(matchesAny([], "x")).toBe(false);
  });
});
