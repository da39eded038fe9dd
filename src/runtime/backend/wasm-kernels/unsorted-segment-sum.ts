import {
  UnsortedSegmentSum,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
  type UnsortedSegmentSumInputs,
} from "@tensorflow/tfjs";
import { float32View, int32View, wasmBackendOf } from "./wasm-heap.js";

/**
 * out[s, ...] = Σ over rows i with segmentIds[i] = s of x[i, ...]
 *
 * The gradient of gather, hence of every embedding lookup. One pass over x;
 * the `cpu` kernel makes one pass per segment (a whole vocabulary of them).
 * Ids outside [0, numSegments) are dropped, as on `cpu`.
 */
function unsortedSegmentSum({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const { x, segmentIds } = inputs as UnsortedSegmentSumInputs;
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  if (x === undefined || segmentIds === undefined) throw new Error("UnsortedSegmentSum needs x and segmentIds");
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const rowSize = util.sizeFromShape(rowShape);

  // Summed straight into the output: a float64 scratch array as large as an
  // embedding table would cost more memory and time than the pass itself.
  const output = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  const sums = (x.dtype === "int32" ? int32View(backend, output) : float32View(backend, output)).fill(0);
  const xValues = x.dtype === "int32" ? int32View(backend, x) : float32View(backend, x);
  const ids = int32View(backend, segmentIds);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row]!;
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) sums[to + k]! += xValues[from + k]!;
  }
  return output;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: "wasm",
  kernelFunc: unsortedSegmentSum,
};
