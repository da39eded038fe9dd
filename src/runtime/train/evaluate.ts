import * as tf from "@tensorflow/tfjs";
import { LOSS, taskMetricKey } from "../../shared/metric-names.js";
import type { DataSplit, Dataset } from "../data/dataset.js";
import type { Metrics } from "../run/history.js";
import { disposeBatch, gatherBatch } from "./batches.js";
import type { Predict } from "./technique.js";
import type { ConfusionCounts } from "./classification.js";
import type { Task } from "./tasks.js";

const EVALUATION_BATCH = 500;

/**
 * A split's loss (weighted over tasks, no regularization terms) and every
 * task's loss and metrics, as `loss`, `TASK_loss`, `TASK_METRIC`, and with
 * one task also the bare `METRIC`.
 */
export function evaluateSplit(predict: Predict, data: Dataset, split: DataSplit, tasks: readonly Task[], confusion?: ConfusionCounts): Metrics {
  const sums = new Map<string, number>();
  const add = (name: string, value: tf.Tensor) => sums.set(name, (sums.get(name) ?? 0) + (value.dataSync()[0] ?? 0));
  for (let start = 0; start < split.rows; start += EVALUATION_BATCH) {
    const rows = Int32Array.from({ length: Math.min(EVALUATION_BATCH, split.rows - start) }, (_, i) => start + i);
    const batch = gatherBatch(data, split, rows);
    tf.tidy(() => {
      const layers = predict(batch.x);
      for (const task of tasks) {
        const prediction = layers.get(task.output)!;
        const target = batch.targets[task.target]!;
        add(taskMetricKey(task.name, LOSS), tf.sum(task.loss(prediction, target)));
        for (const metric of task.metrics) add(taskMetricKey(task.name, metric.name), tf.sum(metric.perExample(prediction, target)));
        // From the same predictions: a prediction wrapped by techniques (Monte-Carlo dropout) costs as much again.
        confusion?.count(task, prediction, target);
      }
    });
    disposeBatch(batch);
  }
  return finishMetrics(sums, split.rows, tasks);
}

/** The splits final metrics cover: those with targets, and unlabeled ones too when every task reconstructs its input. */
export function reportedSplits(data: Dataset, tasks: readonly Task[]): Array<[string, DataSplit]> {
  const needsTargets = tasks.some((task) => task.target !== "input");
  return Object.entries(data.splits).filter(([, split]) => !needsTargets || Object.keys(split.targets).length > 0);
}

/** Turns sums of per-example values into the reported means. */
export function finishMetrics(sums: ReadonlyMap<string, number>, count: number, tasks: readonly Task[]): Metrics {
  const metrics: Metrics = { [LOSS]: 0 };
  for (const task of tasks) {
    const taskLoss = (sums.get(taskMetricKey(task.name, LOSS)) ?? 0) / count;
    metrics[LOSS]! += task.weight * taskLoss;
    metrics[taskMetricKey(task.name, LOSS)] = taskLoss;
    for (const metric of task.metrics) {
      const mean = (sums.get(taskMetricKey(task.name, metric.name)) ?? 0) / count;
      const value = metric.finish ? metric.finish(mean) : mean;
      metrics[taskMetricKey(task.name, metric.name)] = value;
      if (tasks.length === 1) metrics[metric.name] = value;
    }
  }
  return metrics;
}
