import type { backend_util, TensorInfo } from "@tensorflow/tfjs";
import { float32View, type WasmKernelScope } from "./wasm-heap.js";

/**
 * A convolution as a matrix product. Column n = (b, oh, ow) of the patch
 * matrix Pᵀ [taps, outputs] holds the input values that output pixel reads;
 * row (kh·filterWidth + kw)·inChannels + c the one under tap (kh, kw) in
 * channel c (zero where the tap falls in the padding). With W as a matrix
 * [taps, outChannels], y = P·W; so the input's gradient adds each entry of
 * W·dyᵀ back where Pᵀ took it from.
 *
 * Where a layer has few input channels (the input's gradient of an image
 * model's first layer, which adversarial training asks for), that product
 * and the adding back beat the convolution the gradient is otherwise
 * rewritten as: it has one to three output channels, a shape XNNPACK runs
 * slowly. (The filter's gradient Pᵀ·dy is no faster this way: XNNPACK
 * packs dy, fresh at every step, as a matrix's right operand, which costs
 * more than the convolution.)
 */

/** The input's gradient [b, h, w, c] from the gradient of Pᵀ: each entry added to the input value it was read from. */
export function addTransposedPatchesBack(scope: WasmKernelScope, patchGradient: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const dx = scope.backend.makeOutput([info.batchSize, info.inHeight, info.inWidth, info.inChannels], "float32");
  const source = float32View(scope.backend, patchGradient);
  const target = float32View(scope.backend, dx).fill(0);
  eachRun(info, (offset, begin, end, write, step) => {
    for (let outCol = begin; outCol < end; outCol++, write += step) target[write]! += source[offset + outCol]!;
  });
  return dx;
}

/**
 * Walks Pᵀ one run at a time: the outWidth entries of one tap and channel
 * for one output row of one image, starting at `offset`. Entries
 * [begin, end) read the input from offset `input` on, `step` apart; the
 * others fall in the padding.
 */
function eachRun(info: backend_util.Conv2DInfo, visit: (offset: number, begin: number, end: number, input: number, step: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const step = strideWidth * inChannels;
  let offset = 0;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const firstCol = kw * dilationWidth - info.padInfo.left;
      const colBegin = clamp(Math.ceil(-firstCol / strideWidth), 0, outWidth);
      const colEnd = clamp(Math.ceil((inWidth - firstCol) / strideWidth), colBegin, outWidth);
      for (let c = 0; c < inChannels; c++) {
        for (let b = 0; b < batchSize; b++) {
          for (let outRow = 0; outRow < outHeight; outRow++, offset += outWidth) {
            const row = outRow * strideHeight + kh * dilationHeight - info.padInfo.top;
            const rowInside = row >= 0 && row < inHeight;
            const input = ((b * inHeight + row) * inWidth + firstCol + colBegin * strideWidth) * inChannels + c;
            visit(offset, colBegin, rowInside ? colEnd : colBegin, input, step);
          }
        }
      }
    }
  }
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
