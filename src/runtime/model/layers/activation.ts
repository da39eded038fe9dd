import { applyActivation, type ActivationName } from "../activations.js";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";
import * as tf from "@tensorflow/tfjs";
import { standardActivation } from "./standard.js";

/** A nonlinearity on its own (e.g. after batch norm); keeps the shape. */
export function activation(fn: ActivationName, options: LayerOptions = {}): LayerDef {
  return {
    kind: "activation",
    ...identity(options),
    build: (input) => ({ outputShape: input }),
    apply: (x) => applyActivation(x, fn),
    standard(name) {
      if (fn === "leaky_relu") return { layers: standardActivation(fn, name).after, weights: [] };
      return { layers: [tf.layers.activation({ activation: standardActivation(fn, name).activation, name })], weights: [] };
    },
  };
}
