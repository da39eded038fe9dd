import { backend_util, type TensorInfo } from "@tensorflow/tfjs";
import { addPatchesBackFunctions } from "./simd/add-patches-back.js";
import { addressOf, simdFunctions } from "./simd/instances.js";
import { simdConvolution } from "./simd-convolution.js";
import { float32View, type WasmKernelScope } from "./wasm-heap.js";

/**
 * A convolution as a matrix product. Row n = (b, oh, ow) of the patch
 * matrix P [outputs, taps] holds the input values that output pixel reads;
 * column (kh·filterWidth + kw)·inChannels + c the one under tap (kh, kw) in
 * channel c (zero where the tap falls in the padding). With W as a matrix
 * [taps, outChannels], y = P·W; so the input's gradient adds each entry of
 * dP = dy·Wᵀ back where P took it from.
 *
 * Where a layer has few input channels (the input's gradient of an image
 * model's first layer, which adversarial training asks for), that product
 * and the adding back beat the convolution the gradient is otherwise
 * rewritten as: it has one to three output channels, a shape XNNPACK runs
 * slowly. Both run as wasm kernels of our own: dP as the SIMD patch product
 * of dy (a 1×1 convolution with Wᵀ, its taps padded to fours), the adding
 * back by simd/add-patches-back.ts.
 */
export function inputGradientByPatches(scope: WasmKernelScope, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { backend } = scope;
  const taps = info.filterHeight * info.filterWidth * info.inChannels;
  const paddedTaps = Math.ceil(taps / 4) * 4;
  const transposedShape: [number, number, number, number] = [1, 1, info.outChannels, paddedTaps];
  const transposedFilter = backend.makeOutput(transposedShape, "float32");
  scope.track(transposedFilter);
  const source = float32View(backend, filter);
  const target = float32View(backend, transposedFilter).fill(0);
  for (let tap = 0; tap < taps; tap++) {
    for (let channel = 0; channel < info.outChannels; channel++) target[channel * paddedTaps + tap] = source[tap * info.outChannels + channel]!;
  }
  const productInfo = backend_util.computeConv2DInfo(dy.shape as [number, number, number, number], transposedShape, 1, 1, "valid");
  const patchGradient = simdConvolution(scope, dy, transposedFilter, undefined, productInfo, false);
  scope.track(patchGradient);
  return addPatchesBack(scope, patchGradient, info, (paddedTaps - taps) * 4);
}

/** The input's gradient [b, h, w, c] from dP, whose rows end in `rowPadding` bytes that belong to no tap. */
function addPatchesBack(scope: WasmKernelScope, patchGradient: TensorInfo, info: backend_util.Conv2DInfo, rowPadding: number): TensorInfo {
  const { backend } = scope;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  // A frame holding the padding too, so that no window reaches outside it; cropped at the end.
  const height = Math.max(top + inHeight, (outHeight - 1) * strideHeight + (filterHeight - 1) * dilationHeight + 1);
  const width = Math.max(left + inWidth, (outWidth - 1) * strideWidth + (filterWidth - 1) * dilationWidth + 1);
  const framed = backend.makeOutput([batchSize, height, width, inChannels], "float32");
  scope.track(framed);
  const tapOffsets: number[] = [];
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) tapOffsets.push((kh * dilationHeight * width + kw * dilationWidth) * inChannels * 4);
  }
  float32View(backend, framed).fill(0);
  const layout = { tapOffsets, channels: inChannels, rowPadding };
  const { addPatchesBack } = simdFunctions(backend, `addPatchesBack ${JSON.stringify(layout)}`, () => addPatchesBackFunctions(layout));
  addPatchesBack!(
    addressOf(backend, patchGradient),
    addressOf(backend, framed),
    batchSize,
    outHeight,
    outWidth,
    height * width * inChannels * 4,
    strideHeight * width * inChannels * 4,
    strideWidth * inChannels * 4,
  );
  const cropped = top > 0 || left > 0 || height > inHeight || width > inWidth;
  return cropped ? scope.run("Slice", { x: framed }, { begin: [0, top, left, 0], size: [batchSize, inHeight, inWidth, inChannels] }) : framed;
}
