import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from "@tensorflow/tfjs";
import { conv2dBackpropFilterConfig } from "./conv2d-backprop-filter.js";
import { conv2dBackpropInputConfig } from "./conv2d-backprop-input.js";
import { depthwiseConv2dBackpropFilterConfig } from "./depthwise-conv2d-backprop-filter.js";
import { depthwiseConv2dBackpropInputConfig } from "./depthwise-conv2d-backprop-input.js";
import { maxPoolGradConfig } from "./max-pool-grad.js";
import { unsortedSegmentSumConfig } from "./unsorted-segment-sum.js";

/**
 * Gradient kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks (so conv,
 * depthwise and embedding layers could not train on it), gets wrong
 * (MaxPoolGrad) or runs slowly (Conv2DBackpropInput, the costliest kernel of
 * a conv net's training step). Each is tested against the `cpu` backend.
 */
const WASM_GRADIENT_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
  maxPoolGradConfig,
];

/**
 * Installs the kernels for the wasm backend, replacing any it ships under
 * the same name: ours are the ones tested. Safe to call more than once.
 */
export function registerWasmGradients(): void {
  for (const config of WASM_GRADIENT_KERNELS) {
    const installed = getKernel(config.kernelName, "wasm");
    if (installed?.kernelFunc === config.kernelFunc) continue;
    if (installed !== undefined) unregisterKernel(config.kernelName, "wasm");
    registerKernel(config);
  }
}
