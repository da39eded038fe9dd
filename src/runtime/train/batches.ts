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

/**
 * Steps in an epoch that is one pass over the largest of `splitRows` in
 * full batches (5,000 unlabeled digits in batches of 32: 156 steps).
 */
export function stepsOverLargest(splitRows: readonly number[], batchSize: number): number {
  return Math.max(1, Math.floor(Math.max(...splitRows) / batchSize));
}

/**
 * Row indices of batch `index` (counted from the phase's start) of a walk
 * over `rows` rows that goes on pass after pass, each pass in the order
 * `passSeed(pass)` gives: every batch is full, a small split cycles, and
 * the walk continues across epochs instead of restarting.
 */
export function cyclingBatch(rows: number, batchSize: number, index: number, passSeed: (pass: number) => number): Int32Array {
  const batch = new Int32Array(batchSize);
  for (let i = 0; i < batchSize; i++) {
    const position = index * batchSize + i;
    const pass = Math.floor(position / rows);
    batch[i] = seededOrder(rows, passSeed(pass))[position - pass * rows]!;
  }
  return batch;
}

/** The few orders a walk is in at once (a batch may straddle two passes), kept so that no step shuffles a split again. */
const recentOrders = new Map<string, Int32Array>();
function seededOrder(rows: number, seed: number): Int32Array {
  const key = `${rows}/${seed}`;
  let order = recentOrders.get(key);
  if (!order) {
    order = permutation(rows, seed);
    recentOrders.set(key, order);
    if (recentOrders.size > 8) recentOrders.delete(recentOrders.keys().next().value!);
  }
  return order;
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
 * training batch: batch `index` of each split's own cycling walk; undefined
 * when no technique uses one.
 */
export function usedSplitBatches(
  data: Dataset,
  splits: readonly string[],
  batchSize: number,
  index: number,
  passSeed: (split: string, pass: number) => number,
): ReadonlyMap<string, tf.Tensor> | undefined {
  if (splits.length === 0) return undefined;
  const batches = new Map<string, tf.Tensor>();
  for (const name of splits) {
    const split = usedSplit(data, name);
    const rows = cyclingBatch(split.rows, Math.min(batchSize, split.rows), index, (pass) => passSeed(name, pass));
    batches.set(name, tf.tidy(() => tf.gather(split.x, tf.tensor1d(rows, "int32"))));
  }
  return batches;
}

export function usedSplit(data: Dataset, name: string): DataSplit {
  const split = data.splits[name];
  if (!split) throw new Error(`a technique uses split ${name}, which data ${data.name} does not have`);
  return split;
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
