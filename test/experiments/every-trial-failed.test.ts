import { describe, expect, it } from "vitest";
import { everyTrialFailed } from "../../src/cli/every-trial-failed.js";

describe("an experiment whose every trial failed", () => {
  it("is an error with the reason its trials share, or the first of theirs", () => {
    expect(everyTrialFailed([{ status: "failed", reason: "no backend" }, { status: "failed", reason: "no backend" }])).toBe("every trial failed: no backend");
    expect(everyTrialFailed([{ status: "failed", reason: "out of memory" }, { status: "failed", reason: "no backend" }])).toBe("every trial failed; the first: out of memory");
  });

  it("is not one when any trial trained or diverged, or none ran", () => {
    expect(everyTrialFailed([{ status: "failed", reason: "x" }, { status: "ok" }])).toBeUndefined();
    expect(everyTrialFailed([{ status: "failed", reason: "x" }, { status: "diverged", reason: "NaN" }])).toBeUndefined();
    expect(everyTrialFailed([])).toBeUndefined();
  });
});
