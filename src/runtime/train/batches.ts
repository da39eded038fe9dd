import * as tf from "@tensorflow/tfjs";
import type { DataSplit, Dataset } from "../data/dataset.js";
import { permutation } from "../random.js";
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

/**
 * Inputs from the splits techniques use (unlabeled digits), as many as a
 * training batch, walking each split in a seeded order and wrapping round;
 * undefined when no technique uses one.
 */
export function usedSplitBatches(
  data: Dataset,
  splits: readonly string[],
  batchSize: number,
  index: number,
  orderSeed: (split: string) => number,
): ReadonlyMap<string, tf.Tensor> | undefined {
  if (splits.length === 0) return undefined;
  const batches = new Map<string, tf.Tensor>();
  for (const name of splits) {
    const split = data.splits[name];
    if (!split) throw new Error(`a technique uses split ${name}, which data ${data.name} does not have`);
    const order = permutation(split.rows, orderSeed(name));
    const rows = Int32Array.from({ length: batchSize }, (_, i) => order[(index * batchSize + i) % split.rows]!);
    batches.set(name, tf.tidy(() => tf.gather(split.x, tf.tensor1d(rows, "int32"))));
  }
  return batches;
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
