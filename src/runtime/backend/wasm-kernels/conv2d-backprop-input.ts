import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { inputGradientByPatches } from "./patches.js";
import { spreadOutputGradient } from "./spread-output-gradient.js";
import { float32View, WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/**
 * Replaces the wasm backend's own Conv2DBackpropInput, which is correct but
 * a plain loop, several times slower than this: a convolution (XNNPACK) of
 * the spread-out dy with the filter turned 180° and its in/out channels
 * swapped (see spread-output-gradient.ts). For few input channels (the
 * input's gradient of a first layer, which adversarial training asks for)
 * that convolution has one to three output channels, which XNNPACK runs
 * slowly; there dx comes from a product with the patch matrix (patches.ts).
 */
function conv2dBackpropInput({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { dy, filter } = inputs as Conv2DBackpropInputInputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  if (dy === undefined || filter === undefined) throw new Error("Conv2DBackpropInput needs dy and filter");
  // The wasm forward Conv2D accepts only NHWC, so no NCHW gradient is ever asked for.
  if (dataFormat === "NCHW") throw new Error("wasm Conv2DBackpropInput supports NHWC only");
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const scope = new WasmKernelScope(wasmBackendOf(backend));
  return scope.finish(info.inChannels <= FEW_CHANNELS ? inputGradientByPatches(scope, dy, filter, info) : byConvolution(scope, dy, filter, info));
}

/** Input channels up to which dx takes the patch route: an image's one to three (at one, 2× faster than the convolution on wasm, one thread). */
const FEW_CHANNELS = 3;

function byConvolution(scope: WasmKernelScope, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { spreadDy, padding } = spreadOutputGradient(scope, dy, info);
  const swapped = turnedAndSwapped(scope, filter);
  return scope.run("Conv2D", { x: spreadDy, filter: swapped }, {
    strides: [1, 1],
    pad: padding,
    dataFormat: "NHWC",
    dilations: [1, 1],
  });
}

/**
 * W[kh, kw, ci, co] → W'[kh, kw, co, ci] = W[KH−1−kh, KW−1−kw, ci, co]: the
 * filter turned 180° with its channels swapped, in one pass (the backend's
 * Reverse then Transpose of a 3×3×16×32 filter took 0.4–0.8 ms, longer than
 * this whole kernel on two 13×13 images).
 */
function turnedAndSwapped(scope: WasmKernelScope, filter: TensorInfo): TensorInfo {
  const [height, width, inChannels, outChannels] = filter.shape as [number, number, number, number];
  const result = scope.backend.makeOutput([height, width, outChannels, inChannels], "float32");
  scope.track(result);
  const source = float32View(scope.backend, filter);
  const target = float32View(scope.backend, result);
  let write = 0;
  for (let kh = height - 1; kh >= 0; kh--) {
    for (let kw = width - 1; kw >= 0; kw--) {
      const tap = (kh * width + kw) * inChannels * outChannels;
      for (let co = 0; co < outChannels; co++) {
        for (let ci = 0; ci < inChannels; ci++) target[write++] = source[tap + ci * outChannels + co]!;
      }
    }
  }
  return result;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: "wasm",
  kernelFunc: conv2dBackpropInput,
};
