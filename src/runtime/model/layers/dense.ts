import * as tf from "@tensorflow/tfjs";
import { applyActivation, type ActivationName } from "../activations.js";
import type { LayerDef } from "../layer.js";
import { denseKernelApplies, fusedDense } from "./fused-dense.js";
import { identity, type LayerOptions } from "./options.js";
import { expectRank } from "./shapes.js";
import { kernelAndBias } from "./variables.js";
import { standardActivation } from "./standard.js";

export interface DenseOptions extends LayerOptions {
  activation?: ActivationName;
  useBias?: boolean;
}

/** y = activation(x·W + b), W of shape [inputs, units]. */
export function dense(units: number, options: DenseOptions = {}): LayerDef {
  const { activation = "none", useBias = true } = options;
  return {
    kind: "dense",
    activation,
    ...identity(options),
    build(input) {
      expectRank("dense", input, 1);
      return { outputShape: [units], params: kernelAndBias([input[0]!, units], units, useBias) };
    },
    apply(x, { params }) {
      const kernel = params["kernel"] as tf.Tensor2D;
      const bias = useBias ? (params["bias"] as tf.Tensor1D) : undefined;
      if ((activation === "none" || activation === "relu") && denseKernelApplies(x)) return fusedDense(x as tf.Tensor2D, kernel, bias, activation);
      const product = tf.matMul(x as tf.Tensor2D, kernel);
      return applyActivation(bias ? tf.add(product, bias) : product, activation);
    },
    standard(name) {
      const { activation: keras, after } = standardActivation(activation, name);
      return { layers: [tf.layers.dense({ units, activation: keras, useBias, name }), ...after], weights: useBias ? ["kernel", "bias"] : ["kernel"] };
    },
  };
}
