import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import {
  getKernel,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from "@tensorflow/tfjs";

/** A kernel gets the backend that runs it; these are registered for wasm only. */
export function wasmBackendOf(backend: object): BackendWasm {
  return backend as BackendWasm;
}

/**
 * A view of a tensor's data inside the wasm heap, without copying it.
 * Allocating (makeOutput, running a kernel) may grow the heap and detach
 * every view taken before, so take views only after the last allocation.
 */
export function float32View(backend: BackendWasm, tensor: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(tensor) as Float32Array;
}

export function int32View(backend: BackendWasm, tensor: TensorInfo): Int32Array {
  return backend.typedArrayFromHeap(tensor) as Int32Array;
}

/**
 * Runs the wasm backend's own kernels for one composite kernel, directly, as
 * backends compose kernels internally: nothing goes through the engine, so
 * nothing is taped. `finish` frees every intermediate but the result.
 */
export class WasmKernelScope {
  private readonly intermediates: TensorInfo[] = [];

  constructor(readonly backend: BackendWasm) {}

  run(kernelName: string, inputs: NamedTensorInfoMap, attrs: object): TensorInfo {
    const kernel = getKernel(kernelName, "wasm");
    if (kernel === undefined) throw new Error(`the wasm backend has no ${kernelName} kernel`);
    const result = kernel.kernelFunc({ inputs, attrs: attrs as NamedAttrMap, backend: this.backend }) as TensorInfo;
    this.intermediates.push(result);
    return result;
  }

  /** Adds a tensor made outside `run` (by another kernel function) to those `finish` frees. */
  track(tensor: TensorInfo): void {
    this.intermediates.push(tensor);
  }

  /** Frees the intermediates (reference-counted, so views of `result` survive) and returns `result`. */
  finish(result: TensorInfo): TensorInfo {
    for (const tensor of this.intermediates) if (tensor !== result) this.backend.disposeData(tensor.dataId);
    return result;
  }
}
