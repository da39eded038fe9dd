import type { backend_util, TensorInfo } from "@tensorflow/tfjs";
import type { WasmKernelScope } from "./wasm-heap.js";

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * The gradient with respect to a convolution's input is a stride-1
 * convolution, with the filter turned 180°, of D: dy spread out so that
 * dy[b,oh,ow,·] sits at row oh·sh, column ow·sw, with zeros between.
 *
 *   dx[b,i,j,·] = Σ_kh,kw D[b, i + padTop − kh·dh, j + padLeft − kw·dw, ·] ⋆ W[kh,kw,·,·]
 *
 * Returns D, cropped where no input pixel reads it, and the explicit padding
 * that makes that convolution (dilated as the forward one) return exactly
 * the input's height and width.
 */
export function spreadOutputGradient(
  scope: WasmKernelScope,
  dy: TensorInfo,
  info: backend_util.Conv2DInfo,
): { spreadDy: TensorInfo; padding: ExplicitPadding } {
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, strideHeight, strideWidth } = info;
  let spread = dy;
  if (strideHeight > 1 || strideWidth > 1) {
    const cells = scope.run("Reshape", { x: dy }, { shape: [batchSize, outHeight, 1, outWidth, 1, outChannels] });
    const padded = scope.run("PadV2", { x: cells }, {
      paddings: [[0, 0], [0, 0], [0, strideHeight - 1], [0, 0], [0, strideWidth - 1], [0, 0]],
      constantValue: 0,
    });
    spread = scope.run("Reshape", { x: padded }, {
      shape: [batchSize, outHeight * strideHeight, outWidth * strideWidth, outChannels],
    });
  }
  const spreadHeight = outHeight * strideHeight;
  const spreadWidth = outWidth * strideWidth;
  // Negative amounts are rows or columns of D that no input pixel reads.
  const top = (info.filterHeight - 1) * info.dilationHeight - info.padInfo.top;
  const bottom = inHeight - spreadHeight + info.padInfo.top;
  const left = (info.filterWidth - 1) * info.dilationWidth - info.padInfo.left;
  const right = inWidth - spreadWidth + info.padInfo.left;
  if (Math.min(top, bottom, left, right) < 0) {
    const rowBegin = Math.max(-top, 0);
    const colBegin = Math.max(-left, 0);
    spread = scope.run("Slice", { x: spread }, {
      begin: [0, rowBegin, colBegin, 0],
      size: [
        batchSize,
        spreadHeight - rowBegin - Math.max(-bottom, 0),
        spreadWidth - colBegin - Math.max(-right, 0),
        outChannels,
      ],
    });
  }
  const padding: ExplicitPadding = [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ];
  return { spreadDy: spread, padding };
}
