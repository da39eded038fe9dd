import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { columnSumsFunctions } from "./simd/column-sums.js";
import { addressOf, simdModule } from "./simd/instances.js";
import { runOverRange } from "./simd/kernel-workers.js";
import { WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/** The kernel techniques/sum-of-squares.ts runs where the backend has it: Σx² over leading axes, in one pass. */
export const SQUARE_SUMS = "ReglangSquareSums";

export interface SquareSumsAttrs {
  /** How many leading axes are summed over; at least one, and fewer than x's rank. */
  leadingAxes: number;
}

/** From this many values on, the SIMD column sums beat the float64 loop the backend's Sum takes below it (sum-leading-axes.ts). */
const SIMD_FROM = 1_024;
/** From this many values on (a 256 × 256 kernel), the columns are split between threads. */
const SPLIT_FROM_VALUES = 1 << 16;
/** A chunk's least width: 16 columns, a cache line of sums. */
const CHUNK_BYTES = 64;

/**
 * Σx² over the leading axes, dims kept: the column sums of squares
 * (simd/column-sums.ts) where Sum would take the SIMD column sums after a
 * Square, which gives the same numbers in one pass instead of two and with
 * no tensor of squares; otherwise that Square and Sum.
 */
function squareSums({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const { x } = inputs;
  if (x === undefined) throw new Error(`${SQUARE_SUMS} needs x`);
  const { leadingAxes } = attrs as unknown as SquareSumsAttrs;
  if (!Number.isInteger(leadingAxes) || leadingAxes < 1 || leadingAxes >= x.shape.length) {
    throw new Error(`${SQUARE_SUMS} sums 1 to ${x.shape.length - 1} leading axes, not ${leadingAxes}`);
  }
  const axes = Array.from({ length: leadingAxes }, (_, axis) => axis);
  const outShape = x.shape.map((size, axis) => (axis < leadingAxes ? 1 : size));
  const rowSize = util.sizeFromShape(x.shape.slice(leadingAxes));
  const size = util.sizeFromShape(x.shape);
  if (x.dtype !== "float32" || rowSize % 4 !== 0 || size < SIMD_FROM) {
    const scope = new WasmKernelScope(backend);
    return scope.finish(scope.run("Sum", { x: scope.run("Square", { x }, {}) }, { axis: axes, keepDims: true }));
  }
  const output = backend.makeOutput(outShape, "float32");
  const compiled = simdModule(backend, "columnSquareSums", () => columnSumsFunctions(true));
  const rowBytes = rowSize * 4;
  const fixed = [addressOf(backend, x), addressOf(backend, output), size / rowSize, rowBytes];
  runOverRange(backend, compiled, "columnSums", fixed, rowBytes, CHUNK_BYTES, size >= SPLIT_FROM_VALUES);
  return output;
}

export const squareSumsConfig: KernelConfig = {
  kernelName: SQUARE_SUMS,
  backendName: "wasm",
  kernelFunc: squareSums,
};
