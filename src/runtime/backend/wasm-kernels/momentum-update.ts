import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { addressOf, simdModule } from "./simd/instances.js";
import { runOverRange } from "./simd/kernel-workers.js";
import { momentumUpdateFunctions } from "./simd/momentum-update.js";
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

/** From this many values on (a 256 × 256 kernel), the update's parts are split between threads. */
const SPLIT_FROM_VALUES = 1 << 16;
/** A chunk's least size: a cache line. */
const CHUNK_BYTES = 64;

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
  const vectorBytes = Math.floor(size / 4) * 16;
  if (vectorBytes > 0) {
    const compiled = simdModule(backend, `momentumUpdate ${nesterov} ${decayed}`, () => momentumUpdateFunctions(nesterov, decayed));
    const bits = new Int32Array(new Float32Array([momentum32, scale32, decay32]).buffer);
    const fixed = [value, accumulation, gradient, newValue, newAccumulation].map((tensor) => addressOf(backend, tensor));
    fixed.push(bits[0]!, bits[1]!, bits[2]!);
    runOverRange(backend, compiled, "momentumUpdate", fixed, vectorBytes, CHUNK_BYTES, size >= SPLIT_FROM_VALUES);
  }
  if (vectorBytes / 4 < size) {
    const [w, a, g, wOut, aOut] = [value, accumulation, gradient, newValue, newAccumulation].map((tensor) => float32View(backend, tensor)) as Float32Array[];
    const round = Math.fround;
    for (let i = vectorBytes / 4; i < size; i++) {
      const gradientValue = decayed ? round(g![i]! + round(w![i]! * decay32)) : g![i]!;
      const accumulated = round(round(momentum32 * a![i]!) + gradientValue);
      aOut![i] = accumulated;
      const step = nesterov ? round(gradientValue + round(accumulated * momentum32)) : accumulated;
      wOut![i] = round(round(scale32 * step) + w![i]!);
    }
  }
  return [newValue, newAccumulation];
}

export const momentumUpdateConfig: KernelConfig = {
  kernelName: MOMENTUM_UPDATE,
  backendName: "wasm",
  kernelFunc: momentumUpdate as unknown as KernelFunc,
};
