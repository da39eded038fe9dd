import {
  backend_util,
  FusedConv2D,
  util,
  type FusedConv2DAttrs,
  type FusedConv2DInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { simdConvolution, simdConvolutionFits } from "./simd-convolution.js";
import { WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/**
 * Input channels up to which a convolution runs as the SIMD patch product
 * (simd/patch-product.ts): an image model's first layer, which XNNPACK runs
 * at a fraction of its speed on wider inputs (one channel, 16 out: 2× faster
 * this way, wasm, one thread). From about 16 channels on XNNPACK is faster.
 */
const FEW_CHANNELS = 4;

/**
 * FusedConv2D (a conv layer with no activation or relu, see
 * model/layers/fused-conv2d.ts) of few input channels by the SIMD patch
 * product, bias and relu applied as each sum leaves its register; the
 * backend's own kernel otherwise.
 */
export function fusedConv2dFewChannelsConfig(backendKernel: KernelConfig): KernelConfig {
  const backendConv = backendKernel.kernelFunc;
  function fusedConv2d(args: Parameters<KernelFunc>[0]): TensorInfo {
    const { x, filter, bias, preluActivationWeights } = args.inputs as FusedConv2DInputs;
    const { strides, pad, dataFormat, dilations, dimRoundingMode, activation } = args.attrs as unknown as FusedConv2DAttrs;
    if (x === undefined || filter === undefined) throw new Error("FusedConv2D needs x and filter");
    const plain = dataFormat === "NHWC" && preluActivationWeights === undefined && (activation === "linear" || activation === "relu");
    const shape4 = x.shape.length === 4 && filter.shape.length === 4;
    if (!plain || !shape4 || x.dtype !== "float32" || (x.shape[3] ?? 0) > FEW_CHANNELS) return backendConv(args) as TensorInfo;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      strides,
      dilations,
      pad,
      dimRoundingMode,
    );
    // A bias of one value per output channel; others (broadcast from a scalar, …) keep the backend's kernel.
    const perChannelBias = bias === undefined || util.sizeFromShape(bias.shape) === info.outChannels;
    if (!simdConvolutionFits(info) || !perChannelBias) return backendConv(args) as TensorInfo;
    const scope = new WasmKernelScope(wasmBackendOf(args.backend));
    return scope.finish(simdConvolution(scope, x, filter, bias, info, activation === "relu"));
  }
  return { kernelName: FusedConv2D, backendName: "wasm", setupFunc: backendKernel.setupFunc, kernelFunc: fusedConv2d };
}
