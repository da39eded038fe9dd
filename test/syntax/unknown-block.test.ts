import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/compiler/index.js";
import { BLOCK_WORDS } from "../../src/compiler/syntax/lexer.js";
import { applyFix, diagnose, summarize } from "../support/diagnose.js";
import { contractExamples, EXAMPLES_DIR } from "../support/examples.js";

/**
 * A top-level line that starts with a word no block starts with is one
 * error at that word; the block it opens is skipped whole, and the rest of
 * the file is checked as if it were not there.
 */

/** The keyword with its second letter dropped: `dta`, `mdel`, `tsk`, `tain`, `rgularize`, `tne`. */
function misspelled(keyword: string): string {
  return keyword[0] + keyword.slice(2);
}

const A = contractExamples().find((e) => e.name.startsWith("a-"))!;

describe("a block of an unknown kind", () => {
  for (const example of contractExamples()) {
    it(`is the one syntax error of ${example.name} with any of its block keywords misspelled, and nothing it may hold is reported missing`, () => {
      for (const block of parse(example.text).ast.blocks) {
        const keyword = example.text.slice(block.span.start).match(/^\w+/)![0];
        const text = example.text.slice(0, block.span.start) + misspelled(keyword) + example.text.slice(block.span.start + keyword.length);
        const diagnostics = diagnose(text, example.path);
        const found = summarize(text, diagnostics);
        // What the skipped block may hold is not reported missing either: a classify task, a penalty, the tune block.
        const others = found.filter((d) => !d.startsWith("REG0006"));
        expect({ found: found.filter((d) => d.startsWith("REG0006")), others }, `${keyword} at ${block.span.start}`).toEqual({ found: [`REG0006 ${misspelled(keyword)}`], others: [] });
        const unknown = diagnostics.find((d) => d.code === "REG0006")!;
        expect(unknown.hint).toBe(`did you mean \`${keyword}\`?`);
        expect(applyFix(text, unknown)).toBe(example.text);
      }
    });
  }

  it("misspelt `tune` leaves the spec's search spaces unreported, as the block they need may be it", () => {
    const path = join(EXAMPLES_DIR, "tuning", "a-dropout-maxnorm.reg");
    const text = readFileSync(path, "utf8").replace(/^tune \{/m, "tne {");
    expect(summarize(text, diagnose(text, path))).toEqual(["REG0006 tne"]);
  });

  it("is skipped to its `}`, so no block is read inside it (`split train: …` is no `train` block)", () => {
    const text = A.text.replace("data digits", "dta digits");
    expect(summarize(text, diagnose(text, A.path))).toEqual(["REG0006 dta"]);
    expect(parse(text).ast.blocks.map((b) => b.kind)).toEqual(["ModelBlock", "TaskDecl", "TrainBlock", "RegularizeBlock"]);
  });

  it("keeps its name, so the uses of that name are not reported, while the rest of the file is checked", () => {
    const text = A.text.replace("data digits", "dta digits").replace("classify(mlp.out,", "classify(mlp.outt,");
    expect(summarize(text, diagnose(text, A.path))).toEqual(["REG0006 dta", "REG1005 outt"]);
    const [unknown] = parse(text).ast.unknownBlocks;
    expect(unknown?.name?.name).toBe("digits");
    expect(text.slice(unknown!.span.start, unknown!.span.end)).toMatch(/^dta digits \{[^}]*\}$/);
  });

  it("names the keyword meant, spelt another way or longer", () => {
    for (const [written, meant] of [["regularise", "regularize"], ["training", "train"], ["Model", "model"]] as const) {
      const text = A.text.replace(new RegExp(`^${meant}\\b`, "m"), written);
      const diagnostics = diagnose(text, A.path);
      expect(summarize(text, diagnostics)).toEqual([`REG0006 ${written}`]);
      expect(diagnostics[0]!.hint).toBe(`did you mean \`${meant}\`?`);
    }
  });

  it("lists the block keywords where none is near, and takes a `{` on the line below as its own", () => {
    const text = "widget digits\n{\n  train 3\n}\n";
    const diagnostics = diagnose(text);
    expect(summarize(text, diagnostics)).toEqual(["REG0006 widget"]);
    expect(diagnostics[0]!.hint).toBe(`expected one of: ${BLOCK_WORDS.map((w) => `\`${w}\``).join(", ")}`);
  });

  it("without its keyword is one error at its `{`, not one per line of its body", () => {
    const text = A.text.replace("train {", "{");
    const diagnostics = diagnose(text, A.path);
    expect(summarize(text, diagnostics)).toEqual(["REG0001 {"]);
    expect(diagnostics[0]!.message).toBe("unexpected `{` at top level: expected a block (data, model, task, train, regularize or tune)");
  });

  it("is not what a statement outside any block is, where a stray `}` ended its block early", () => {
    const text = A.text.replace("  flatten()\n", "  flatten()\n}\n");
    const errors = parse(text).diagnostics;
    expect(summarize(text, errors)).toEqual(["REG0001 h1", "REG0001 dropout", "REG0001 h2", "REG0001 dropout", "REG0001 out", "REG0001 }"]);
    expect(errors[0]!.hint).toContain("outside any block");
  });
});
