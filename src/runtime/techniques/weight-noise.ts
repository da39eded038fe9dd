import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import type { Technique } from "../train/technique.js";
import { resolveParams, type OnParams } from "./parameters.js";

/**
 * §7.5, Graves (2011): each training step runs forward and backward at
 * W̃ = W + ε with fresh ε ~ N(0, σ²), and the optimizer applies that
 * gradient, ∇_W̃ J(W̃), to the clean W (the noise is added inside the tape,
 * so the gradient with respect to W is exactly it). Evaluation and
 * prediction use the clean weights.
 */
export function weightNoise(stddev: number, options: OnParams): Technique {
  let params: Array<[string, tf.Variable]> = [];
  return {
    label: `weight_noise(${stddev})`,
    attach: ({ model }) => {
      const variables = resolveParams(model, options.on, "weight_noise");
      params = options.on.map((name, i) => [name, variables[i]!]);
    },
    perturbParams: (_model, step) =>
      new Map(params.map(([name, w]) => [name, tf.add(w, tf.randomNormal(w.shape, 0, stddev, "float32", deriveSeed(step.seed, "weight_noise", name)))])),
  };
}
