import * as tf from "@tensorflow/tfjs";
import type { DataSplit, Dataset } from "../data/dataset.js";
import type { Batch } from "./technique.js";

/** The row indices of each batch of an epoch, in a seeded order (the last batch may be short). */
export function batchIndices(order: Int32Array, batchSize: number): Int32Array[] {
  const batches: Int32Array[] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.subarray(start, start + batchSize));
  return batches;
}

/** Gathers the rows of a batch: class targets one-hot, the clean input under `input`. */
export function gatherBatch(data: Dataset, split: DataSplit, rows: Int32Array | undefined): Batch {
  return tf.tidy(() => {
    const index = rows && tf.tensor1d(rows, "int32");
    const take = (tensor: tf.Tensor) => (index ? tf.gather(tensor, index) : tensor);
    const x = take(split.x);
    const targets: Record<string, tf.Tensor> = { input: x };
    for (const [name, values] of Object.entries(split.targets)) {
      const info = data.targets[name];
      targets[name] = info?.kind === "class" ? tf.oneHot(take(values) as tf.Tensor1D, info.classes ?? 0).toFloat() : take(values);
    }
    return { x, targets };
  });
}

export function disposeBatch(batch: Batch): void {
  tf.dispose([batch.x, ...Object.values(batch.targets), ...(batch.extra?.values() ?? [])]);
}

/** Train and val as one split, for the early-stopping second phase. */
export function mergeSplits(name: string, a: DataSplit, b: DataSplit): DataSplit {
  const targets: Record<string, tf.Tensor> = {};
  for (const key of Object.keys(a.targets)) {
    const other = b.targets[key];
    if (other) targets[key] = tf.concat([a.targets[key]!, other]);
  }
  return { name, rows: a.rows + b.rows, x: tf.concat([a.x, b.x]), targets };
}
