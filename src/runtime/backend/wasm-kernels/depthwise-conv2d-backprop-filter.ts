import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { float32View, wasmBackendOf } from "./wasm-heap.js";

/**
 * dW[kh,kw,c,m] = Σ_b,oh,ow x[b, oh·sh + kh·dh − padTop, ow·sw + kw·dw − padLeft, c] · dy[b,oh,ow,c·M+m]
 *
 * Plain loops over the wasm heap; output channel k = c·M+m reads input
 * channel ⌊k/M⌋. Built from wasm kernels instead (a depthwise convolution
 * with the batch folded into the channels and dy as an image-sized filter,
 * or a multiply-and-sum per tap) it ran 1.5–2× slower.
 */
function depthwiseConv2dBackpropFilter({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const { x, dy } = inputs as DepthwiseConv2dNativeBackpropFilterInputs;
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  if (x === undefined || dy === undefined) throw new Error("DepthwiseConv2dNativeBackpropFilter needs x and dy");
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    true,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top: padTop, left: padLeft } = info.padInfo;
  const multiplier = outChannels / inChannels;
  const sums = new Float64Array(filterHeight * filterWidth * outChannels);

  const xValues = float32View(backend, x);
  const dyValues = float32View(backend, dy);
  for (let b = 0; b < batchSize; b++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      for (let outCol = 0; outCol < outWidth; outCol++) {
        const dyOffset = ((b * outHeight + outRow) * outWidth + outCol) * outChannels;
        for (let tapRow = 0; tapRow < filterHeight; tapRow++) {
          const inRow = outRow * strideHeight + tapRow * dilationHeight - padTop;
          if (inRow < 0 || inRow >= inHeight) continue;
          for (let tapCol = 0; tapCol < filterWidth; tapCol++) {
            const inCol = outCol * strideWidth + tapCol * dilationWidth - padLeft;
            if (inCol < 0 || inCol >= inWidth) continue;
            const xOffset = ((b * inHeight + inRow) * inWidth + inCol) * inChannels;
            const tapOffset = (tapRow * filterWidth + tapCol) * outChannels;
            for (let k = 0; k < outChannels; k++) {
              sums[tapOffset + k]! += xValues[xOffset + ((k / multiplier) | 0)]! * dyValues[dyOffset + k]!;
            }
          }
        }
      }
    }
  }
  const output = backend.makeOutput(filterShape, "float32");
  float32View(backend, output).set(sums);
  return output;
}

export const depthwiseConv2dBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: "wasm",
  kernelFunc: depthwiseConv2dBackpropFilter,
};
