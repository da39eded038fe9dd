import type { backend_util, TensorInfo } from "@tensorflow/tfjs";
import { addressOf, simdModule } from "./simd/instances.js";
import { runOverRange, SPLIT_FROM_MULTIPLY_ADDS } from "./simd/kernel-workers.js";
import { paddedForWindows, windowStrides } from "./simd/padded-input.js";
import { patchProductFunctions, unrolledChannels } from "./simd/patch-product.js";
import { int32View, type WasmKernelScope } from "./wasm-heap.js";

/** Whether {@link simdConvolution} takes a convolution: output channels in fours, a non-empty output. */
export function simdConvolutionFits(info: backend_util.Conv2DInfo): boolean {
  return info.outChannels % 4 === 0 && info.batchSize * info.outHeight * info.outWidth * info.inChannels > 0;
}

/**
 * activation(conv(x, filter) + bias) in NHWC by the SIMD patch product
 * (simd/patch-product.ts), on x padded for its windows, its images split
 * between threads on the threaded build; `info` may have any strides,
 * dilations and padding.
 */
export function simdConvolution(
  scope: WasmKernelScope,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  info: backend_util.Conv2DInfo,
  relu: boolean,
): TensorInfo {
  const { backend } = scope;
  const padded = paddedForWindows(scope, x, info);
  const [, , width, channels] = padded.shape as [number, number, number, number];
  const strides = windowStrides(padded, info);
  const unrolled = unrolledChannels(channels);
  const windowOffsets = backend.makeOutput([info.filterHeight * info.filterWidth * (channels / unrolled)], "int32");
  scope.track(windowOffsets);
  const y = backend.makeOutput(info.outShape, "float32");
  const offsets = int32View(backend, windowOffsets);
  let group = 0;
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const pixel = kh * info.dilationHeight * width + kw * info.dilationWidth;
      for (let c = 0; c < channels; c += unrolled) offsets[group++] = (pixel * channels + c) * 4;
    }
  }
  const shape = { inChannels: channels, outChannels: info.outChannels, bias: bias !== undefined, relu };
  const compiled = simdModule(backend, `patchProduct ${JSON.stringify(shape)}`, () => patchProductFunctions(shape));
  const fixed = [
    addressOf(backend, padded),
    addressOf(backend, filter),
    bias === undefined ? 0 : addressOf(backend, bias),
    addressOf(backend, y),
    addressOf(backend, windowOffsets),
    group,
    info.outHeight,
    info.outWidth,
    strides.imageStride,
    strides.rowStep,
    strides.pixelStep,
  ];
  const multiplyAdds = info.batchSize * info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * channels * info.outChannels;
  runOverRange(backend, compiled, "patchProduct", fixed, info.batchSize, 1, multiplyAdds >= SPLIT_FROM_MULTIPLY_ADDS);
  return y;
}
