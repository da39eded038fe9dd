import * as tf from "@tensorflow/tfjs";
import type { Dataset } from "../data/dataset.js";
import type { ClassificationResult } from "../run/history.js";
import type { Task } from "./tasks.js";

/**
 * Each classify task's confusion matrix on a split (rows: true class,
 * columns: predicted class), counted batch by batch while `evaluateSplit`
 * scores the split, then per-class precision, recall and F1.
 */
export class ConfusionCounts {
  private readonly matrices = new Map<string, number[][]>();

  constructor(
    private readonly data: Dataset,
    readonly split: string,
  ) {}

  /** Adds a batch of one task's predictions; other kinds of task are left out. */
  count(task: Task, prediction: tf.Tensor, target: tf.Tensor): void {
    if (task.kind !== "classify") return;
    const size = this.data.targets[task.target]?.classes ?? 0;
    let matrix = this.matrices.get(task.name);
    if (!matrix) this.matrices.set(task.name, (matrix = Array.from({ length: size }, () => new Array<number>(size).fill(0))));
    const actual = tf.argMax(target, -1).dataSync();
    const guessed = tf.argMax(prediction, -1).dataSync();
    for (let row = 0; row < actual.length; row++) matrix[actual[row]!]![guessed[row]!]!++;
  }

  /** By task name; empty when no classify task was counted. */
  results(tasks: readonly Task[]): Record<string, ClassificationResult> {
    const results: Record<string, ClassificationResult> = {};
    for (const task of tasks) {
      const confusion = this.matrices.get(task.name);
      if (!confusion) continue;
      const names = this.data.targets[task.target]?.classNames;
      const labels = confusion.map((_, k) => names?.[k] ?? String(k));
      results[task.name] = { split: this.split, labels, confusion, perClass: perClassScores(confusion, labels) };
    }
    return results;
  }
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
