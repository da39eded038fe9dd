import * as tf from "@tensorflow/tfjs";
import { squaredNormPenaltyValue } from "../techniques/sum-of-squares.js";
import type { SquaredNormPenalty } from "./technique.js";

/**
 * L2 penalties taken off the gradient tape. Differentiated by tfjs, α·Σw²
 * costs each step a pass multiplying every weight by 2α and another adding
 * that to the weight's gradient, each writing a new tensor; instead the
 * step adds the penalty's value after the backward pass and hands each
 * weight's λ = 2α to the update, which SGD with momentum's one-pass kernel
 * folds in (fused-momentum.ts) and other optimizers get added here, as
 * tfjs's backward pass would add it.
 */
export interface WeightDecay {
  variable: tf.Variable;
  /** λ: the gradient gains λ·w. */
  coefficient: number;
}

/** Σ α·Σw² over the penalties: the value their loss terms add. */
export function penaltiesValue(penalties: readonly SquaredNormPenalty[]): tf.Scalar {
  return tf.addN(penalties.map(({ alpha, params }) => squaredNormPenaltyValue(alpha, params))) as tf.Scalar;
}

/** λ = 2α for each penalized variable among `trained`, in the penalties' order (a variable twice if two penalize it). */
export function decayTerms(penalties: readonly SquaredNormPenalty[], trained: readonly tf.Variable[]): WeightDecay[] {
  const names = new Set(trained.map((variable) => variable.name));
  return penalties.flatMap(({ alpha, params }) => params.filter((w) => names.has(w.name)).map((variable) => ({ variable, coefficient: 2 * alpha })));
}

/** The gradients with each λ·w added, in order (λ·w alone for a variable that had none); inside `tf.tidy`. */
export function withDecayGradients(grads: tf.NamedTensorMap, decay: readonly WeightDecay[]): tf.NamedTensorMap {
  const full: tf.NamedTensorMap = { ...grads };
  for (const { variable, coefficient } of decay) full[variable.name] = plusDecay(full[variable.name], variable, coefficient);
  return full;
}

/** gradient + λ·w, as tfjs's backward pass adds a penalty's gradient 2α·w (λ·w alone where there is no gradient). */
export function plusDecay(gradient: tf.Tensor | undefined, w: tf.Tensor, coefficient: number): tf.Tensor {
  const term = tf.mul(w, coefficient);
  return gradient === undefined ? term : tf.add(gradient, term);
}

/** λ by variable name, when no variable is decayed twice (one λ each is what a fused update takes); else undefined. */
export function decayByName(decay: readonly WeightDecay[]): Map<string, number> | undefined {
  const byName = new Map(decay.map(({ variable, coefficient }) => [variable.name, coefficient]));
  return byName.size === decay.length ? byName : undefined;
}
