import * as tf from "@tensorflow/tfjs";
import type { Technique } from "../train/technique.js";
import { resolveParams, type OnParams } from "./parameters.js";
import { squaredNormPenaltyValue } from "./sum-of-squares.js";

/** §7.1: adds α·Σw² over the listed parameters to the loss. */
export function l2(alpha: number, options: OnParams): Technique {
  let params: tf.Variable[] = [];
  return {
    label: `l2(${alpha})`,
    attach: ({ model }) => void (params = resolveParams(model, options.on, "l2")),
    parameterPenalty: true,
    lossTerm: () => squaredNormPenalty(alpha)(...params),
    squaredNormPenalty: () => ({ alpha, params }),
  };
}

/**
 * α·Σw² with its gradient 2α·w given directly: differentiated by tfjs, the
 * sum's gradient builds a tensor of ones the size of each weight, filled in
 * JavaScript, at every step, and the square's two more products.
 */
function squaredNormPenalty(alpha: number): (...weights: tf.Tensor[]) => tf.Scalar {
  return tf.customGrad((...inputs: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const weights = inputs.slice(0, -1) as tf.Tensor[];
    const save = inputs[inputs.length - 1] as tf.GradSaveFunc;
    save(weights);
    return {
      value: squaredNormPenaltyValue(alpha, weights),
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const scale = tf.mul(dy, 2 * alpha);
        return saved.map((w) => tf.mul(w, scale));
      },
    };
  });
}
