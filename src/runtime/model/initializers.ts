import * as tf from "@tensorflow/tfjs";
import type { Initializer } from "./layer.js";

/**
 * Fan-in and fan-out as Keras computes them: a matrix is [in, out]; a conv
 * kernel [h, w, …, in, out] multiplies both by its receptive field h·w.
 * (A depthwise kernel [h, w, channels, multiplier] is read the same way.)
 */
export function kerasFans(shape: readonly number[]): [fanIn: number, fanOut: number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  const receptiveField = shape.slice(0, -2).reduce((product, n) => product * n, 1);
  return [shape[shape.length - 2]! * receptiveField, shape[shape.length - 1]! * receptiveField];
}

export function glorotLimit(shape: readonly number[]): number {
  const [fanIn, fanOut] = kerasFans(shape);
  return Math.sqrt(6 / (fanIn + fanOut));
}

/** A variable's initial value; the same seed always gives the same values. */
export function initialValue(shape: readonly number[], init: Initializer, seed: number): tf.Tensor {
  switch (init.kind) {
    case "constant":
      return tf.fill([...shape], init.value);
    case "uniform":
      return tf.randomUniform([...shape], -init.limit, init.limit, "float32", seed);
    case "glorot_uniform": {
      const limit = glorotLimit(shape);
      return tf.randomUniform([...shape], -limit, limit, "float32", seed);
    }
  }
}
