import { describe, expect, it } from "vitest";
import { columnDecimals, metricColumnFormat } from "../../src/experiments/metric-column.js";

describe("the decimals of a column of metrics", () => {
  it("gives four significant digits of the value that needs the most", () => {
    expect(columnDecimals([0.8973, 0.9015, null])).toBe(4);
    expect(columnDecimals([3.512, 2.9])).toBe(3);
    expect(columnDecimals([12.5, -47.25])).toBe(2);
    expect(columnDecimals([1234, 5678])).toBe(0);
    expect(columnDecimals([1234, 999])).toBe(1);
    expect(columnDecimals([0.00123])).toBe(6);
  });

  it("writes a whole number with the decimals of the values beside it", () => {
    const format = metricColumnFormat([1, 0.9875, null]);
    expect([format(1), format(0.9875)]).toEqual(["1.0000", "0.9875"]);
  });

  it("keeps four decimals when there is nothing to measure", () => {
    expect(columnDecimals([null, null])).toBe(4);
    expect(columnDecimals([0, 0])).toBe(4);
  });

  it("ignores values that are not finite and bounds very small ones", () => {
    expect(columnDecimals([Number.NaN, 0.5])).toBe(4);
    expect(columnDecimals([1e-12])).toBe(8);
    expect(metricColumnFormat([0.5])(Number.NaN)).toBe("NaN");
  });
});
