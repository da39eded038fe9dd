import { describe, expect, it } from "vitest";
import { globMatch, globMatcher } from "../src/compiler/checker/glob.js";

/** What a glob meant when it was a regular expression: each `*` any run of characters, all else literal. */
function asRegExp(pattern: string, name: string): boolean {
  const source = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*");
  return new RegExp(`^${source}$`).test(name);
}

describe("globMatch", () => {
  it("matches the cases a regularize clause writes", () => {
    expect(globMatch("*.kernel", "h1.kernel")).toBe(true);
    expect(globMatch("*", "")).toBe(true);
    expect(globMatch("h*", "h")).toBe(true);
    expect(globMatch("h*", "out")).toBe(false);
    expect(globMatch("h*2", "h12")).toBe(true);
    expect(globMatch("h*2", "h21")).toBe(false);
    expect(globMatch("**", "anything")).toBe(true);
    expect(globMatch("a*b*c", "abc")).toBe(true);
    expect(globMatch("a*b*c", "acb")).toBe(false);
    expect(globMatch("kernel", "kernel")).toBe(true);
    expect(globMatch("kernel", "kernels")).toBe(false);
    expect(globMatch("k.rnel", "kernel")).toBe(false);
    expect(globMatch("(h)+*", "(h)+1")).toBe(true);
    expect(globMatch("é*", "écart")).toBe(true);
  });

  it("agrees with the regular expression it replaces on every pattern and name of a small alphabet", () => {
    const alphabet = ["a", "b", "*", "."];
    const words = (length: number): string[] => (length === 0 ? [""] : words(length - 1).flatMap((word) => alphabet.map((letter) => word + letter)));
    const patterns = [0, 1, 2, 3, 4].flatMap(words);
    const names = [0, 1, 2, 3, 4].flatMap(words).filter((name) => !name.includes("*"));
    const disagreements: string[] = [];
    for (const pattern of patterns) {
      const matches = globMatcher(pattern);
      for (const name of names) if (matches(name) !== asRegExp(pattern, name)) disagreements.push(`${pattern} on ${name}`);
    }
    expect(disagreements).toEqual([]);
  });

  it("answers at once where a backtracking match took seconds", { timeout: 3000 }, () => {
    const name = "a".repeat(42);
    expect(globMatch("a*".repeat(10) + "b", name)).toBe(false);
    expect(globMatch("a*".repeat(10) + "a", name)).toBe(true);
  });
});
