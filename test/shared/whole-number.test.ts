import { describe, expect, it } from "vitest";
import { MAX_SEED, parseWholeNumber, WholeNumberError } from "../../src/shared/whole-number.js";

describe("parseWholeNumber", () => {
  it("reads digits within the range, its ends included, white space around them allowed", () => {
    expect(parseWholeNumber("--seed", "0", 0, MAX_SEED)).toBe(0);
    expect(parseWholeNumber("--seed", "4294967295", 0, MAX_SEED)).toBe(4_294_967_295);
    expect(parseWholeNumber("--threads", " 8 ", 1, 8)).toBe(8);
    expect(parseWholeNumber("--epochs", "007", 1)).toBe(7);
    expect(parseWholeNumber("--epochs", String(Number.MAX_SAFE_INTEGER), 1)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each(["", " ", "-1", "+3", "2.5", "1e3", "0x10", "two", "3 4", "Infinity"])("refuses `%s`, naming the source, the range and the text", (text) => {
    expect(() => parseWholeNumber("--workers", text, 1, 1024)).toThrow(new WholeNumberError(`--workers needs a whole number from 1 to 1024, not \`${text}\``));
  });

  it("refuses numbers outside the range; with no upper end, the range reads `≥ min`", () => {
    expect(() => parseWholeNumber("--seed", "4294967296", 0, MAX_SEED)).toThrow("--seed needs a whole number from 0 to 4294967295, not `4294967296`");
    expect(() => parseWholeNumber("--threads", "0", 1, 8)).toThrow(WholeNumberError);
    expect(() => parseWholeNumber("--member", "0", 1)).toThrow("--member needs a whole number ≥ 1, not `0`");
    expect(() => parseWholeNumber("--epochs", "9007199254740993", 1)).toThrow("--epochs needs a whole number ≥ 1, not `9007199254740993`");
  });
});
