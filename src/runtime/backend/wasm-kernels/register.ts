import { BatchMatMul, Cast, FusedConv2D, GatherV2, getKernel, registerKernel, Sum, unregisterKernel, type KernelConfig } from "@tensorflow/tfjs";
import { adamUpdateConfig } from "./adam-update.js";
import { fastBatchMatMulConfig } from "./batch-mat-mul.js";
import { castSameTypeConfig } from "./cast-same-type.js";
import { conv2dBackpropFilterConfig } from "./conv2d-backprop-filter.js";
import { conv2dBackpropInputConfig } from "./conv2d-backprop-input.js";
import { denseConfig } from "./dense.js";
import { depthwiseConv2dBackpropFilterConfig } from "./depthwise-conv2d-backprop-filter.js";
import { depthwiseConv2dBackpropInputConfig } from "./depthwise-conv2d-backprop-input.js";
import { fusedConv2dFewChannelsConfig } from "./fused-conv2d-few-channels.js";
import { gatherRowsConfig } from "./gather-rows.js";
import { identityConfig } from "./identity.js";
import { maxNormConfig } from "./max-norm.js";
import { maxPoolGradConfig } from "./max-pool-grad.js";
import { momentumUpdateConfig } from "./momentum-update.js";
import { softmaxCrossEntropyConfig, softmaxCrossEntropyGradConfig } from "./softmax-cross-entropy.js";
import { squareSumsConfig } from "./square-sums.js";
import { sumLeadingAxesConfig } from "./sum-leading-axes.js";
import { unsortedSegmentSumConfig } from "./unsorted-segment-sum.js";

/**
 * Kernels that @tensorflow/tfjs-backend-wasm 4.22 lacks (so conv, depthwise
 * and embedding layers could not train on it), gets wrong (MaxPoolGrad) or
 * runs slowly (Conv2DBackpropInput, the costliest kernel of a conv net's
 * training step; Identity, which copies), and in one pass each, SGD with
 * momentum's update (train/fused-momentum.ts), Adam's (train/fused-adam.ts), sums of squares
 * (techniques/sum-of-squares.ts), the max-norm projection
 * (techniques/maxnorm.ts), softmax cross-entropy with its gradient
 * (train/losses.ts) and a dense layer's product, bias and relu
 * (model/layers/fused-dense.ts). Each is tested against the `cpu` backend.
 */
const WASM_KERNELS: readonly KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
  maxPoolGradConfig,
  identityConfig,
  momentumUpdateConfig,
  adamUpdateConfig,
  squareSumsConfig,
  maxNormConfig,
  denseConfig,
  softmaxCrossEntropyConfig,
  softmaxCrossEntropyGradConfig,
];

/**
 * Kernels that take the common training cases faster and hand the rest to
 * the backend's own kernel of the same name, built from it.
 */
const FAST_PATHS: ReadonlyArray<[kernelName: string, build: (backendKernel: KernelConfig) => KernelConfig]> = [
  [BatchMatMul, fastBatchMatMulConfig],
  [Cast, castSameTypeConfig],
  [FusedConv2D, fusedConv2dFewChannelsConfig],
  [GatherV2, gatherRowsConfig],
  [Sum, sumLeadingAxesConfig],
];

/** Built once each, from the backend's kernel as tfjs registered it. */
let fastPaths: KernelConfig[] | undefined;

/**
 * Installs the kernels for the wasm backend, replacing any it ships under
 * the same name: ours are the ones tested. Safe to call more than once.
 */
export function registerWasmKernels(): void {
  fastPaths ??= FAST_PATHS.map(([kernelName, build]) => {
    const backendKernel = getKernel(kernelName, "wasm");
    if (backendKernel === undefined) throw new Error(`the wasm backend registered no ${kernelName} kernel`);
    return build(backendKernel);
  });
  for (const config of [...WASM_KERNELS, ...fastPaths]) {
    const installed = getKernel(config.kernelName, "wasm");
    if (installed?.kernelFunc === config.kernelFunc) continue;
    if (installed !== undefined) unregisterKernel(config.kernelName, "wasm");
    registerKernel(config);
  }
}
