import {
  backend_util,
  MaxPoolGrad,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type MaxPoolGradInputs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs";
import { maxPoolGradientFunctions } from "./simd/max-pool-gradient.js";
import { addressOf, simdModule } from "./simd/instances.js";
import { runOverRange } from "./simd/kernel-workers.js";
import { float32View, wasmBackendOf } from "./wasm-heap.js";

/** From this many input values on (about 0.2 ms on one thread), the SIMD kernel's images are split between threads. */
const SPLIT_FROM_VALUES = 1 << 18;

/**
 * Replaces the wasm backend's own MaxPoolGrad, which drops the gradient of
 * every window whose maximum is ≤ 0.
 *
 * Each window sends its dy to its argmax. Like the `cpu` kernel: the first
 * maximum in row-major order wins ties, padding is skipped rather than read
 * as a value, and overlapping windows add up. The common pool (2×2 windows
 * of stride 2, channels in fours) runs as wasm SIMD (simd/max-pool-gradient.ts),
 * its images split between threads on the threaded build when large.
 */
function maxPoolGrad({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const { dy, input } = inputs as MaxPoolGradInputs;
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  if (dy === undefined || input === undefined) throw new Error("MaxPoolGrad needs dy and input");
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;

  const output = backend.makeOutput(input.shape, "float32");
  const twoByTwo = filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2;
  const inside = info.padInfo.top === 0 && info.padInfo.left === 0 && outHeight * 2 <= inHeight && outWidth * 2 <= inWidth;
  if (twoByTwo && inside && info.inChannels % 4 === 0 && outHeight * outWidth * info.batchSize > 0) {
    // The SIMD kernel writes every pixel its windows cover; a last odd row or column is zeroed here.
    if (outHeight * 2 < inHeight || outWidth * 2 < inWidth) float32View(backend, output).fill(0);
    const compiled = simdModule(backend, "maxPoolGradient", maxPoolGradientFunctions);
    const pixelBytes = info.inChannels * 4;
    const fixed = [
      addressOf(backend, input),
      addressOf(backend, dy),
      addressOf(backend, output),
      outHeight,
      outWidth,
      info.inChannels / 4,
      inWidth * pixelBytes,
      inHeight * inWidth * pixelBytes,
    ];
    runOverRange(backend, compiled, "maxPoolGradient2x2", fixed, info.batchSize, 1, util.sizeFromShape(input.shape) >= SPLIT_FROM_VALUES);
    return output;
  }
  // Written straight into the heap: a float64 scratch as large as the input
  // costs more in allocation and garbage collection than the loops do.
  const gradient = float32View(backend, output).fill(0);
  const inputValues = float32View(backend, input);
  const dyValues = float32View(backend, dy);
  if (twoByTwo && inside) sendToArgmax2x2(info, inputValues, dyValues, gradient);
  else sendToArgmax(info, inputValues, dyValues, gradient);
  return output;
}

/**
 * 2×2 windows of stride 2 inside the input (the common pool): each input
 * pixel is in one window at most, so the winner's gradient is written, not
 * added; the four comparisons are written out, which halves the time of the
 * general loop.
 */
function sendToArgmax2x2(info: backend_util.Conv2DInfo, inputValues: Float32Array, dyValues: Float32Array, gradient: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const rowStride = inWidth * channels;
  let dyOffset = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      const windowRow = (b * inHeight + outRow * 2) * rowStride;
      for (let outCol = 0; outCol < outWidth; outCol++, dyOffset += channels) {
        const windowStart = windowRow + outCol * 2 * channels;
        for (let channel = 0; channel < channels; channel++) {
          const topLeft = windowStart + channel;
          const topRight = topLeft + channels;
          const bottomLeft = topLeft + rowStride;
          const bottomRight = bottomLeft + channels;
          // First maximum in row-major order; NaN and -Infinity never win, as on `cpu`.
          let maxValue = inputValues[topLeft]!;
          let maxOffset = topLeft;
          if (!(maxValue > Number.NEGATIVE_INFINITY)) {
            maxValue = Number.NEGATIVE_INFINITY;
            maxOffset = -1;
          }
          if (inputValues[topRight]! > maxValue) {
            maxValue = inputValues[topRight]!;
            maxOffset = topRight;
          }
          if (inputValues[bottomLeft]! > maxValue) {
            maxValue = inputValues[bottomLeft]!;
            maxOffset = bottomLeft;
          }
          if (inputValues[bottomRight]! > maxValue) maxOffset = bottomRight;
          if (maxOffset >= 0) gradient[maxOffset] = dyValues[dyOffset + channel]!;
        }
      }
    }
  }
}

/** Any windows: clipped at the borders, overlapping ones adding up. */
function sendToArgmax(info: backend_util.Conv2DInfo, inputValues: Float32Array, dyValues: Float32Array, gradient: Float32Array): void {
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth } = info;
  // Per window, a running maximum per channel: the channels of one pixel
  // lie side by side in NHWC, so the innermost loop reads memory in order.
  const maxValues = new Float32Array(channels);
  const maxOffsets = new Int32Array(channels);
  for (let b = 0; b < batchSize; b++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      const firstRow = outRow * strideHeight - info.padInfo.top;
      const rowBegin = Math.max(firstRow, 0);
      const rowEnd = Math.min(firstRow + filterHeight, inHeight);
      for (let outCol = 0; outCol < outWidth; outCol++) {
        const firstCol = outCol * strideWidth - info.padInfo.left;
        const colBegin = Math.max(firstCol, 0);
        const colEnd = Math.min(firstCol + filterWidth, inWidth);
        for (let channel = 0; channel < channels; channel++) {
          maxValues[channel] = Number.NEGATIVE_INFINITY;
          maxOffsets[channel] = -1;
        }
        for (let row = rowBegin; row < rowEnd; row++) {
          for (let col = colBegin; col < colEnd; col++) {
            const pixelOffset = ((b * inHeight + row) * inWidth + col) * channels;
            for (let channel = 0; channel < channels; channel++) {
              const value = inputValues[pixelOffset + channel]!;
              if (value > maxValues[channel]!) {
                maxValues[channel] = value;
                maxOffsets[channel] = pixelOffset + channel;
              }
            }
          }
        }
        const dyOffset = ((b * outHeight + outRow) * outWidth + outCol) * channels;
        for (let channel = 0; channel < channels; channel++) {
          // A window of only -Infinity or NaN has no argmax on `cpu` either.
          const maxOffset = maxOffsets[channel]!;
          if (maxOffset >= 0) gradient[maxOffset]! += dyValues[dyOffset + channel]!;
        }
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: "wasm",
  kernelFunc: maxPoolGrad,
};
