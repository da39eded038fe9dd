import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { momentumUpdateFunctions } from "./simd/momentum-update.js";
import { updateVariable } from "./variable-update.js";
import { float32View, wasmBackendOf } from "./wasm-heap.js";

/** The kernel train/fused-momentum.ts runs where the backend has it: SGD with momentum in one pass. */
export const MOMENTUM_UPDATE = "ReglangMomentumUpdate";

export interface MomentumUpdateAttrs {
  momentum: number;
  learningRate: number;
  nesterov: boolean;
  /** λ, when the gradient is to have λ·w added first (an L2 penalty's 2α·w). */
  decay?: number;
}

/**
 * [new value, new accumulation] of a float32 variable, its accumulation and
 * its gradient (plus λ·w with `decay`): SIMD over the values in fours (simd/momentum-update.ts),
 * the last few in JavaScript rounded to float32 after each operation,
 * which gives the same numbers.
 */
function momentumUpdate({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo[] {
  const backend = wasmBackendOf(anyBackend);
  const { value, accumulation, gradient } = inputs;
  if (value === undefined || accumulation === undefined || gradient === undefined) throw new Error(`${MOMENTUM_UPDATE} needs value, accumulation and gradient`);
  const { momentum, learningRate, nesterov, decay } = attrs as unknown as MomentumUpdateAttrs;
  const decayed = decay !== undefined;
  const size = util.sizeFromShape(value.shape);
  const newValue = backend.makeOutput(value.shape, "float32");
  const newAccumulation = backend.makeOutput(value.shape, "float32");
  const [momentum32, scale32, decay32] = [Math.fround(momentum), Math.fround(-learningRate), Math.fround(decay ?? 0)];
  const tensors = [value, accumulation, gradient, newValue, newAccumulation];
  updateVariable(backend, size, {
    key: `momentumUpdate ${nesterov} ${decayed}`,
    functions: () => momentumUpdateFunctions(nesterov, decayed),
    name: "momentumUpdate",
    tensors,
    scalars: [momentum32, scale32, decay32],
    tail: (from) => {
      const [w, a, g, wOut, aOut] = tensors.map((tensor) => float32View(backend, tensor)) as Float32Array[];
      const round = Math.fround;
      for (let i = from; i < size; i++) {
        const gradientValue = decayed ? round(g![i]! + round(w![i]! * decay32)) : g![i]!;
        const accumulated = round(round(momentum32 * a![i]!) + gradientValue);
        aOut![i] = accumulated;
        const step = nesterov ? round(gradientValue + round(accumulated * momentum32)) : accumulated;
        wOut![i] = round(round(scale32 * step) + w![i]!);
      }
    },
  });
  return [newValue, newAccumulation];
}

export const momentumUpdateConfig: KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: "wasm",
  kernelFunc: momentumUpdate as unknown as KernelFunc,
};
