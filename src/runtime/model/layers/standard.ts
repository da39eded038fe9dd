import * as tf from "@tensorflow/tfjs";
import type { ActivationName } from "../activations.js";
import { LEAKY_SLOPE } from "../activations.js";

/** Keras's name for an activation, as a layer's `activation` argument takes it. */
type KerasActivation = "linear" | "relu" | "sigmoid" | "tanh" | "softmax" | "elu" | "selu" | "gelu" | "softplus";

/**
 * How a layer's activation is written in stock TensorFlow.js: most are the
 * layer's own `activation` argument; leaky ReLU has none there (its slope is
 * a setting), so the layer stays linear and a `LeakyReLU` layer follows it.
 */
export function standardActivation(activation: ActivationName, name: string): { activation: KerasActivation; after: tf.layers.Layer[] } {
  if (activation === "leaky_relu") return { activation: "linear", after: [tf.layers.leakyReLU({ alpha: LEAKY_SLOPE, name: `${name}_leaky_relu` })] };
  return { activation: activation === "none" ? "linear" : activation, after: [] };
}
