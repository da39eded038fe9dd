import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";

/** Adds N(0, stddev²) noise in training, from the layer's seed for the pass; the identity at prediction. */
export function gaussianNoise(stddev: number, options: LayerOptions = {}): LayerDef {
  return {
    kind: "gaussian_noise",
    ...identity(options),
    build: (input) => ({ outputShape: input }),
    apply(x, { options: pass, seed }) {
      return pass.training && stddev > 0 ? tf.add(x, tf.randomNormal(x.shape, 0, stddev, "float32", seed)) : x;
    },
    standard: (name) => ({ layers: [tf.layers.gaussianNoise({ stddev, name })], weights: [] }),
  };
}
