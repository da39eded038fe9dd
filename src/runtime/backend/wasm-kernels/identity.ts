import { Identity, type IdentityInputs, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { wasmBackendOf } from "./wasm-heap.js";

/**
 * Replaces the wasm backend's Identity, which copies the tensor: tensors are
 * never written after they are made, so the result shares the data and
 * counts one more reference to it, as the `cpu` backend's Identity does.
 * Gradients and `tf.keep` clone whole weight matrices every step.
 */
function identity({ inputs, backend }: Parameters<KernelFunc>[0]): TensorInfo {
  const { x } = inputs as IdentityInputs;
  if (x === undefined) throw new Error("Identity needs x");
  wasmBackendOf(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: "wasm",
  kernelFunc: identity,
};
