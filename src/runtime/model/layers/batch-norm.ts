import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";
import { constant } from "./variables.js";

export interface BatchNormOptions extends LayerOptions {
  /** Decay of the moving averages; default 0.99. */
  momentum?: number;
  /** Added to the variance before the square root; default 1e-3. */
  epsilon?: number;
}

/**
 * Normalizes each channel (the last axis) by the batch's mean and variance
 * in training, and by their moving averages at prediction; then γ·x̂ + β.
 * A training pass moves the averages: m ← momentum·m + (1 − momentum)·batch,
 * with the batch's biased variance, as Keras does.
 */
export function batchNorm(options: BatchNormOptions = {}): LayerDef {
  const { momentum = 0.99, epsilon = 1e-3 } = options;
  return {
    kind: "batch_norm",
    ...identity(options),
    build(input) {
      const channels = [input[input.length - 1]!];
      return {
        outputShape: input,
        params: { gamma: constant(channels, 1), beta: constant(channels, 0) },
        state: { moving_mean: constant(channels, 0), moving_variance: constant(channels, 1) },
      };
    },
    apply(x, { params, state, options: pass }) {
      const movingMean = state["moving_mean"]!;
      const movingVariance = state["moving_variance"]!;
      const normalize = (mean: tf.Tensor, variance: tf.Tensor) =>
        tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))), params["gamma"]!), params["beta"]!);
      if (!pass.training) return normalize(movingMean, movingVariance);
      // Every axis but the channels: the batch, and an image's height and width.
      const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
      if (pass.updateMovingStats !== false) {
        const decay = (average: tf.Variable, batch: tf.Tensor) =>
          average.assign(tf.add(tf.mul(average, momentum), tf.mul(batch, 1 - momentum)));
        tf.tidy(() => {
          decay(movingMean, mean);
          decay(movingVariance, variance);
        });
      }
      return normalize(mean, variance);
    },
    standard: (name) => ({
      layers: [tf.layers.batchNormalization({ axis: -1, momentum, epsilon, name })],
      weights: ["gamma", "beta", "moving_mean", "moving_variance"],
    }),
  };
}
