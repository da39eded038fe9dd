import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { spreadOutputGradient } from "./spread-output-gradient.js";
import { WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/**
 * Replaces the wasm backend's own Conv2DBackpropInput, which is correct but
 * a plain loop, several times slower than this: a convolution (XNNPACK) of
 * the spread-out dy with the filter turned 180° and its in/out channels
 * swapped (see spread-output-gradient.ts).
 */
function conv2dBackpropInput({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const { dy, filter } = inputs as Conv2DBackpropInputInputs;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
  if (dy === undefined || filter === undefined) throw new Error("Conv2DBackpropInput needs dy and filter");
  // The wasm forward Conv2D accepts only NHWC, so no NCHW gradient is ever asked for.
  if (dataFormat === "NCHW") throw new Error("wasm Conv2DBackpropInput supports NHWC only");
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const scope = new WasmKernelScope(wasmBackendOf(backend));
  const { spreadDy, padding } = spreadOutputGradient(scope, dy, info);
  const turned = scope.run("Reverse", { x: filter }, { dims: [0, 1] });
  const swapped = scope.run("Transpose", { x: turned }, { perm: [0, 1, 3, 2] });
  return scope.finish(
    scope.run("Conv2D", { x: spreadDy, filter: swapped }, {
      strides: [1, 1],
      pad: padding,
      dataFormat: "NHWC",
      dilations: [1, 1],
    }),
  );
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: "wasm",
  kernelFunc: conv2dBackpropInput,
};
