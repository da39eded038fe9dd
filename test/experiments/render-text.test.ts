import { describe, expect, it } from "vitest";
import { decimalsFor } from "../../src/experiments/ablation/render-text.js";

describe("the ablation table's number of decimals", () => {
  it("gives four significant digits of the largest value", () => {
    expect(decimalsFor([0.8973, 0.9015, null])).toBe(4);
    expect(decimalsFor([3.512, 2.9])).toBe(3);
    expect(decimalsFor([12.5, -47.25])).toBe(2);
    expect(decimalsFor([1234, 999])).toBe(0);
    expect(decimalsFor([0.00123])).toBe(6);
  });

  it("keeps four decimals when there is nothing to measure", () => {
    expect(decimalsFor([null, null])).toBe(4);
    expect(decimalsFor([0, 0])).toBe(4);
  });

  it("ignores values that are not finite and bounds very small ones", () => {
    expect(decimalsFor([Number.NaN, 0.5])).toBe(4);
    expect(decimalsFor([1e-12])).toBe(8);
  });
});
