import * as tf from "@tensorflow/tfjs";
import * as losses from "./losses.js";

/**
 * What is predicted and how it is scored. The generated code declares each
 * task with its loss and weight (`classify("digit", { output: "out", … })`);
 * the loop sums weight·loss over tasks.
 */

/** A metric as a per-example value whose mean over a split (then `finish`) is reported. */
export interface MetricDef {
  name: string;
  perExample(prediction: tf.Tensor, target: tf.Tensor): tf.Tensor1D;
  finish?(mean: number): number;
}

export interface Task {
  name: string;
  kind: "classify" | "regress" | "reconstruct";
  /** The layer whose output is scored. */
  output: string;
  /** The data target it is scored against, or `input` for reconstruction. */
  target: string;
  weight: number;
  loss: losses.PerExample;
  metrics: readonly MetricDef[];
  /** Classification: whether the output is raw scores (the loss applies softmax) rather than probabilities. */
  fromLogits?: boolean;
}

interface TaskOptions {
  output: string;
  target: string;
  weight?: number;
}

const accuracy: MetricDef = {
  name: "accuracy",
  perExample: (prediction, target) => tf.cast(tf.equal(tf.argMax(prediction, -1), tf.argMax(target, -1)), "float32") as tf.Tensor1D,
};

export function classify(
  name: string,
  options: TaskOptions & { loss?: "cross_entropy"; fromLogits?: boolean },
): Task {
  const fromLogits = options.fromLogits ?? true;
  const loss = fromLogits ? losses.softmaxCrossEntropy : losses.probabilityCrossEntropy;
  return { name, kind: "classify", output: options.output, target: options.target, weight: options.weight ?? 1, loss, metrics: [accuracy], fromLogits };
}

const REGRESSION_LOSSES = { mse: losses.squaredError, mae: losses.absoluteError, huber: losses.huber } as const;

export function regress(name: string, options: TaskOptions & { loss?: keyof typeof REGRESSION_LOSSES }): Task {
  return {
    name,
    kind: "regress",
    output: options.output,
    target: options.target,
    weight: options.weight ?? 1,
    loss: REGRESSION_LOSSES[options.loss ?? "mse"],
    metrics: [
      { name: "mae", perExample: losses.absoluteError },
      { name: "rmse", perExample: losses.squaredError, finish: Math.sqrt },
    ],
  };
}

export function reconstruct(
  name: string,
  options: TaskOptions & { loss?: "mse" | "bce"; fromLogits?: boolean },
): Task {
  const bce = options.fromLogits ? losses.sigmoidCrossEntropy : losses.binaryCrossEntropy;
  return {
    name,
    kind: "reconstruct",
    output: options.output,
    target: options.target,
    weight: options.weight ?? 1,
    loss: options.loss === "bce" ? bce : losses.squaredError,
    metrics: [{ name: "mse", perExample: losses.squaredError }],
  };
}
