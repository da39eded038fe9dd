import type { backend_util, TensorInfo } from "@tensorflow/tfjs";
import type { WasmKernelScope } from "../wasm-heap.js";

/**
 * x with the zeros around it that a convolution's windows read (its padding),
 * so that a kernel reads every tap of every window from memory without
 * bounds checks; x itself where no window reaches past it. Rows and columns
 * no window reads are left in place: the kernels step over them.
 */
export function paddedForWindows(scope: WasmKernelScope, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { top, left } = info.padInfo;
  const bottom = (info.outHeight - 1) * info.strideHeight + (info.filterHeight - 1) * info.dilationHeight + 1 - info.inHeight - top;
  const right = (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1 - info.inWidth - left;
  if (top <= 0 && left <= 0 && bottom <= 0 && right <= 0) return x;
  const paddings = [[0, 0], [Math.max(top, 0), Math.max(bottom, 0)], [Math.max(left, 0), Math.max(right, 0)], [0, 0]];
  return scope.run("PadV2", { x }, { paddings, constantValue: 0 });
}

/** A padded input's strides in bytes, as the kernels step: from image to image, from one window's row to the next's, from one window to the next in a row. */
export function windowStrides(padded: TensorInfo, info: backend_util.Conv2DInfo): { imageStride: number; rowStep: number; pixelStep: number } {
  const [, height, width, channels] = padded.shape as [number, number, number, number];
  return { imageStride: height * width * channels * 4, rowStep: info.strideHeight * width * channels * 4, pixelStep: info.strideWidth * channels * 4 };
}
