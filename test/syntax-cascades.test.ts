import { describe, expect, it } from "vitest";
import { withoutSyntaxCascades } from "../src/compiler/diagnostics/syntax-cascades.js";
import type { Diagnostic } from "../src/compiler/index.js";
import type { Code } from "../src/compiler/diagnostics/messages.js";

function at(start: number, code: Code = "REG1004"): Diagnostic {
  return { code, severity: "error", message: "bad", span: { start, end: start + 1 } };
}

describe("syntax cascades", () => {
  it("keep a line's first syntax error and what precedes it, and drop what follows it on that line only", () => {
    const text = "a b c\nd e\n";
    const kept = withoutSyntaxCascades(text, [at(0), at(2, "REG0001"), at(4), at(6)]);
    expect(kept.map((d) => d.span.start)).toEqual([0, 2, 6]);
  });

  it("are found in time linear in the text, however many errors one long line holds", () => {
    // One line of a megabyte with 20,000 errors: scanning back to the line's start for each took seconds.
    const text = `model m(d.input) { h = dense(1, ${"a: 1, ".repeat(170_000)}) }\n`;
    const diagnostics = Array.from({ length: 20_000 }, (_, i) => at(40 + i * 50));
    const started = performance.now();
    expect(withoutSyntaxCascades(text, [at(35, "REG0001"), ...diagnostics])).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
