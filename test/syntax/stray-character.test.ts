import { describe, expect, it } from "vitest";
import { applyFix, diagnose, summarize } from "../support/diagnose.js";
import { contractExamples } from "../support/examples.js";

/**
 * A character the lexer cannot read is one error (REG0002), with how to
 * repair it; its line is read on as if it were not there, or, for a
 * look-alike of an ASCII character, as if it were that character, so what
 * else is wrong on the line is still reported.
 */

const A = contractExamples().find((e) => e.name.startsWith("a-"))!;

describe("a stray character", () => {
  for (const stray of ["@", "\u0001", "\u200b"]) {
    it(`${JSON.stringify(stray)} before a block's keyword leaves the block checked`, () => {
      const text = `${stray} data x {\n  source mnist\n}\n`;
      const found = diagnose(text);
      expect(found.map((d) => d.code)).toEqual(["REG0002", "REG2008", "REG2008"]);
      expect(found.slice(1).map((d) => d.message)).toEqual(["data `x` needs the `target` setting", "data `x` needs the `split` setting"]);
    });
  }

  it("curly quotes around a path are read as the string they stand for: one error for each quote, none inside", () => {
    const F = contractExamples().find((e) => e.name.startsWith("f-"))!;
    const text = F.text.replace('csv("data/wide.csv")', "csv(\u201cdata/wide.csv\u201d)");
    expect(summarize(text, diagnose(text, F.path))).toEqual(["REG0002 \u201c", "REG0002 \u201d"]);
  });

  it("curly quotes around a string are both replaced by the fix of either, which leaves the spec as written with straight quotes", () => {
    const F = contractExamples().find((e) => e.name.startsWith("f-"))!;
    for (const [open, close] of [["\u201c", "\u201d"], ["\u2018", "\u2019"], ["\u00ab", "\u00bb"]]) {
      const text = F.text.replace('csv("data/wide.csv")', `csv(${open}data/wide.csv${close})`);
      const found = diagnose(text, F.path);
      expect(found.map((d) => d.fix?.title)).toEqual(['Replace both quotes of the string with `"`', 'Replace both quotes of the string with `"`']);
      for (const quote of found) expect(applyFix(text, quote)).toBe(F.text);
    }
  });

  it("a curly quote whose string a straight quote closes is replaced alone", () => {
    const F = contractExamples().find((e) => e.name.startsWith("f-"))!;
    const text = F.text.replace('csv("data/wide.csv")', 'csv(\u201cdata/wide.csv")');
    const [quote, ...rest] = diagnose(text, F.path);
    expect(rest).toEqual([]);
    expect(quote!.fix?.title).toBe('Replace it with `"`');
    expect(applyFix(text, quote!)).toBe(F.text);
  });

  it("before a task leaves its references checked", () => {
    const text = A.text.replace("task digit = classify(mlp.out,", "@ task digit = classify(mlp.outt,");
    expect(summarize(text, diagnose(text, A.path))).toEqual(["REG0002 @", "REG1005 outt"]);
  });

  it("inside a block leaves the rest of its statement checked", () => {
    const text = A.text.replace("  split  train: 1000, val: 500, test: 2000", "  @split  train: 1000, vall: 500, test: 2000");
    expect(summarize(text, diagnose(text, A.path)).slice(0, 2)).toEqual(["REG0002 @", "REG1004 vall"]);
  });

  for (const stray of ["$", "\u200b", "@@"]) {
    it(`${JSON.stringify(stray)} inside a word is its one finding: the word is read whole, as it reads without it`, () => {
      const named = A.text.replace("h1  = dense(512", `h1  = den${stray}se(512`);
      expect(summarize(named, diagnose(named, A.path))).toEqual([`REG0002 ${stray}`]);
      const unnamed = A.text.replace("  dropout(0.5)\n  out", `  dense(units: 64)\n  drop${stray}out(0.5)\n  out`);
      expect(summarize(unnamed, diagnose(unnamed, A.path))).toEqual([`REG0002 ${stray}`]);
    });
  }

  it("inside a word leaves the word and the rest of its statement checked, the word's span holding the character", () => {
    const text = A.text.replace("h1  = dense(512, activation: relu)", "h1  = den$sx(512, activation: relu)").replace("h2  = dense(512, activation: relu)", "h2  = den$se(5$12, activation: reluu)");
    expect(summarize(text, diagnose(text, A.path))).toEqual(["REG1002 den$sx", "REG0002 $", "REG0002 $", "REG0002 $", "REG1010 reluu"]);
  });

  it("inside a word is read past, but not `#` or `;`, which end what comes before them", () => {
    const text = A.text.replace("h1  = dense(512", "h1  = den#se(512");
    expect(summarize(text, diagnose(text, A.path))[0]).toBe("REG1002 den");
  });

  it("is to be removed, with the fix that removes it", () => {
    const text = A.text.replace("task digit", "@ task digit");
    const [stray] = diagnose(text, A.path);
    expect(stray!.hint).toBe("remove it: it has no meaning in `.reg`");
    expect(applyFix(text, stray!)).toBe(A.text.replace("task digit", " task digit"));
  });

  it("is named by its code point where it is invisible", () => {
    const [stray] = diagnose("\u0001 data x {\n}\n");
    expect(stray!.hint).toBe("this is an invisible character (U+0001): remove it");
  });

  it("that looks like an ASCII character is named, read as that character, and replaced by the fix", () => {
    const text = A.text.replace("split  train: 1000", "split  train\uff1a 1000").replace("classify(mlp.out, digits.label)", "classify(mlp.out, digits.label, weight: \u20131)");
    const found = diagnose(text, A.path);
    expect(summarize(text, found)).toEqual(["REG0002 \uff1a", "REG0002 \u2013", "REG2001 \u20131"]);
    expect(found.slice(0, 2).map((d) => d.hint)).toEqual(["this is a full-width form (U+FF1A), not `:`: write `:` instead", "this is an en dash (U+2013), not `-`: write `-` instead"]);
    expect(applyFix(applyFix(text, found[1]!), found[0]!)).toBe(A.text.replace("digits.label)", "digits.label, weight: -1)"));
    const curly = A.text.replace("optimizer sgd(", "optimizer \u201csgd\u201d(");
    expect(diagnose(curly, A.path)[0]!.hint).toBe('this is a left curly quote (U+201C), not `"`: write `"` instead');
  });
});
