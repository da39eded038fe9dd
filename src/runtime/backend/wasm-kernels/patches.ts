import type { backend_util, TensorInfo } from "@tensorflow/tfjs";
import { float32View, type WasmKernelScope } from "./wasm-heap.js";

/**
 * A convolution as a matrix product. Column n = (b, oh, ow) of the patch
 * matrix Pᵀ [taps, outputs] holds the input values that output pixel reads;
 * row (kh·filterWidth + kw)·inChannels + c the one under tap (kh, kw) in
 * channel c (zero where the tap falls in the padding). With W as a matrix
 * [taps, outChannels], y = P·W, so the filter's gradient is Pᵀ·dy: one
 * product XNNPACK takes without transposing anything.
 */
export function transposedPatchMatrix(scope: WasmKernelScope, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const patches = scope.backend.makeOutput([filterHeight * filterWidth * inChannels, batchSize * outHeight * outWidth], "float32");
  scope.track(patches);
  // Views only after the last allocation: makeOutput may grow the heap.
  const source = float32View(scope.backend, x);
  const target = float32View(scope.backend, patches);
  let offset = 0;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      // The output columns whose tap (kh, kw) lies inside the input: [colBegin, colEnd).
      const firstCol = kw * dilationWidth - info.padInfo.left;
      const colBegin = clamp(Math.ceil(-firstCol / strideWidth), 0, outWidth);
      const colEnd = clamp(Math.ceil((inWidth - firstCol) / strideWidth), colBegin, outWidth);
      for (let c = 0; c < inChannels; c++) {
        for (let b = 0; b < batchSize; b++) {
          for (let outRow = 0; outRow < outHeight; outRow++, offset += outWidth) {
            const row = outRow * strideHeight + kh * dilationHeight - info.padInfo.top;
            if (row < 0 || row >= inHeight) {
              target.fill(0, offset, offset + outWidth);
              continue;
            }
            target.fill(0, offset, offset + colBegin);
            const step = strideWidth * inChannels;
            let read = ((b * inHeight + row) * inWidth + firstCol + colBegin * strideWidth) * inChannels + c;
            for (let outCol = colBegin; outCol < colEnd; outCol++, read += step) target[offset + outCol] = source[read]!;
            target.fill(0, offset + colEnd, offset + outWidth);
          }
        }
      }
    }
  }
  return patches;
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
