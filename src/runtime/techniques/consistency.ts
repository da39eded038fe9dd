import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { Technique } from "../train/technique.js";
import type { Task } from "../train/tasks.js";
import { logProbabilities, unlabeledTechnique, type UnlabeledOptions } from "./unlabeled.js";

/**
 * §7.6, the Π-model of Laine & Aila (2017): two training-mode passes over
 * the unlabeled inputs with independent dropout and noise, and w(t) times
 * the mean squared distance between their predictions per output value
 * (divided by the number of classes K, as the paper's is) — class
 * probabilities for classify tasks, the outputs themselves for the
 * others. Both passes are stochastic and both are differentiated. A model
 * with nothing random in training gives two equal passes and a zero term.
 */
export function consistency(options: UnlabeledOptions): Technique {
  const { weight, ramp, using } = options;
  return unlabeledTechnique(`consistency(weight: ${weight}, ramp: ${ramp}) using ${using}`, options, "all", (pass, step, x, tasks) => {
    const [first, second] = [1, 2].map((draw) => pass.forward(x, { seed: deriveSeed(step.seed, "consistency", draw) }));
    const prediction = (task: Task, layers: ReadonlyMap<string, tf.Tensor>) => {
      const output = layers.get(task.output)!;
      return task.kind === "classify" ? tf.exp(logProbabilities(task, output)) : output;
    };
    return tf.addN(tasks.map((task) => meanSquaredDistance(prediction(task, first!), prediction(task, second!)))) as tf.Scalar;
  });
}

/** (1/n)·Σᵢ ‖aᵢ − bᵢ‖² / K over examples [n, …], K the values per example. */
export function meanSquaredDistance(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.squaredDifference(a, b));
}
