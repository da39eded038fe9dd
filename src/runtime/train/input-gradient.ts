import * as tf from "@tensorflow/tfjs";
import type { LossAt } from "./technique.js";

/** ∇ₓ of the loss at the input x. */
export type InputGradient = (lossAt: LossAt, x: tf.Tensor) => tf.Tensor;

/** The input gradient by a pass of its own: lossAt(x), differentiated. */
export const differentiate: InputGradient = (lossAt, x) => tf.grad((input: tf.Tensor) => lossAt(input))(x);

/**
 * The input gradient at the clean batch `x` from `atBatch` (the clean pass's
 * own backward pass, with no second forward pass); at any other input (PGD's
 * later steps), a pass of its own.
 */
export function fromCleanPass(x: tf.Tensor, atBatch: () => tf.Tensor): InputGradient {
  return (lossAt, at) => (at === x ? atBatch() : differentiate(lossAt, at));
}
