import * as tf from "@tensorflow/tfjs";
import { uint32Stream } from "../random.js";

/**
 * Inverted dropout with a mask drawn in one loop: each value kept with
 * probability 1 − rate and scaled by 1/(1 − rate), the mask a pure function
 * of `seed`, so the same on every backend
 * and in an exported model's Monte-Carlo passes. tf.dropout draws its
 * uniforms one call at a time and builds the mask with three more kernels
 * (add, floor, divide), each taped; here the mask is made as a tensor and
 * applied with one multiply.
 */
export function seededDropout(x: tf.Tensor, rate: number, seed: number): tf.Tensor {
  return tf.mul(x, tf.tensor(dropoutMask(x.size, rate, seed), x.shape, "float32"));
}

/** 0 or 1/(1 − rate) for each of `size` values; 0 with probability `rate` (to 2⁻³²). */
export function dropoutMask(size: number, rate: number, seed: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new Error(`dropout's rate must lie in [0, 1), not ${rate}`);
  const mask = new Float32Array(size);
  const kept = 1 / (1 - rate);
  // A draw (a uniform 32-bit integer) drops its value when below rate·2³².
  const threshold = Math.floor(rate * 4294967296);
  const next = uint32Stream(seed);
  for (let i = 0; i < size; i++) if (next() >= threshold) mask[i] = kept;
  return mask;
}
