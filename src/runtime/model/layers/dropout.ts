import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";
import { rowDropout } from "./row-dropout.js";

/**
 * Inverted dropout: zeroes each value with probability `rate` and scales
 * the survivors by 1/(1 − rate), in training or under Monte-Carlo dropout;
 * the identity otherwise. The mask comes from the layer's seed for the pass,
 * under Monte-Carlo dropout with each row's key (`row-dropout.ts`).
 */
export function dropout(rate: number, options: LayerOptions = {}): LayerDef {
  return {
    kind: "dropout",
    ...identity(options),
    build: (input) => ({ outputShape: input }),
    apply(x, { options: pass, seed }) {
      if (rate === 0) return x;
      if (pass.training) return tf.dropout(x, rate, undefined, seed);
      return pass.dropoutAtPrediction ? rowDropout(x, rate, seed, pass.dropoutAtPrediction.rowKeys) : x;
    },
    // Keras's Dropout is the identity at inference too; kept so the exported model shows where sampling applies.
    standard: (name) => ({ layers: [tf.layers.dropout({ rate, name })], weights: [], dropoutRate: rate }),
  };
}
