import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { Technique } from "../train/technique.js";
import { detached } from "./detach.js";
import { logProbabilities, unlabeledTechnique, type UnlabeledOptions } from "./unlabeled.js";

/**
 * §7.6, Lee (2013): the model's confident predictions on unlabeled inputs
 * serve as their labels. Per classify task,
 * w(t)·(1/n′)·Σ 1[max p̄ ≥ τ]·(−log p_argmax p̄), where p̄ comes from an
 * inference-mode pass (no dropout or noise: the prediction the model
 * would make) and is a constant, and p from a training-mode pass, the one
 * differentiated — so the label is the model's best guess, and fitting it
 * under dropout also asks the noisy network to agree with it.
 */
export function pseudoLabel(options: UnlabeledOptions & { threshold: number }): Technique {
  const { threshold, weight, ramp, using } = options;
  const label = `pseudo_label(threshold: ${threshold}, weight: ${weight}, ramp: ${ramp}) using ${using}`;
  return unlabeledTechnique(label, options, "classify", (pass, step, x, tasks) => {
    const guessed = pass.forward(x, { training: false });
    const noisy = pass.forward(x, { seed: deriveSeed(step.seed, "pseudo_label") });
    const terms = tasks.map((task) => pseudoLabelLoss(logProbabilities(task, guessed.get(task.output)!), logProbabilities(task, noisy.get(task.output)!), threshold));
    return tf.addN(terms) as tf.Scalar;
  });
}

/**
 * (1/n)·Σᵢ 1[max p̄ᵢ ≥ τ]·(−log pᵢ,ŷᵢ), ŷᵢ = argmax p̄ᵢ, for log-probabilities
 * [n, K]: `guessLogP` (p̄) chooses the labels and which count, as constants;
 * `logP` (p) is scored against them.
 */
export function pseudoLabelLoss(guessLogP: tf.Tensor, logP: tf.Tensor, threshold: number): tf.Scalar {
  const classes = logP.shape[logP.rank - 1]!;
  const confident = detached(tf.cast(tf.greaterEqual(tf.max(guessLogP, -1), Math.log(threshold)), "float32"));
  const target = detached(tf.oneHot(tf.argMax(guessLogP, -1), classes).toFloat());
  const crossEntropy = tf.neg(tf.sum(tf.mul(target, logP), -1));
  return tf.mean(tf.mul(confident, crossEntropy));
}
