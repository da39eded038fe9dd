import {
  GatherV2,
  util,
  type GatherV2Attrs,
  type GatherV2Inputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { wasmBackendOf } from "./wasm-heap.js";

/** Rows shorter than this are copied by a loop rather than as subarrays. */
const SHORT_ROW = 32;

/**
 * The wasm backend's GatherV2 computes every element's source position
 * apart; gathering whole rows (axis 0, as every training batch and
 * embedding lookup does) is one block copy per index instead. Other
 * gathers keep the backend's kernel. Short rows (bilinear sampling gathers
 * single pixels) are copied element by element: a subarray per row would
 * cost more than the copy.
 */
export function gatherRowsConfig(backendKernel: KernelConfig): KernelConfig {
  const backendGather = backendKernel.kernelFunc;
  function gatherV2(args: Parameters<KernelFunc>[0]): TensorInfo {
    const backend = wasmBackendOf(args.backend);
    const { x, indices } = args.inputs as GatherV2Inputs;
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    if (x === undefined || indices === undefined) throw new Error("GatherV2 needs x and indices");
    const rowAxis = x.shape.length > 0 && util.parseAxisParam(axis, x.shape)[0] === 0 && !batchDims;
    if (!rowAxis || (x.dtype !== "float32" && x.dtype !== "int32") || indices.dtype !== "int32") return backendGather(args) as TensorInfo;

    const rows = x.shape[0]!;
    const rowSize = util.sizeFromShape(x.shape.slice(1));
    const output = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    // Views only after the last allocation: makeOutput may grow the heap.
    const source = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
    const target = backend.typedArrayFromHeap(output) as Float32Array | Int32Array;
    const rowIndices = backend.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < rowIndices.length; i++) {
      const row = rowIndices[i]!;
      if (row < 0 || row >= rows) {
        backend.disposeData(output.dataId);
        throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
      }
      if (rowSize < SHORT_ROW) {
        for (let k = 0, from = row * rowSize, to = i * rowSize; k < rowSize; k++) target[to + k] = source[from + k]!;
      } else {
        target.set(source.subarray(row * rowSize, (row + 1) * rowSize), i * rowSize);
      }
    }
    return output;
  }
  return { kernelName: GatherV2, backendName: "wasm", setupFunc: backendKernel.setupFunc, kernelFunc: gatherV2 };
}
