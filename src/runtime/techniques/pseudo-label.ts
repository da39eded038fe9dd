import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { Technique } from "../train/technique.js";
import { detached } from "./detach.js";
import { logProbabilities, unlabeledTechnique, type UnlabeledOptions } from "./unlabeled.js";

/**
 * §7.6, Lee (2013): the model's confident predictions on unlabeled inputs
 * serve as their labels. Per classify task,
 * w(t)·(1/n′)·Σ 1[max p ≥ τ]·(−log p_argmax p), over one training-mode pass;
 * which class and whether it counts are constants, not differentiated.
 */
export function pseudoLabel(options: UnlabeledOptions & { threshold?: number } = {}): Technique {
  const { threshold = 0.95, weight = 1, ramp = 0, using = "unlabeled" } = options;
  const label = `pseudo_label(threshold: ${threshold}, weight: ${weight}, ramp: ${ramp}) using ${using}`;
  return unlabeledTechnique(label, options, "classify", (pass, step, x, tasks) => {
    const layers = pass.forward(x, { seed: deriveSeed(step.seed, "pseudo_label") });
    return tf.addN(tasks.map((task) => pseudoLabelLoss(logProbabilities(task, layers.get(task.output)!), threshold))) as tf.Scalar;
  });
}

/** (1/n)·Σᵢ 1[max p ≥ τ]·(−log p_ŷ), ŷ = argmax p, for log-probabilities [n, K]. */
export function pseudoLabelLoss(logP: tf.Tensor, threshold: number): tf.Scalar {
  const classes = logP.shape[logP.rank - 1]!;
  const confident = detached(tf.cast(tf.greaterEqual(tf.max(logP, -1), Math.log(threshold)), "float32"));
  const target = detached(tf.oneHot(tf.argMax(logP, -1), classes).toFloat());
  const crossEntropy = tf.neg(tf.sum(tf.mul(target, logP), -1));
  return tf.mean(tf.mul(confident, crossEntropy));
}
