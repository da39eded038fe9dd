import * as tf from "@tensorflow/tfjs";

/** The gradients an optimizer takes: by variable name, or listed with their names. */
export type VariableGradients = Parameters<tf.Optimizer["applyGradients"]>[0];

/**
 * Whether a fused optimizer's kernel takes this variable's update: float32
 * all, its state and gradient of the value's own shape (nothing to
 * broadcast); tfjs's operations take the rest.
 */
export function fusable(value: tf.Tensor, ...others: tf.Tensor[]): boolean {
  return [value, ...others].every((tensor) => tensor.dtype === "float32" && tf.util.arraysEqual(tensor.shape, value.shape));
}
