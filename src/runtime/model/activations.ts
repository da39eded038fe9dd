import * as tf from "@tensorflow/tfjs";

/** The catalog's activations, by the names the spec uses. */
export const ACTIVATIONS = ["none", "relu", "sigmoid", "tanh", "softmax", "elu", "selu", "gelu", "leaky_relu", "softplus"] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

/** Keras's `leaky_relu` slope for negative inputs. */
export const LEAKY_SLOPE = 0.2;

export function applyActivation(x: tf.Tensor, activation: ActivationName): tf.Tensor {
  switch (activation) {
    case "none":
      return x;
    case "relu":
      return tf.relu(x);
    case "sigmoid":
      return tf.sigmoid(x);
    case "tanh":
      return tf.tanh(x);
    case "softmax":
      return tf.softmax(x);
    case "elu":
      return tf.elu(x);
    case "selu":
      return tf.selu(x);
    case "gelu":
      return gelu(x);
    case "leaky_relu":
      return tf.leakyRelu(x, LEAKY_SLOPE);
    case "softplus":
      return tf.softplus(x);
  }
}

/** Exact GELU, x·Φ(x), Keras's default (tfjs 4 has no gelu op). */
function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
}
