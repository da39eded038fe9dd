import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { adamUpdateFunctions } from "./simd/adam-update.js";
import { updateVariable } from "./variable-update.js";
import { float32View, wasmBackendOf } from "./wasm-heap.js";

/** The kernel train/fused-adam.ts runs where the backend has it: Adam's step in one pass. */
export const ADAM_UPDATE = "ReglangAdamUpdate";

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** 1 − β₁ᵗ and 1 − β₂ᵗ, as float32 values: the bias corrections of this step. */
  correction1: number;
  correction2: number;
}

/**
 * [new value, new first moment, new second moment] of a float32 variable,
 * its moments and its gradient: SIMD over the values in fours
 * (simd/adam-update.ts), the last few in JavaScript rounded to float32
 * after each operation, which gives the same numbers.
 */
function adamUpdate({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const backend = wasmBackendOf(anyBackend);
  const { value, firstMoment, secondMoment, gradient } = inputs;
  if (value === undefined || firstMoment === undefined || secondMoment === undefined || gradient === undefined) {
    throw new Error(`${ADAM_UPDATE} needs value, firstMoment, secondMoment and gradient`);
  }
  const { beta1, beta2, epsilon, learningRate, correction1, correction2 } = attrs as unknown as AdamUpdateAttrs;
  const round = Math.fround;
  // As tfjs makes them: each a float32 scalar from the number it is given.
  const scalars = [round(beta1), round(1 - beta1), round(beta2), round(1 - beta2), round(correction1), round(correction2), round(epsilon), round(-learningRate)] as const;
  const [b1, c1, b2, c2, d1, d2, eps, step] = scalars;
  const size = util.sizeFromShape(value.shape);
  const outputs = [value, firstMoment, secondMoment].map(() => backend.makeOutput(value.shape, "float32"));
  const tensors = [value, firstMoment, secondMoment, gradient, ...outputs];
  updateVariable(backend, size, {
    key: "adamUpdate",
    functions: adamUpdateFunctions,
    name: "adamUpdate",
    tensors,
    scalars,
    tail: (from) => {
      const [w, m, v, g, wOut, mOut, vOut] = tensors.map((tensor) => float32View(backend, tensor)) as Float32Array[];
      for (let i = from; i < size; i++) {
        const gi = g![i]!;
        const first = round(round(m![i]! * b1) + round(gi * c1));
        const second = round(round(v![i]! * b2) + round(round(gi * gi) * c2));
        mOut![i] = first;
        vOut![i] = second;
        const denominator = round(round(Math.sqrt(round(second / d2))) + eps);
        wOut![i] = round(round(round(round(first / d1) / denominator) * step) + w![i]!);
      }
    },
  });
  return outputs;
}

export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE,
  backendName: "wasm",
  kernelFunc: adamUpdate as unknown as KernelFunc,
};
