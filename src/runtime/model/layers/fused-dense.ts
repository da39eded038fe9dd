import * as tf from "@tensorflow/tfjs";
import { DENSE, type DenseAttrs } from "../../backend/wasm-kernels/dense.js";

/** The activations the dense kernel applies, whose gradient is written below. */
export type DenseKernelActivation = "none" | "relu";

/** Whether the backend has the dense kernel for a rank-2 input (a batch of vectors). */
export function denseKernelApplies(x: tf.Tensor): boolean {
  return x.rank === 2 && x.dtype === "float32" && tf.getKernel(DENSE, tf.getBackend()) !== undefined;
}

/**
 * activation(x·W + b) as one kernel (backend/wasm-kernels/dense.ts): a
 * product, an add and a relu cost each step three trips through the engine
 * and their saved inputs, and their gradients six more (the add's and
 * relu's as reshapes, a sum, a step, casts and a product); here the
 * gradient is a step, a product, a sum and the two matrix products, each
 * computed only when the tape asks for it.
 */
export function fusedDense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, activation: DenseKernelActivation): tf.Tensor2D {
  if (tf.getGradient(DENSE) === undefined) tf.registerGradient(denseGradient);
  const attrs: DenseAttrs = { activation: activation === "none" ? "linear" : activation };
  const inputs: tf.NamedTensorMap = bias ? { x, kernel, bias } : { x, kernel };
  return tf.engine().runKernel(DENSE, inputs, { ...attrs }) as tf.Tensor2D;
}

const denseGradient: tf.GradConfig = {
  kernelName: DENSE,
  inputsToSave: ["x", "kernel"],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, kernel, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
    // relu's derivative read off its output: 1 where it is positive.
    const dyPre = ((attrs as unknown as DenseAttrs).activation === "relu" ? tf.mul(dy as tf.Tensor, tf.step(y)) : dy) as tf.Tensor2D;
    return {
      x: () => tf.matMul(dyPre, kernel, false, true),
      kernel: () => tf.matMul(x, dyPre, true, false),
      bias: () => tf.sum(dyPre, 0),
    };
  },
};
