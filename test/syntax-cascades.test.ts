import { describe, expect, it } from "vitest";
import { withoutSyntaxCascades } from "../src/compiler/diagnostics/syntax-cascades.js";
import { check, parse } from "../src/compiler/index.js";
import type { Diagnostic } from "../src/compiler/index.js";
import type { Code } from "../src/compiler/diagnostics/messages.js";
import { applyFix, diagnose, summarize } from "./support/diagnose.js";
import { contractExamples } from "./support/examples.js";

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

  describe("a call left open at the end of its line", () => {
    /** The contract example, a call as it is written there, the call left open (its line the first), and what closes it. */
    const cases: Array<[string, string, string, string, string]> = [
      ["`flatten(` before a named layer", "a", "  flatten()", "  flatten(", ")"],
      ["a layer's arguments", "a", "dense(512, activation: relu)", "dense(512, activation: relu", ")"],
      ["a nested call, a comment after it", "e", "transpose(enc.kernel))", "transpose(enc.kernel", "))"],
      ["a list in a call", "b", "scale: [0.9, 1.1])", "scale: [0.9, 1.1", "])"],
      ["`(` before a setting's line", "a", "sgd(lr: 0.01, momentum: 0.9)", "sgd(", ")"],
      ["`(` before the block's `}`", "a", "out = dense(10)\n}", "out = dense(\n}", ")"],
    ];
    for (const [what, letter, written, open, closing] of cases) {
      it(`is one error at that line's end, with the fix that closes it, and the next line is read on its own: ${what}`, () => {
        const { text: valid, path } = contractExamples().find((e) => e.name.startsWith(`${letter}-`))!;
        const text = valid.replace(written, open);
        const lineEnd = text.indexOf(open) + open.split("\n")[0]!.length;
        const found = diagnose(text, path);
        expect(found.map((d) => d.code)).toEqual(["REG0001"]);
        expect(found[0]!.message).toBe(`expected \`${closing[0]}\`, found the end of the line`);
        // At the line break, past any comment.
        expect(found[0]!.span.start).toBeGreaterThanOrEqual(lineEnd);
        expect(text.slice(lineEnd, found[0]!.span.start)).not.toContain("\n");
        expect(found[0]!.fix!.edits).toEqual([{ span: { start: lineEnd, end: lineEnd }, newText: closing }]);
        expect(diagnose(applyFix(text, found[0]!), path).filter((d) => d.code.startsWith("REG0"))).toEqual([]);
      });
    }

    it("is still a call spread over lines where the lines after it may go on with it, at any indentation", () => {
      const { text: valid, path } = contractExamples().find((e) => e.name.startsWith("b-"))!;
      const spread = valid
        .replace("augment(rotate: 10deg, translate: 2px, scale: [0.9, 1.1])", "augment(\n    rotate: 10deg,\n    translate: 2px, scale: [\n      0.9, 1.1]\n  )")
        .replace("fgsm(eps: 0.1, weight: 0.5)", "fgsm(\n  eps: 0.1, weight: 0.5)")
        .replace("adam(lr: 1e-3)", "adam(\n    lr: 1e-3\n  )");
      expect(diagnose(spread, path)).toEqual([]);
      const E = contractExamples().find((e) => e.name.startsWith("e-"))!;
      const argumentBelow = E.text.replace("tie(dec.kernel, transpose(enc.kernel))", "tie(dec.kernel,\ntranspose(\nenc.kernel))");
      expect(diagnose(argumentBelow, E.path)).toEqual([]);
      const statements = (text: string) => parse(text).ast.blocks.map((b) => ("body" in b ? b.body.length : 0));
      expect(statements(spread)).toEqual(statements(valid));
    });
  });
});
