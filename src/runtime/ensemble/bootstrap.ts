import * as tf from "@tensorflow/tfjs";
import type { DataSplit } from "../data/dataset.js";
import { uniformStream } from "../random.js";

/** n row indices drawn uniformly with replacement from 0…n−1: a bootstrap resample, seeded. */
export function bootstrapRows(n: number, seed: number): Int32Array {
  const next = uniformStream(seed);
  return Int32Array.from({ length: n }, () => Math.floor(next() * n));
}

/** The split's rows in the given order, repeats included; its tensors are new and the caller owns them. */
export function resampleSplit(split: DataSplit, rows: Int32Array): DataSplit {
  return tf.tidy(() => {
    const index = tf.tensor1d(rows, "int32");
    const targets = Object.fromEntries(Object.entries(split.targets).map(([name, values]) => [name, tf.gather(values, index)]));
    return { name: split.name, rows: rows.length, x: tf.gather(split.x, index), targets };
  });
}
