import { describe, expect, it } from "vitest";
import { mean, pairedDifferences, sampleSd, studentTCdf, studentTQuantile, tInterval, verdict } from "../../src/experiments/statistics.js";

describe("statistics", () => {
  it("mean and sample sd by hand: 2, 4, 4, 4, 5, 5, 7, 9 has mean 5 and sd √(32/7)", () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    expect(mean(values)).toBe(5);
    expect(sampleSd(values)).toBeCloseTo(Math.sqrt(32 / 7), 12);
    expect(sampleSd([3])).toBeNaN();
  });

  it("pairs values that share a seed and skips a missing or non-finite one", () => {
    expect(pairedDifferences([0.9, 0.8, undefined, 0.7], [0.85, 0.9, 0.5, NaN])).toEqual([0.9 - 0.85, 0.8 - 0.9]);
  });

  it("t quantiles match the printed table (two-sided 95%) and approach the normal's 1.96", () => {
    const table: Array<[number, number]> = [[1, 12.706], [2, 4.303], [3, 3.182], [4, 2.776], [9, 2.262], [29, 2.045], [120, 1.98]];
    for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 3);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4);
    expect(studentTQuantile(0.995, 5)).toBeCloseTo(4.032, 3);
  });

  it("the t distribution function has the closed forms of df 1 (Cauchy) and df 2", () => {
    for (const t of [-3, -0.5, 0, 0.7, 2, 10]) {
      expect(studentTCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 12);
      expect(studentTCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 12);
    }
  });

  it("the 95% interval of 1, 2, 3 is 2 ± 4.303·1/√3 (n − 1 = 2 degrees of freedom)", () => {
    const [low, high] = tInterval([1, 2, 3])!;
    const half = 4.302652729911275 / Math.sqrt(3);
    expect(low).toBeCloseTo(2 - half, 9);
    expect(high).toBeCloseTo(2 + half, 9);
    expect(tInterval([5])).toBeUndefined();
    expect(tInterval([0.25, 0.25, 0.25])).toEqual([0.25, 0.25]);
  });

  it("verdicts: an interval above 0 helps a higher-is-better metric and hurts a lower-is-better one; one holding 0 is unclear", () => {
    expect(verdict([0.01, 0.03], true)).toBe("helps");
    expect(verdict([0.01, 0.03], false)).toBe("hurts");
    expect(verdict([-0.03, -0.01], true)).toBe("hurts");
    expect(verdict([-0.03, -0.01], false)).toBe("helps");
    expect(verdict([-0.01, 0.02], true)).toBe("unclear");
    expect(verdict(undefined, true)).toBe("unclear");
  });
});
