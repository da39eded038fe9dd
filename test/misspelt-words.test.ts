import { describe, expect, it } from "vitest";
import { diagnose } from "./support/diagnose.js";
import { contractExamples } from "./support/examples.js";

/**
 * A word written misspelt is one error, with the word meant: a data
 * setting (`traget`, `splt`), after which nothing it would have declared or
 * changed is reported missing (a target, a split a metric watches, a
 * missing-value policy, normalization); a layer, technique, optimizer or
 * other call, after which nothing is judged of what it would have been.
 */

/** The word with its second letter dropped: `traget` aside, as typing slips do. */
const misspelt = (word: string) => word[0] + word.slice(2);

describe("a misspelt data setting", () => {
  for (const example of contractExamples()) {
    it(`of ${example.name}, each in turn, is its one finding`, () => {
      const lines = example.text.split("\n");
      let inData = false;
      const tried: string[] = [];
      lines.forEach((line, i) => {
        if (line.startsWith("data ")) inData = true;
        else if (line.startsWith("}")) inData = false;
        const setting = inData ? /^ {2}([a-z_]+)/.exec(line)?.[1] : undefined;
        if (!setting) return;
        const edited = lines.map((text, j) => (j === i ? text.replace(setting, misspelt(setting)) : text)).join("\n");
        expect(diagnose(edited, example.path).map((d) => d.code), `${setting} → ${misspelt(setting)}`).toEqual(["REG1003"]);
        tried.push(setting);
      });
      expect(tried).toContain("split");
    });
  }
});

describe("a misspelt call", () => {
  for (const example of contractExamples()) {
    it(`of ${example.name}, each layer, technique, optimizer and function in turn, is its one finding`, () => {
      // A call's name and its `(`; a model's own name (`model mlp(…)`) is a declaration, renamed rather than misspelt.
      const calls = [...example.text.matchAll(/(?<!model )\b([a-z_][a-z0-9_]{2,})\(/g)];
      expect(calls.length).toBeGreaterThan(3);
      for (const call of calls) {
        const word = call[1]!;
        const edited = example.text.slice(0, call.index) + misspelt(word) + example.text.slice(call.index + word.length);
        expect(diagnose(edited, example.path).map((d) => d.code), `${word} → ${misspelt(word)} at ${call.index}`).toHaveLength(1);
      }
    });
  }
});

it("a misspelt ridge term under `solver closed_form` is its one finding, not also a solve without one", () => {
  const F = contractExamples().find((e) => e.name.startsWith("f-"))!;
  const text = F.text.replace("  l2(0.1)", "  l2x(0.1)");
  expect(diagnose(text, F.path).map((d) => d.code)).toEqual(["REG1001"]);
});
