import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { filterGradientFunctions, TAPS_PER_PASS } from "./simd/filter-gradient.js";
import { addressOf, simdModule } from "./simd/instances.js";
import { runOverRange, SPLIT_FROM_MULTIPLY_ADDS } from "./simd/kernel-workers.js";
import { paddedForWindows, windowStrides } from "./simd/padded-input.js";
import { float32View, int32View, WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/**
 * The filter gradient of a convolution, summed over output pixels by a
 * SIMD kernel of our own (simd/filter-gradient.ts) where the output channels
 * come in fours, its taps split between threads on the threaded build;
 * else as a convolution XNNPACK runs (below).
 */
function conv2dBackpropFilter({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { x, dy } = inputs as Conv2DBackpropFilterInputs;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  if (x === undefined || dy === undefined) throw new Error("Conv2DBackpropFilter needs x and dy");
  // The wasm forward Conv2D accepts only NHWC, so no NCHW gradient is ever asked for.
  if (dataFormat === "NCHW") throw new Error("wasm Conv2DBackpropFilter supports NHWC only");
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const scope = new WasmKernelScope(wasmBackendOf(backend));
  const empty = info.batchSize * info.outHeight * info.outWidth === 0;
  return scope.finish(info.outChannels % 4 === 0 && !empty ? bySimdSums(scope, x, dy, info) : byConvolution(scope, x, dy, info));
}

/** Rows and columns past the last window the forward pass read: negative means x has unread ones, positive zero padding. */
function paddingAfter(info: backend_util.Conv2DInfo): { bottom: number; right: number } {
  return {
    bottom: (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - info.padInfo.top,
    right: (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - info.padInfo.left,
  };
}

/** dW from simd/filter-gradient.ts, on x padded with zeros so that every tap of every window lies inside it. */
function bySimdSums(scope: WasmKernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { backend } = scope;
  const padded = paddedForWindows(scope, x, info);
  const [, , width, channels] = padded.shape as [number, number, number, number];
  const strides = windowStrides(padded, info);
  const taps = info.filterHeight * info.filterWidth * channels;
  const tapOffsets = backend.makeOutput([taps], "int32");
  scope.track(tapOffsets);
  const dw = backend.makeOutput(info.filterShape, "float32");
  const offsets = int32View(backend, tapOffsets);
  for (let kh = 0, tap = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      for (let c = 0; c < channels; c++, tap++) offsets[tap] = ((kh * width + kw) * channels + c) * 4;
    }
  }
  float32View(backend, dw).fill(0);
  const compiled = simdModule(backend, `filterGradient ${info.outChannels}`, () => filterGradientFunctions(info.outChannels));
  const fixed = [
    addressOf(backend, padded),
    addressOf(backend, dy),
    addressOf(backend, dw),
    addressOf(backend, tapOffsets),
    info.batchSize,
    info.outHeight,
    info.outWidth,
    strides.imageStride,
    strides.rowStep,
    strides.pixelStep,
  ];
  const multiplyAdds = info.batchSize * info.outHeight * info.outWidth * taps * info.outChannels;
  runOverRange(backend, compiled, "filterGradient", fixed, taps, TAPS_PER_PASS, multiplyAdds >= SPLIT_FROM_MULTIPLY_ADDS);
  return dw;
}

/**
 * The filter gradient of a convolution is itself a convolution, which the
 * wasm backend runs fast (XNNPACK):
 *
 *   dW[kh,kw,ci,co] = Σ_b,oh,ow x[b, oh·sh + kh − padTop, ow·sw + kw − padLeft, ci] · dy[b,oh,ow,co]
 *
 * With x transposed to [ci, H, W, b] as a batch of ci images with b channels,
 * and dy transposed to [oh, ow, b, co] as a filter, that sum is a stride-1
 * convolution whose filter taps sit `stride` apart, i.e. dilation = forward
 * stride, and whose output is the kh×kw grid. Transposing back gives dW.
 */
function byConvolution(scope: WasmKernelScope, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { bottom: padBottom, right: padRight } = paddingAfter(info);
  const readHeight = info.inHeight + Math.min(padBottom, 0);
  const readWidth = info.inWidth + Math.min(padRight, 0);
  const readPart =
    padBottom < 0 || padRight < 0
      ? scope.run("Slice", { x }, { begin: [0, 0, 0, 0], size: [info.batchSize, readHeight, readWidth, info.inChannels] })
      : x;
  const imagesPerInChannel = scope.run("Transpose", { x: readPart }, { perm: [3, 1, 2, 0] });
  const dyAsFilter = scope.run("Transpose", { x: dy }, { perm: [1, 2, 0, 3] });
  const gradientPerInChannel = scope.run("Conv2D", { x: imagesPerInChannel, filter: dyAsFilter }, {
    strides: [1, 1],
    pad: [
      [0, 0],
      [info.padInfo.top, Math.max(padBottom, 0)],
      [info.padInfo.left, Math.max(padRight, 0)],
      [0, 0],
    ],
    dataFormat: "NHWC",
    dilations: [info.strideHeight, info.strideWidth],
  });
  return scope.run("Transpose", { x: gradientPerInChannel }, { perm: [1, 2, 0, 3] });
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter,
};
