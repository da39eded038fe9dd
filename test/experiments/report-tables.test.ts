import { describe, expect, it } from "vitest";
import type { AblationDocument } from "../../src/experiments/ablation/document.js";
import { renderAblationReport } from "../../src/experiments/ablation/report-html.js";
import type { TuningDocument } from "../../src/experiments/tuning/document.js";
import { renderTuningReport } from "../../src/experiments/tuning/report-html.js";

/** The reports' tables write a column's metrics with one number of decimals, as the terminal's tables do. */

describe("the reports' tables of metrics", () => {
  it("write the tuning's objectives, and its best, with the same decimals", () => {
    const point = { "m.h.units": "4" };
    const document = {
      spec: "s.reg",
      method: "random",
      objective: { metric: "val_accuracy", direction: "maximize" },
      seed: 0,
      complete: true,
      epochsTrained: 2,
      best: { trial: 1, point, objective: 1, epochs: 1 },
      trials: [
        { trial: 0, point, status: "ok", objective: 0.9875, budget: 1, epochs: 1, runs: [] },
        { trial: 1, point, status: "ok", objective: 1, budget: 1, epochs: 1, runs: [] },
      ],
      runs: [{ trial: 1, folder: "missing" }],
      plan: { spaces: [{ name: "m.h.units", kind: "choice", options: ["4"] }], rungs: [1] },
    } as unknown as TuningDocument;
    const html = renderTuningReport("/nonexistent", document);
    expect(html).toContain("<td>0.9875</td>");
    expect(html).toContain("<td>1.0000</td>");
    expect(html).toContain("val_accuracy 1.0000 after 1 epoch — ");
  });

  it("write an ablation's values, spreads and effects with the decimals of its values", () => {
    const arm = { removed: [], seeds: [1, 2], status: "ok" };
    const document = {
      spec: "s.reg",
      metric: "test_accuracy",
      higherIsBetter: true,
      seeds: [1, 2],
      complete: true,
      arms: [
        { ...arm, id: "full", name: "full", values: [1, 1], mean: 1, sd: 0 },
        { ...arm, id: "a0", name: "dropout", values: [0.9875, 0.9750], mean: 0.98126, sd: 0.00884 },
      ],
      effects: [{ clause: "dropout", arm: "a0", delta: 0.01876, ci95: [-0.1, 0.13751], pairs: 2, verdict: "unclear" }],
      otherMetrics: [],
      trials: [],
    } as unknown as AblationDocument;
    const html = renderAblationReport("/nonexistent", document);
    expect(html).toContain("<th>full</th><td>1.0000</td><td>0.0000</td><td>1.0000</td><td>1.0000</td>");
    expect(html).toContain("<th>without dropout</th><td>0.9813</td><td>0.0088</td><td>0.9875</td><td>0.9750</td>");
    expect(html).toContain("<th>dropout</th><td>+0.0188</td><td>−0.1000 … +0.1375</td>");
  });
});
