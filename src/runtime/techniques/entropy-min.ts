import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { logProbabilities, unlabeledTechnique, type UnlabeledOptions } from "./unlabeled.js";

/**
 * §7.6, Grandvalet & Bengio (2005): per classify task, w(t) times the mean
 * entropy −Σₖ pₖ·log pₖ of the predicted class distribution on unlabeled
 * inputs, from an inference-mode pass (no dropout or noise), differentiated
 * through p: it sharpens the predictions the model will make, and leaves
 * agreement under noise to `consistency`.
 */
export function entropyMin(options: UnlabeledOptions): Technique {
  const { weight, ramp, using } = options;
  return unlabeledTechnique(`entropy_min(weight: ${weight}, ramp: ${ramp}) using ${using}`, options, "classify", (pass, _step, x, tasks) => {
    const layers = pass.forward(x, { training: false });
    return tf.addN(tasks.map((task) => meanEntropy(logProbabilities(task, layers.get(task.output)!)))) as tf.Scalar;
  });
}

/** (1/n)·Σᵢ −Σₖ pᵢₖ·log pᵢₖ for log-probabilities [n, K]. */
export function meanEntropy(logP: tf.Tensor): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), -1)));
}
