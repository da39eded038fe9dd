import * as tf from "@tensorflow/tfjs";
import type { LayerDef } from "../layer.js";
import { identity, type LayerOptions } from "./options.js";
import { shapeText, sizeOf } from "./shapes.js";

/** Lays any shape out as one vector: 28×28×1 becomes 784. */
export function flatten(options: LayerOptions = {}): LayerDef {
  return {
    kind: "flatten",
    ...identity(options),
    build: (input) => ({ outputShape: [sizeOf(input)] }),
    apply: (x) => tf.reshape(x, [x.shape[0]!, sizeOf(x.shape.slice(1))]),
    standard: (name) => ({ layers: [tf.layers.flatten({ name })], weights: [] }),
  };
}

/** The same values in a new shape (batch axis left out): `reshape([28, 28, 1])`. */
export function reshape(shape: readonly number[], options: LayerOptions = {}): LayerDef {
  return {
    kind: "reshape",
    ...identity(options),
    build(input) {
      if (sizeOf(input) !== sizeOf(shape)) {
        throw new Error(
          `cannot reshape ${shapeText(input)} (${sizeOf(input)} values) to ${shapeText(shape)} (${sizeOf(shape)} values)`,
        );
      }
      return { outputShape: [...shape] };
    },
    apply: (x) => tf.reshape(x, [x.shape[0]!, ...shape]),
    standard: (name) => ({ layers: [tf.layers.reshape({ targetShape: [...shape], name })], weights: [] }),
  };
}
