import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type DepthwiseConv2dNativeBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { spreadOutputGradient } from "./spread-output-gradient.js";
import { WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/**
 * A depthwise convolution (XNNPACK) of the spread-out dy with the filter
 * turned 180° (see spread-output-gradient.ts). Each of the C·M channels of
 * dy gets its own turned filter, multiplier 1; then the M channels that came
 * from one input channel are summed.
 */
function depthwiseConv2dBackpropInput({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { dy, filter } = inputs as DepthwiseConv2dNativeBackpropInputInputs;
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  if (dy === undefined || filter === undefined) {
    throw new Error("DepthwiseConv2dNativeBackpropInput needs dy and filter");
  }
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inHeight, inWidth, inChannels, outChannels, filterHeight, filterWidth } = info;
  const scope = new WasmKernelScope(wasmBackendOf(backend));
  const { spreadDy, padding } = spreadOutputGradient(scope, dy, info);
  const turned = scope.run("Reverse", { x: filter }, { dims: [0, 1] });
  const perChannelFilter = scope.run("Reshape", { x: turned }, { shape: [filterHeight, filterWidth, outChannels, 1] });
  const perChannelGradient = scope.run("DepthwiseConv2dNative", { x: spreadDy, filter: perChannelFilter }, {
    strides: [1, 1],
    dilations: [info.dilationHeight, info.dilationWidth],
    pad: padding,
  });
  const multiplier = outChannels / inChannels;
  if (multiplier === 1) return scope.finish(perChannelGradient);
  const grouped = scope.run("Reshape", { x: perChannelGradient }, {
    shape: [batchSize, inHeight, inWidth, inChannels, multiplier],
  });
  return scope.finish(scope.run("Sum", { x: grouped }, { axis: [4], keepDims: false }));
}

export const depthwiseConv2dBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: "wasm",
  kernelFunc: depthwiseConv2dBackpropInput,
};
