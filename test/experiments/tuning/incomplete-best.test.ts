import { describe, expect, it } from "vitest";
import { buildDocument, type RunRecord, type TuningPlan } from "../../../src/experiments/tuning/document.js";
import { renderTuningReport } from "../../../src/experiments/tuning/report-html.js";
import { renderTuningText } from "../../../src/experiments/tuning/render-text.js";

/** A tuning stopped before all its trials ran names its best as the best so far, in the terminal and the report alike. */

const plan = {
  spec: "s.reg",
  method: "grid",
  objective: { metric: "val_accuracy", direction: "maximize" },
  trials: 6,
  seed: 0,
  spaces: [{ name: "m.h.units", kind: "choice", options: ["1", "2", "4", "8", "16", "32"] }],
  rungs: [3],
  reduction: 3,
  trialSpecFileName: "s.reg",
  files: [],
} as unknown as TuningPlan;

function run(trial: number, objective: number): RunRecord {
  return { id: `trial-${trial}`, trial, rung: 0, budget: 3, epochs: 3, status: "ok", objective, metrics: { val_accuracy: objective }, folder: `trials/trial-${trial}` };
}

/** The first `count` trials' runs, trial 1 the best of them. */
const runs = (count: number) => new Map([0.9, 0.95, 0.8, 0.85, 0.7, 0.75].slice(0, count).map((objective, trial) => [`trial-${trial}`, run(trial, objective)]));

describe("the best trial of a tuning", () => {
  it("while incomplete, is the best so far of the trials that ran, and so is the spec offered to train", () => {
    const text = renderTuningText(buildDocument(plan, runs(2), false), "tuning/s-1", "regc tune --resume tuning/s-1");
    expect(text).toContain("\nbest so far (2 of 6 trials): trial 1, val_accuracy 0.9500 after 3 epochs\n  m.h.units = 2\ntrain the best so far: regc run tuning/s-1/best.reg\n");
    expect(text).not.toMatch(/^best:|^train it:/m);
    expect(text).toContain("incomplete: continue with `regc tune --resume tuning/s-1`\n");
  });

  it("once complete, is the best", () => {
    const text = renderTuningText(buildDocument(plan, runs(6), true), "tuning/s-1", "regc tune --resume tuning/s-1");
    expect(text).toContain("\nbest: trial 1, val_accuracy 0.9500 after 3 epochs\n  m.h.units = 2\ntrain it: regc run tuning/s-1/best.reg\n");
    expect(text).not.toContain("so far");
  });

  it("reads the same in the report", () => {
    expect(renderTuningReport("/nonexistent", buildDocument(plan, runs(2), false))).toContain('<p class="best">Best so far (2 of 6 trials): trial 1, val_accuracy 0.9500 after 3 epochs — m.h.units = 2.</p>');
    expect(renderTuningReport("/nonexistent", buildDocument(plan, runs(6), true))).toContain('<p class="best">Best: trial 1, val_accuracy 0.9500 after 3 epochs — m.h.units = 2.</p>');
  });

  it("while incomplete and none reported the objective yet, says so of the trials so far", () => {
    const text = renderTuningText(buildDocument(plan, new Map([["trial-0", { ...run(0, 0), objective: null }]]), false), "tuning/s-1", "regc tune --resume tuning/s-1");
    expect(text).toContain("\nbest so far (1 of 6 trials): no trial reported the objective\n");
  });
});
