import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import { SQUARE_SUMS } from "./square-sums.js";
import { float32View, wasmBackendOf, WasmKernelScope } from "./wasm-heap.js";

/** The kernel techniques/maxnorm.ts runs where the backend has it: the max-norm projection of a weight, in one kernel. */
export const MAX_NORM = "ReglangMaxNorm";

export interface MaxNormAttrs {
  /** c: the largest norm a column may keep. */
  maxNorm: number;
  /** How many leading axes each norm runs over (ReglangSquareSums's). */
  leadingAxes: number;
}

/**
 * x·min(1, c/max(‖x_j‖, 1e-12)) for each column j (the values that share
 * the trailing axes), in float32 as the composite of sqrt, maximum, divide,
 * minimum and multiply gives it, bit for bit, but without five kernels'
 * trips through the engine for each weight every step. Where no column is
 * longer than c, as is usual, the result shares x's data: no pass writes it.
 */
function maxNorm({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const { x } = inputs;
  if (x === undefined || x.dtype !== "float32") throw new Error(`${MAX_NORM} needs a float32 x`);
  const { maxNorm: limit, leadingAxes } = attrs as unknown as MaxNormAttrs;
  const scope = new WasmKernelScope(backend);
  const squareSums = scope.run(SQUARE_SUMS, { x }, { leadingAxes });
  const scales = backend.makeOutput(squareSums.shape, "float32");
  scope.track(scales);
  const [sums, scaleOf] = [float32View(backend, squareSums), float32View(backend, scales)];
  // Each step rounded to float32, as the composite's kernels round it.
  const [c, least] = [Math.fround(limit), Math.fround(1e-12)];
  let shrinks = false;
  for (let column = 0; column < sums.length; column++) {
    const norm = Math.fround(Math.sqrt(sums[column]!));
    scaleOf[column] = Math.min(1, Math.fround(c / Math.max(norm, least)));
    if (scaleOf[column] !== 1) shrinks = true;
  }
  if (shrinks) return scope.finish(scope.run("Multiply", { a: x, b: scales }, {}));
  backend.incRef(x.dataId);
  return scope.finish({ dataId: x.dataId, shape: x.shape, dtype: x.dtype });
}

export const maxNormConfig: KernelConfig = {
  kernelName: MAX_NORM,
  backendName: "wasm",
  kernelFunc: maxNorm,
};
