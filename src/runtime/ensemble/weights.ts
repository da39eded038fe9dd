import * as tf from "@tensorflow/tfjs";
import type { Model } from "../model/model.js";

/** A copy of a model's parameters and state, by key. */
export type Weights = Map<string, tf.Tensor>;

/** Copies every parameter and state variable; the caller owns the copies. */
export function copyWeights(model: Model): Weights {
  return new Map([...model.params, ...model.state].map(([key, variable]) => [key, tf.keep(tf.clone(variable))]));
}

/** Puts copied weights back into the model's variables. */
export function assignWeights(model: Model, weights: Weights): void {
  for (const [key, value] of weights) {
    const variable = model.params.get(key) ?? model.state.get(key);
    if (!variable) throw new Error(`model ${model.name} has no variable ${key}`);
    variable.assign(value);
  }
}

/**
 * Runs `use` with the model's variables set to `weights`, then puts its
 * own back, even when `use` throws.
 */
export function withWeights<T>(model: Model, weights: Weights, use: () => T): T {
  const own = copyWeights(model);
  try {
    assignWeights(model, weights);
    return use();
  } finally {
    assignWeights(model, own);
    tf.dispose([...own.values()]);
  }
}
