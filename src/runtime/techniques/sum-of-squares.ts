import * as tf from "@tensorflow/tfjs";
import { SQUARE_SUMS } from "../backend/wasm-kernels/square-sums.js";
import { incomingAxes } from "./parameters.js";

/**
 * Σw² over `axes`, dims kept: in one kernel where the backend has one and
 * the axes lead (wasm: backend/wasm-kernels/square-sums.ts), else a square
 * and a sum. The norms of max-norm and unit-norm, and L2's penalty, are
 * taken over every weight of a layer every step.
 */
export function sumOfSquares(w: tf.Tensor, axes: readonly number[]): tf.Tensor {
  if (!leadAndLeaveAnAxis(w, axes) || tf.getKernel(SQUARE_SUMS, tf.getBackend()) === undefined) return tf.sum(tf.square(w), [...axes], true);
  return tf.engine().runKernel(SQUARE_SUMS, { x: w }, { leadingAxes: axes.length }) as tf.Tensor;
}

/** Whether `axes` are w's first axes, at least one and not all: what the sums-of-squares kernel takes. */
export function leadAndLeaveAnAxis(w: tf.Tensor, axes: readonly number[]): boolean {
  return axes.length > 0 && axes.length < w.rank && [...axes].sort((p, q) => p - q).every((axis, i) => axis === i);
}

/** Σw² over every value: the sum of its columns' sums of squares where w has columns. */
export function totalSumOfSquares(w: tf.Tensor): tf.Scalar {
  return w.rank < 2 ? tf.sum(tf.square(w)) : tf.sum(sumOfSquares(w, incomingAxes(w.rank)));
}

/** α·Σw² over every value of every weight: L2's penalty. */
export function squaredNormPenaltyValue(alpha: number, weights: readonly tf.Tensor[]): tf.Scalar {
  return tf.mul<tf.Scalar>(alpha, tf.addN(weights.map(totalSumOfSquares)));
}
