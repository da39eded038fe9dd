import { describe, expect, it } from "vitest";
import { diagnose } from "./support/diagnose.js";
import { contractExamples } from "./support/examples.js";

/**
 * A data setting written misspelt (`traget`, `splt`) is one error, REG1003
 * with the setting meant: nothing it would have declared or changed is
 * then reported missing (a target, a split a metric watches, a missing-value
 * policy, normalization).
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
