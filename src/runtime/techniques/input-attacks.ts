import * as tf from "@tensorflow/tfjs";
import type { LossAt } from "../train/technique.js";
import { differentiate, type InputGradient } from "../train/input-gradient.js";
import { detached } from "./detach.js";

/**
 * §7.13's adversaries: perturbations of an input batch, in max norm, that
 * raise a loss to first order. Shared by adversarial training (inside the
 * training step's gradient tape) and by the evaluation under attack.
 */

/** The loss to attack, as a function of the input batch (a mean over the batch). */
export type { LossAt };

/** The valid values of an input, which an adversarial input never leaves. */
export type InputRange = readonly [number, number];

/**
 * Builds an adversarial version of the batch `x`; `seed` drives any random
 * start. `gradient` takes the loss's input gradients; by default each is a
 * new pass differentiated, training passes one that reuses its clean pass.
 */
export type Attack = (lossAt: LossAt, x: tf.Tensor, seed: number, gradient?: InputGradient) => tf.Tensor;

/**
 * sign(∇ₓ loss), detached. Inside the training step's tape the gradient's
 * ops are recorded too; the adversarial input is a constant of the training
 * loss (Goodfellow et al.), so the outer gradient must not run through them.
 */
function inputGradientSign(lossAt: LossAt, x: tf.Tensor, gradient: InputGradient): tf.Tensor {
  return detached(tf.sign(gradient(lossAt, x)));
}

/** Fast gradient sign (Goodfellow et al. 2015): x̃ = clip(x + ε·sign(∇ₓ L), range). */
export function fgsmAttack(eps: number, range: InputRange): Attack {
  return (lossAt, x, _seed, gradient = differentiate) =>
    tf.tidy(() => tf.clipByValue(tf.add(x, tf.mul(eps, inputGradientSign(lossAt, x, gradient))), range[0], range[1]));
}

export interface PgdOptions {
  eps: number;
  steps: number;
  /** Size of each signed step. */
  step: number;
  /** Start from a uniform draw in the ε-ball rather than from x. */
  randomStart: boolean;
}

/**
 * Projected gradient ascent in the L∞ ball (Madry et al. 2018): `steps`
 * signed steps, each followed by the projection onto the ε-ball around x
 * intersected with the valid range.
 */
export function pgdAttack(options: PgdOptions, range: InputRange): Attack {
  const { eps, steps, step, randomStart } = options;
  return (lossAt, x, seed, gradient = differentiate) =>
    tf.tidy(() => {
      const low = tf.maximum(tf.sub(x, eps), range[0]);
      const high = tf.minimum(tf.add(x, eps), range[1]);
      const project = (candidate: tf.Tensor) => tf.minimum(tf.maximum(candidate, low), high);
      let current = randomStart ? project(tf.add(x, tf.randomUniform(x.shape, -eps, eps, "float32", seed))) : project(x);
      for (let t = 0; t < steps; t++) current = project(tf.add(current, tf.mul(step, inputGradientSign(lossAt, current, gradient))));
      return current;
    });
}
