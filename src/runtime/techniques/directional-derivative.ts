import * as tf from "@tensorflow/tfjs";

/**
 * J_f(x)·v as the central difference (f(x + h·v) − f(x − h·v)) / 2h, one
 * tensor per output of `f`. Built from two ordinary forward passes, so the
 * gradient tfjs takes of it with respect to the weights is a first-order
 * one and exact for what it differentiates; differentiating an input
 * gradient instead would need second-order gradients, which tfjs gets
 * silently wrong through tanh, sigmoid, exp and softmax. The truncation
 * error is O(h²·f‴); `f` must treat both passes alike (same dropout masks
 * and noise: the same seed and batch shape).
 */
export function centralDifference(f: (x: tf.Tensor) => readonly tf.Tensor[], x: tf.Tensor, v: tf.Tensor, h: number): tf.Tensor[] {
  const step = tf.mul(v, h);
  const ahead = f(tf.add(x, step));
  const behind = f(tf.sub(x, step));
  return ahead.map((value, i) => tf.div(tf.sub(value, behind[i]!), 2 * h));
}
