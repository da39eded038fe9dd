import * as tf from "@tensorflow/tfjs";
import type { DataSplit, Dataset } from "../data/dataset.js";
import type { ClassificationResult } from "../run/history.js";
import { disposeBatch, gatherBatch } from "./batches.js";
import type { Predict } from "./technique.js";
import type { Task } from "./tasks.js";

const EVALUATION_BATCH = 500;

/**
 * Each classify task's confusion matrix on a split (rows: true class,
 * columns: predicted class) and per-class precision, recall and F1, by task
 * name. Tasks of other kinds are left out.
 */
export function classificationResults(predict: Predict, data: Dataset, split: DataSplit, tasks: readonly Task[]): Record<string, ClassificationResult> {
  const classifiers = tasks.filter((task) => task.kind === "classify" && split.targets[task.target] !== undefined);
  const matrices = new Map(classifiers.map((task) => [task.name, squareMatrix(data.targets[task.target]?.classes ?? 0)]));
  for (let start = 0; start < split.rows; start += EVALUATION_BATCH) {
    const rows = Int32Array.from({ length: Math.min(EVALUATION_BATCH, split.rows - start) }, (_, i) => start + i);
    const batch = gatherBatch(data, split, rows);
    const pairs = tf.tidy(() => {
      const layers = predict(batch.x);
      return classifiers.map((task) => [tf.argMax(batch.targets[task.target]!, -1), tf.argMax(layers.get(task.output)!, -1)] as const);
    });
    classifiers.forEach((task, index) => {
      const [truth, predicted] = pairs[index]!;
      const actual = truth.dataSync();
      const guessed = predicted.dataSync();
      const matrix = matrices.get(task.name)!;
      for (let row = 0; row < actual.length; row++) matrix[actual[row]!]![guessed[row]!]!++;
      truth.dispose();
      predicted.dispose();
    });
    disposeBatch(batch);
  }
  const results: Record<string, ClassificationResult> = {};
  for (const task of classifiers) {
    const info = data.targets[task.target];
    const confusion = matrices.get(task.name)!;
    const labels = confusion.map((_, k) => info?.classNames?.[k] ?? String(k));
    results[task.name] = { split: split.name, labels, confusion, perClass: perClassScores(confusion, labels) };
  }
  return results;
}

function squareMatrix(size: number): number[][] {
  return Array.from({ length: size }, () => new Array<number>(size).fill(0));
}

/** Precision tp/(tp+fp), recall tp/(tp+fn), F1 their harmonic mean; 0 where a denominator is 0. */
export function perClassScores(confusion: readonly (readonly number[])[], labels: readonly string[]): ClassificationResult["perClass"] {
  return confusion.map((row, k) => {
    const truePositives = row[k]!;
    const support = row.reduce((sum, n) => sum + n, 0);
    const predicted = confusion.reduce((sum, other) => sum + other[k]!, 0);
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = support === 0 ? 0 : truePositives / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label: labels[k]!, precision, recall, f1, support };
  });
}
