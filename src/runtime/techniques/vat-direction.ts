import * as tf from "@tensorflow/tfjs";

/**
 * The power iteration of virtual adversarial training (Miyato et al. 2018):
 * from a start direction d, repeatedly d ← ∇ᵣ D(r) at r = ξ·d, normalized
 * per example. Near r = 0 that gradient is ξ·H·d, H the Hessian of the
 * divergence D (which is 0 with zero gradient at r = 0), so d turns toward
 * H's dominant eigenvector. Only first-order gradients are taken.
 * ξ must be large enough that x + ξ·d differs from x in float32.
 */
export function adversarialDirection(divergence: (r: tf.Tensor) => tf.Scalar, start: tf.Tensor, xi: number, iterations: number): tf.Tensor {
  const gradient = tf.grad(divergence);
  let direction = unitPerExample(start);
  for (let i = 0; i < iterations; i++) direction = unitPerExample(gradient(tf.mul(xi, direction)));
  return direction;
}

/**
 * Each example's slice [n, …] scaled to unit L2 norm; first by its largest
 * magnitude, so tiny gradients neither underflow when squared nor turn
 * into NaN. An all-zero slice stays zero.
 */
export function unitPerExample(v: tf.Tensor): tf.Tensor {
  const axes = v.shape.map((_, axis) => axis).slice(1);
  const scaled = tf.div(v, tf.maximum(tf.max(tf.abs(v), axes, true), 1e-30));
  return tf.div(scaled, tf.maximum(tf.sqrt(tf.sum(tf.square(scaled), axes, true)), 1e-12));
}
