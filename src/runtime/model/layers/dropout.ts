import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";

/**
 * Inverted dropout: zeroes each value with probability `rate` and scales
 * the survivors by 1/(1 − rate), in training or under Monte-Carlo dropout;
 * the identity otherwise. The mask comes from the layer's seed for the pass.
 */
export function dropout(rate: number, options: LayerOptions = {}): LayerDef {
  return {
    kind: "dropout",
    ...identity(options),
    build: (input) => ({ outputShape: input }),
    apply(x, { options: pass, seed }) {
      const active = pass.training || pass.dropoutAtPrediction === true;
      return active && rate > 0 ? tf.dropout(x, rate, undefined, seed) : x;
    },
    // Keras's Dropout is the identity at inference too; kept so the exported model shows where sampling applies.
    standard: (name) => ({ layers: [tf.layers.dropout({ rate, name })], weights: [], dropoutRate: rate }),
  };
}
