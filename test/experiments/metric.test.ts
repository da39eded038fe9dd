import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as catalog from "../../src/compiler/catalog/index.js";
import { check } from "../../src/compiler/index.js";
import { attackedMetrics, defaultMetric, flattenMetrics, namedMetric } from "../../src/experiments/metric.js";
import { EXAMPLES } from "../e2e/support.js";

function programOf(file: string) {
  const path = join(EXAMPLES, file);
  return check(readFileSync(path, "utf8"), { path }).program;
}

const taskMetrics = (kind: string) => catalog.fn("task", kind)?.metrics ?? [];

describe("the metric an experiment compares", () => {
  it("defaults to the first task's headline metric on the test split", () => {
    expect(defaultMetric(programOf("a-mlp-dropout-maxnorm.reg"), taskMetrics)).toEqual({ name: "test_accuracy", higherIsBetter: true });
    expect(defaultMetric(programOf("d-multitask-cars.reg"), taskMetrics)).toEqual({ name: "test_economy_rmse", higherIsBetter: false });
    expect(defaultMetric(programOf("e-tied-autoencoder.reg"), taskMetrics)).toEqual({ name: "test_mse", higherIsBetter: false });
  });

  it("accepts a named metric the spec's runs report and refuses one they do not", () => {
    const d = programOf("d-multitask-cars.reg");
    expect(namedMetric("val_region_accuracy", d)).toEqual({ name: "val_region_accuracy", higherIsBetter: true });
    expect(namedMetric("test_accuracy", d)).toMatch(/^no metric `test_accuracy` .* it reports .*test_region_accuracy/);
  });

  it("flattens metrics.json and finds accuracy under attack beside the headline", () => {
    const flat = flattenMetrics({
      splits: { test: { loss: 0.3, accuracy: 0.9 } },
      extra: { "test (clean)": { accuracy: 0.9 }, "test under fgsm(eps: 0.1)": { loss: 1.2, accuracy: 0.6 } },
    });
    expect(flat.get("test_accuracy")).toBe(0.9);
    expect(flat.get("test under fgsm(eps: 0.1) accuracy")).toBe(0.6);
    expect(attackedMetrics(flat, { name: "test_accuracy", higherIsBetter: true })).toEqual([{ name: "test under fgsm(eps: 0.1) accuracy", higherIsBetter: true }]);
  });
});
