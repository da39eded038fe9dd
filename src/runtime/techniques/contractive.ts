import * as tf from "@tensorflow/tfjs";
import type { Model } from "../model/model.js";
import { deriveSeed } from "../random.js";
import type { ForwardPass, StepInfo, Technique } from "../train/technique.js";
import { denseEncoder } from "./dense-encoder.js";
import { centralDifference } from "./directional-derivative.js";

/** Random directions per example of the general estimate, and the step of its central differences. */
export const CONTRACTIVE_DIRECTIONS = 8;
const STEP = 1e-2;

/** One layer's ‖∂h/∂x‖_F², averaged over the batch. */
type JacobianNorm = (pass: ForwardPass, step: StepInfo) => tf.Scalar;

/**
 * §7.14, the contractive penalty (Rifai et al. 2011): λ·mean over examples
 * of ‖∂h(x)/∂x‖_F² for each listed layer h. For a dense layer that reads
 * the input (through flatten or reshape only) with a sigmoid, tanh, relu or
 * no activation, the closed form Σⱼ σ′(aⱼ)²·Σᵢ Wᵢⱼ², σ′ written through the
 * output (h(1 − h) for sigmoid): first-order in the weights, so tfjs
 * differentiates it exactly. Any other layer gets an unbiased estimate,
 * E‖J·ε‖² over Gaussian directions ε, from central differences of training
 * passes.
 */
export function contractive(weight: number, options: { on: readonly string[] }): Technique {
  let norms: JacobianNorm[] = [];
  return {
    label: `contractive(${weight}) on ${options.on.join(", ")}`,
    attach({ model }) {
      norms = options.on.map((key) => closedForm(model, key) ?? randomProjection(key));
    },
    lossTerm: (pass, step) => tf.mul(weight, tf.addN(norms.map((norm) => norm(pass, step)))) as tf.Scalar,
  };
}

function closedForm(model: Model, key: string): JacobianNorm | undefined {
  const encoder = denseEncoder(model, key);
  if (!encoder) return undefined;
  return (pass) => {
    const h = pass.layers.get(key)!;
    const incoming = tf.sum(tf.square(encoder.kernel), 0);
    return tf.div(tf.sum(tf.mul(tf.square(encoder.slope(h)), incoming)), h.shape[0]!) as tf.Scalar;
  };
}

function randomProjection(key: string): JacobianNorm {
  return (pass, step) => {
    const x = pass.batch.x;
    const count = CONTRACTIVE_DIRECTIONS * x.shape[0]!;
    const directions = tf.randomNormal([count, ...x.shape.slice(1)], 0, 1, "float32", deriveSeed(step.seed, "contractive", key));
    const repeated = tf.concat(Array.from({ length: CONTRACTIVE_DIRECTIONS }, () => x), 0);
    const [jv] = centralDifference((z) => [pass.forward(z).get(key)!], repeated, directions, STEP);
    return tf.div(tf.sum(tf.square(jv!)), count) as tf.Scalar;
  };
}
