import { describe, expect, it } from "vitest";
import type { TuningDocument, TuningPlan } from "../../../src/experiments/tuning/document.js";
import { renderTuningText } from "../../../src/experiments/tuning/render-text.js";

/** The tuning's summary in the terminal: counts read as a person writes them. */

const plan = {
  spec: "s.reg",
  method: "halving",
  objective: { metric: "val_accuracy", direction: "maximize" },
  trials: 1,
  seed: 0,
  spaces: [{ name: "m.h.units", kind: "choice", options: ["4", "8"] }],
  rungs: [1, 3],
  reduction: 3,
} as unknown as TuningPlan;

/** A finished tuning of `plan` with these trials, best and epochs. */
function tuning(fields: { epochsTrained: number; best: object; trials: object[] }): TuningDocument {
  return {
    version: 1,
    spec: "s.reg",
    method: "halving",
    objective: plan.objective,
    seed: 0,
    complete: true,
    runs: [],
    plan,
    ...fields,
  } as unknown as TuningDocument;
}

describe("the tuning's summary", () => {
  it("says `1 trial`, `1 epoch trained` and `after 1 epoch` in the singular", () => {
    const point = { "m.h.units": "4" };
    const document = tuning({
      epochsTrained: 1,
      best: { trial: 0, point, objective: 0.9, epochs: 1 },
      trials: [{ trial: 0, point, status: "ok", objective: 0.9, budget: 1, epochs: 1, runs: ["trial-0-1-epochs"] }],
    });
    const text = renderTuningText(document, "tuning/s-1", "regc tune --resume tuning/s-1");
    expect(text).toContain("seed 0, 1 trial, 1 epoch trained");
    expect(text).toContain("best: trial 0, val_accuracy 0.9000 after 1 epoch\n");
  });

  it("writes every objective in the table, and the best, with the same decimals", () => {
    const points = [{ "m.h.units": "4" }, { "m.h.units": "8" }];
    const document = tuning({
      epochsTrained: 6,
      best: { trial: 1, point: points[1], objective: 1, epochs: 3 },
      trials: [
        { trial: 0, point: points[0], status: "ok", objective: 0.9875, budget: 3, epochs: 3, runs: ["trial-0-3-epochs"] },
        { trial: 1, point: points[1], status: "ok", objective: 1, budget: 3, epochs: 3, runs: ["trial-1-3-epochs"] },
      ],
    });
    const text = renderTuningText(document, "tuning/s-1", "regc tune --resume tuning/s-1");
    expect(text).toContain("0      4          0.9875        3       ok\n");
    expect(text).toContain("1      8          1.0000        3       ok\n");
    expect(text).toContain("best: trial 1, val_accuracy 1.0000 after 3 epochs\n");
  });
});
