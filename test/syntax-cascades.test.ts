import { describe, expect, it } from "vitest";
import { withoutSyntaxCascades } from "../src/compiler/diagnostics/syntax-cascades.js";
import { check } from "../src/compiler/index.js";
import type { Diagnostic } from "../src/compiler/index.js";
import type { Code } from "../src/compiler/diagnostics/messages.js";

function at(start: number, code: Code = "REG1004"): Diagnostic {
  return { code, severity: "error", message: "bad", span: { start, end: start + 1 } };
}

describe("syntax cascades", () => {
  it("keep a line's first syntax error and what precedes it, and drop what follows it on that line only", () => {
    const text = "a b c\nd e\n";
    const syntaxError = at(2, "REG0001");
    const kept = withoutSyntaxCascades(text, [at(0), syntaxError, at(4), at(6)], new Set([syntaxError]));
    expect(kept.map((d) => d.span.start)).toEqual([0, 2, 6]);
  });

  it("drop a finding of the checker's that runs into the line's first syntax error, which judges what recovery made of the text", () => {
    const text = "a --3\nd e\n";
    const syntaxError = at(3, "REG0001");
    const intoIt: Diagnostic = { ...at(2, "REG2001"), span: { start: 2, end: 5 } };
    const before: Diagnostic = { ...at(0, "REG1003"), span: { start: 0, end: 1 } };
    const kept = withoutSyntaxCascades(text, [before, intoIt, syntaxError, at(6)], new Set([syntaxError]));
    expect(kept.map((d) => d.code)).toEqual(["REG1003", "REG0001", "REG1004"]);
  });

  it("drop the checker's own syntax findings before a parser error on its line, which judge recovery's reading", () => {
    const text = "a b c\nd e\n";
    const parserError = at(4, "REG0001");
    const kept = withoutSyntaxCascades(text, [at(0), at(2, "REG0001"), parserError, at(6, "REG0001"), at(8)], new Set([parserError]));
    expect(kept.map((d) => d.span.start)).toEqual([0, 4, 6, 8]);
  });

  it("point at the second statement of a line that joins two, not at the word recovery took for a qualifier", () => {
    const text = 'data d { source csv("pens.csv")\n  features all target sp = class(species) }\n';
    const errors = check(text).diagnostics.filter((d) => d.code.startsWith("REG0"));
    expect(errors.map((d) => text.slice(d.span.start, d.span.end))).toEqual(["sp"]);
    expect(errors[0]!.message).toContain("one statement per line");
  });
});
