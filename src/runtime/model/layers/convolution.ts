import * as tf from "@tensorflow/tfjs";
import { applyActivation, type ActivationName } from "../activations.js";
import type { LayerDef } from "../layer.js";
import { fusedConv2d } from "./fused-conv2d.js";
import { identity, type LayerOptions } from "./options.js";
import { expectRank, pair, slide, type Padding } from "./shapes.js";
import { kernelAndBias } from "./variables.js";
import { standardActivation } from "./standard.js";

/** Kernel size: `3` or `[3]` for 3×3, or `[height, width]`. */
export type KernelSize = number | readonly number[];

export interface ConvolutionOptions extends LayerOptions {
  /** Default 1. */
  stride?: number | readonly number[];
  /** Default `valid`. */
  padding?: Padding;
  activation?: ActivationName;
  useBias?: boolean;
}

export interface DepthwiseConv2dOptions extends ConvolutionOptions {
  /** Output channels per input channel; default 1. */
  depthMultiplier?: number;
}

/** A 2-D convolution with `filters` kernels of shape [h, w, in, filters]. */
export function conv2d(filters: number, kernelSize: KernelSize, options: ConvolutionOptions = {}): LayerDef {
  const { kernel, stride, padding, activation, useBias } = settings(kernelSize, options);
  return {
    kind: "conv2d",
    ...identity(options),
    build(input) {
      expectRank("conv2d", input, 3);
      const [height, width] = slide("conv2d", input, kernel, stride, padding);
      return { outputShape: [height, width, filters], params: kernelAndBias([...kernel, input[2]!, filters], filters, useBias) };
    },
    apply(x, { params }) {
      const filter = params["kernel"] as tf.Tensor4D;
      if (activation === "none" || activation === "relu") return fusedConv2d(x as tf.Tensor4D, filter, useBias ? params["bias"] : undefined, stride, padding, activation);
      const y = tf.conv2d(x as tf.Tensor4D, filter, stride, padding);
      return applyActivation(useBias ? tf.add(y, params["bias"]!) : y, activation);
    },
    standard(name) {
      const { activation: keras, after } = standardActivation(activation, name);
      const layer = tf.layers.conv2d({ filters, kernelSize: kernel, strides: stride, padding, activation: keras, useBias, name });
      return { layers: [layer, ...after], weights: useBias ? ["kernel", "bias"] : ["kernel"] };
    },
  };
}

/** Each input channel convolved with its own `depthMultiplier` kernels: [h, w, channels, multiplier]. */
export function depthwiseConv2d(kernelSize: KernelSize, options: DepthwiseConv2dOptions = {}): LayerDef {
  const { kernel, stride, padding, activation, useBias } = settings(kernelSize, options);
  const multiplier = options.depthMultiplier ?? 1;
  return {
    kind: "depthwise_conv2d",
    ...identity(options),
    build(input) {
      expectRank("depthwise_conv2d", input, 3);
      const [height, width] = slide("depthwise_conv2d", input, kernel, stride, padding);
      const channels = input[2]!;
      const outputs = channels * multiplier;
      return { outputShape: [height, width, outputs], params: kernelAndBias([...kernel, channels, multiplier], outputs, useBias) };
    },
    apply(x, { params }) {
      const y = tf.depthwiseConv2d(x as tf.Tensor4D, params["kernel"] as tf.Tensor4D, stride, padding);
      return applyActivation(useBias ? tf.add(y, params["bias"]!) : y, activation);
    },
    standard(name) {
      const { activation: keras, after } = standardActivation(activation, name);
      const layer = tf.layers.depthwiseConv2d({ kernelSize: kernel, depthMultiplier: multiplier, strides: stride, padding, activation: keras, useBias, name });
      return { layers: [layer, ...after], weights: useBias ? ["kernel", "bias"] : ["kernel"] };
    },
  };
}

/** The options with the catalog's defaults filled in. */
function settings(kernelSize: KernelSize, options: ConvolutionOptions) {
  return {
    kernel: pair(kernelSize),
    stride: pair(options.stride ?? 1),
    padding: options.padding ?? "valid",
    activation: options.activation ?? "none",
    useBias: options.useBias ?? true,
  };
}
