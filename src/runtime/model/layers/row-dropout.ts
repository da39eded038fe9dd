import * as tf from "@tensorflow/tfjs";
import { deriveSeed, uniformStream } from "../../random.js";

/**
 * Monte-Carlo dropout draws each example's masks from a key of its own, a
 * hash of its input values (their float32 bits), and never from its place
 * in a batch: an input predicts the same alone or among others, in whatever
 * batches training's evaluation, `regc predict` or a page cut the input.
 * Pure JavaScript, so Node and a browser draw the same masks.
 */
export function rowKeys(values: Float32Array, rows: number): Uint32Array {
  const size = rows === 0 ? 0 : values.length / rows;
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const keys = new Uint32Array(rows);
  for (let row = 0; row < rows; row++) {
    // FNV-1a over the row's 32-bit words; deriveSeed mixes the key further.
    let hash = 0x811c9dc5;
    for (let i = row * size; i < (row + 1) * size; i++) hash = Math.imul(hash ^ bits[i]!, 0x01000193);
    keys[row] = hash >>> 0;
  }
  return keys;
}

/**
 * Inverted dropout of `x` [rows, …] as Monte-Carlo dropout applies it: row
 * r keeps each value with probability 1 − rate, drawn from the layer's seed
 * for the pass and `keys[r]` alone, and scales it by 1/(1 − rate).
 */
export function rowDropout(x: tf.Tensor, rate: number, layerSeed: number, keys: Uint32Array): tf.Tensor {
  const rows = x.shape[0]!;
  if (keys.length !== rows) throw new Error(`Monte-Carlo dropout has ${keys.length} row keys for a batch of ${rows}`);
  const size = rows === 0 ? 0 : x.size / rows;
  const multipliers = new Float32Array(x.size);
  const kept = 1 / (1 - rate);
  for (let row = 0; row < rows; row++) {
    const next = uniformStream(deriveSeed(layerSeed, "row", keys[row]!));
    for (let i = row * size; i < (row + 1) * size; i++) multipliers[i] = next() < rate ? 0 : kept;
  }
  return tf.mul(x, tf.tensor(multipliers, x.shape, "float32"));
}
