import { Cast, type CastAttrs, type CastInputs, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { wasmBackendOf } from "./wasm-heap.js";

/**
 * A cast to the type a tensor already has shares its data, as Identity does
 * (identity.ts), instead of copying it: the gradient of relu casts its
 * float32 input to float32 at every layer and step. Real casts keep the
 * backend's kernel.
 */
export function castSameTypeConfig(backendKernel: KernelConfig): KernelConfig {
  const backendCast = backendKernel.kernelFunc;
  function cast(args: Parameters<KernelFunc>[0]): TensorInfo {
    const { x } = args.inputs as CastInputs;
    const { dtype } = args.attrs as unknown as CastAttrs;
    if (x === undefined) throw new Error("Cast needs x");
    if (x.dtype !== dtype) return backendCast(args) as TensorInfo;
    wasmBackendOf(args.backend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype };
  }
  return { kernelName: Cast, backendName: "wasm", setupFunc: backendKernel.setupFunc, kernelFunc: cast };
}
