import { describe, expect, it } from "vitest";
import { groupedDigits } from "../../src/shared/grouped-digits.js";
import { seededRandom } from "../support/random.js";

describe("digits grouped in threes", () => {
  it("writes what toLocaleString writes in en-US for whole numbers of every length and sign", () => {
    const random = seededRandom(7);
    const values = [0, 1, 12, 999, 1000, 1001, 99_999, 100_000, 999_999, 1_000_000, -1, -1000, -1_234_567, Number.MAX_SAFE_INTEGER];
    for (let digits = 1; digits <= 16; digits++) values.push(Math.floor(random() * 10 ** digits), -Math.floor(random() * 10 ** digits) || 0);
    for (const value of values) expect(groupedDigits(value), String(value)).toBe(value.toLocaleString("en-US", { maximumFractionDigits: 0 }));
  });

  it("rounds fractions to the nearest whole number first", () => {
    expect(groupedDigits(1234.4)).toBe("1,234");
    expect(groupedDigits(1234.5)).toBe("1,235");
    expect(groupedDigits(999_999.7)).toBe("1,000,000");
    expect(groupedDigits(-2.5)).toBe((-2.5).toLocaleString("en-US", { maximumFractionDigits: 0 }));
    expect(groupedDigits(-1234.5)).toBe("-1,235");
  });
});
