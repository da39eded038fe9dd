import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { resolveParams, type OnParams } from "./parameters.js";
import { sumOfSquares } from "./sum-of-squares.js";

/** A §7.2 constraint: after every optimizer step, each listed parameter is replaced by its projection. */
export function projection(label: string, options: OnParams, project: (w: tf.Tensor) => tf.Tensor): Technique {
  let params: tf.Variable[] = [];
  const apply = () => {
    for (const w of params) tf.tidy(() => w.assign(project(w)));
  };
  return {
    label,
    attach: ({ model }) => {
      params = resolveParams(model, options.on, label);
      // The initial weights must satisfy the constraint too.
      apply();
    },
    afterStep: apply,
  };
}

/** L2 norms over `axes`, kept for broadcasting. */
export function norms(w: tf.Tensor, axes: number[]): tf.Tensor {
  return tf.sqrt(sumOfSquares(w, axes));
}
