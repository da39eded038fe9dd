import * as tf from "@tensorflow/tfjs";
import type { ActivationName } from "../model/activations.js";
import type { Model } from "../model/model.js";

/** Activations whose derivative at the pre-activation is a function of the output h. */
const SLOPE_OF_OUTPUT: Partial<Record<ActivationName, (h: tf.Tensor) => tf.Tensor>> = {
  sigmoid: (h) => tf.mul(h, tf.sub(1, h)),
  tanh: (h) => tf.sub(1, tf.square(h)),
  relu: (h) => tf.cast(tf.greater(h, 0), "float32"),
  none: (h) => tf.onesLike(h),
};

/** Layers that only rearrange the input, leaving its Jacobian a permutation. */
const REARRANGING = new Set(["flatten", "reshape"]);

/**
 * A code layer h = σ(x·W + b) that reads the (flattened) input directly,
 * whose Jacobian has the closed form ∂h/∂x = diag(σ′(a))·Wᵀ with σ′ written
 * through h (h(1 − h) for sigmoid): first-order in the weights, so tfjs
 * differentiates anything built from it exactly.
 */
export interface DenseEncoder {
  kernel: tf.Variable;
  /** σ′(a) from h. */
  slope(h: tf.Tensor): tf.Tensor;
}

/** The layer `key` as a dense encoder, or undefined when it is not one (another kind or activation, or not on the input). */
export function denseEncoder(model: Model, key: string): DenseEncoder | undefined {
  const layer = model.layer(key);
  if (!layer) throw new Error(`model ${model.name} has no layer ${key}`);
  const slope = layer.def.kind === "dense" && layer.def.activation ? SLOPE_OF_OUTPUT[layer.def.activation] : undefined;
  const kernel = model.params.get(`${key}.kernel`);
  if (!slope || !kernel) return undefined;
  for (let at = layer.source; at !== undefined; ) {
    const source = model.layer(at)!;
    if (!REARRANGING.has(source.def.kind)) return undefined;
    at = source.source;
  }
  return { kernel, slope };
}
