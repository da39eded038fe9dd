import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

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
  // Rows and columns past the last window the forward pass read: negative
  // means x has unread rows (cropped away), positive means zero padding.
  const padBottom = (info.outHeight - 1) * info.strideHeight + info.filterHeight - info.inHeight - info.padInfo.top;
  const padRight = (info.outWidth - 1) * info.strideWidth + info.filterWidth - info.inWidth - info.padInfo.left;

  const scope = new WasmKernelScope(wasmBackendOf(backend));
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
  return scope.finish(scope.run("Transpose", { x: gradientPerInChannel }, { perm: [1, 2, 0, 3] }));
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2dBackpropFilter,
};
