import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { Technique } from "../train/technique.js";
import type { Task } from "../train/tasks.js";
import { classifyTasks, logProbabilities, rampedWeight, unlabeledInputs, type UnlabeledOptions } from "./unlabeled.js";

/**
 * §7.6, Grandvalet & Bengio (2005): per classify task, w(t) times the mean
 * entropy −Σₖ pₖ·log pₖ of the predicted class distribution on unlabeled
 * inputs, over one training-mode pass.
 */
export function entropyMin(options: UnlabeledOptions = {}): Technique {
  const { weight = 1, ramp = 0, using = "unlabeled" } = options;
  const label = `entropy_min(weight: ${weight}, ramp: ${ramp}) using ${using}`;
  let tasks: Task[] = [];
  return {
    label,
    uses: [using],
    attach: (setup) => void (tasks = classifyTasks(setup.tasks, label)),
    lossTerm: (pass, step) => {
      const w = rampedWeight(weight, ramp, step.epoch);
      if (w === 0) return tf.scalar(0);
      const layers = pass.forward(unlabeledInputs(pass, using, label), { seed: deriveSeed(step.seed, "entropy_min") });
      const terms = tasks.map((task) => meanEntropy(logProbabilities(task, layers.get(task.output)!)));
      return tf.mul(w, tf.addN(terms)) as tf.Scalar;
    },
  };
}

/** (1/n)·Σᵢ −Σₖ pᵢₖ·log pᵢₖ for log-probabilities [n, K]. */
export function meanEntropy(logP: tf.Tensor): tf.Scalar {
  return tf.mean(tf.neg(tf.sum(tf.mul(tf.exp(logP), logP), -1)));
}
