import * as tf from "@tensorflow/tfjs";

/** The activations FusedConv2D applies whose gradient is written below. */
export type FusableActivation = "none" | "relu";

/**
 * activation(conv(x, W) + b) as one FusedConv2D kernel: on wasm XNNPACK
 * adds the bias and clamps in the same pass as the convolution, instead of
 * two more passes over the layer's output (and a third in the gradient).
 *
 * Run as a plain kernel with the gradient registered here, not through
 * tf.fused.conv2d, whose gradient computes the input's gradient always: for
 * a first layer that is the costliest kernel of the step, for nothing.
 * Here each gradient is computed only when the tape asks for it.
 */
export function fusedConv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  bias: tf.Tensor | undefined,
  strides: [number, number],
  pad: "valid" | "same",
  activation: FusableActivation,
): tf.Tensor4D {
  registerGradientOnce();
  const inputs: tf.NamedTensorMap = bias ? { x, filter, bias } : { x, filter };
  const attrs = { strides, pad, dataFormat: "NHWC", dilations: [1, 1], activation: activation === "none" ? "linear" : activation };
  return tf.engine().runKernel(tf.FusedConv2D, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
}

function registerGradientOnce(): void {
  if (tf.getGradient(tf.FusedConv2D) === undefined) tf.registerGradient(fusedConv2dGradient);
}

const fusedConv2dGradient: tf.GradConfig = {
  kernelName: tf.FusedConv2D,
  inputsToSave: ["x", "filter"],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter, y] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const { strides, pad, dimRoundingMode, activation } = attrs as unknown as tf.FusedConv2DAttrs;
    if (activation !== "linear" && activation !== "relu") throw new Error(`no gradient for FusedConv2D with ${activation}`);
    // relu's derivative read off its output: 1 where it is positive.
    const dyPre = (activation === "relu" ? tf.mul(dy as tf.Tensor, tf.step(y)) : dy) as tf.Tensor4D;
    const convolution = { strides, pad, dataFormat: "NHWC", dimRoundingMode };
    return {
      x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dyPre, filter }, { ...convolution, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      filter: () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dyPre }, { ...convolution, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
      bias: () => tf.sum(dyPre, [0, 1, 2]),
    };
  },
};
