import { describe, expect, it } from "vitest";
import * as catalog from "../../src/compiler/catalog/index.js";
import { finishMetrics } from "../../src/runtime/train/evaluate.js";
import { classify, reconstruct, regress } from "../../src/runtime/train/tasks.js";
import { higherIsBetter, metricNames, parseMetricName, splitMetricKeys, taskOfMetricKey } from "../../src/shared/metric-names.js";

const economy = { name: "economy", metrics: ["mae", "rmse"] };
const region = { name: "region", metrics: ["accuracy"] };

describe("metric names", () => {
  it("name a split's record: the loss, each task's loss and metrics, and with one task the bare metrics too", () => {
    expect(splitMetricKeys([region])).toEqual(["loss", "accuracy", "region_loss", "region_accuracy"]);
    expect(splitMetricKeys([economy, region])).toEqual(["loss", "economy_loss", "economy_mae", "economy_rmse", "region_loss", "region_accuracy"]);
    expect(metricNames(["val", "test"], [region])).toEqual([
      "val_loss",
      "val_accuracy",
      "val_region_loss",
      "val_region_accuracy",
      "test_loss",
      "test_accuracy",
      "test_region_loss",
      "test_region_accuracy",
    ]);
  });

  it("parse back into split, task and metric", () => {
    expect(parseMetricName("val_economy_mae")).toEqual({ split: "val", key: "economy_mae" });
    expect(parseMetricName("train_loss")).toEqual({ split: "train", key: "loss" });
    expect(parseMetricName("validation_loss")).toBeUndefined();
    expect(parseMetricName("unlabeled_loss")).toBeUndefined();
    expect(taskOfMetricKey("economy_mae", [economy, region])).toEqual({ task: "economy", metric: "mae" });
    expect(taskOfMetricKey("region_loss", [economy, region])).toEqual({ task: "region", metric: "loss" });
    expect(taskOfMetricKey("economy_accuracy", [economy, region])).toBeUndefined();
    expect(taskOfMetricKey("accuracy", [region])).toBeUndefined();
  });

  it("know the direction of every metric a task kind reports, and of no other", () => {
    for (const kind of ["classify", "regress", "reconstruct"]) {
      for (const metric of [...(catalog.fn("task", kind)?.metrics ?? []), "loss"]) expect(higherIsBetter(`val_${metric}`)).toBeTypeOf("boolean");
    }
    expect(higherIsBetter("test_region_accuracy")).toBe(true);
    expect(higherIsBetter("val_loss")).toBe(false);
    expect(higherIsBetter("val_economy_rmse")).toBe(false);
    expect(higherIsBetter("test_f1")).toBeUndefined();
  });

  it("are the names the runtime reports, for each task kind's metrics as the catalog lists them", () => {
    const runtimeTasks = {
      classify: classify("digit", { output: "out", target: "label" }),
      regress: regress("fit", { output: "out", target: "y" }),
      reconstruct: reconstruct("rebuild", { output: "out", target: "input" }),
    };
    for (const [kind, task] of Object.entries(runtimeTasks)) {
      expect(task.metrics.map((metric) => metric.name)).toEqual(catalog.fn("task", kind)?.metrics);
    }
    const tasks = Object.values(runtimeTasks);
    const named = (list: typeof tasks) => list.map((task) => ({ name: task.name, metrics: task.metrics.map((metric) => metric.name) }));
    // The runtime writes a single task's bare metrics after its own; the set of names is what counts.
    for (const reported of [tasks, [runtimeTasks.regress]]) {
      expect(Object.keys(finishMetrics(new Map(), 10, reported)).sort()).toEqual(splitMetricKeys(named(reported)).sort());
    }
  });
});
