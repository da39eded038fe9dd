import * as tf from "@tensorflow/tfjs";
import { SOFTMAX_CROSS_ENTROPY, SOFTMAX_CROSS_ENTROPY_GRAD } from "../backend/wasm-kernels/softmax-cross-entropy.js";

/**
 * Per-example losses, [batch] each: the training loss is their mean, and
 * evaluation sums them over a split. Class targets arrive one-hot (or
 * smoothed); predictions are logits unless the output layer already applied
 * softmax or sigmoid.
 */

export type PerExample = (prediction: tf.Tensor, target: tf.Tensor) => tf.Tensor1D;

const EPSILON = 1e-7;

/**
 * −Σₖ yₖ·log softmax(z)ₖ, via log-sum-exp for stability: one kernel where
 * the backend has it (wasm-kernels/softmax-cross-entropy.ts), else tfjs's ops.
 */
export function softmaxCrossEntropy(logits: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  const fused = logits.dtype === "float32" && target.dtype === "float32" && tf.util.arraysEqual(logits.shape, target.shape) && logits.rank > 0;
  if (!fused || tf.getKernel(SOFTMAX_CROSS_ENTROPY, tf.getBackend()) === undefined) return composedSoftmaxCrossEntropy(logits, target);
  if (tf.getGradient(SOFTMAX_CROSS_ENTROPY) === undefined) tf.registerGradient(softmaxCrossEntropyGradient);
  return tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY, { logits, target }) as tf.Tensor1D;
}

function composedSoftmaxCrossEntropy(logits: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1)) as tf.Tensor1D;
}

const softmaxCrossEntropyGradient: tf.GradConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  inputsToSave: ["logits", "target"],
  gradFunc: (dy, saved) => {
    const [logits, target] = saved as [tf.Tensor, tf.Tensor];
    // A backward pass that is itself taped (a gradient of a gradient) needs ops with gradients of their own.
    const taped = tf.engine().isTapeOn();
    const perValue = (gradient: (z: tf.Tensor, y: tf.Tensor) => tf.Tensor) => () => tf.mul(tf.expandDims(dy as tf.Tensor, -1), gradient(logits, target));
    return {
      logits: taped
        ? perValue((z, y) => tf.sub(tf.mul(tf.softmax(z), tf.sum(y, -1, true)), y))
        : () => tf.engine().runKernel(SOFTMAX_CROSS_ENTROPY_GRAD, { dy: dy as tf.Tensor, logits, target }) as tf.Tensor,
      target: perValue((z) => tf.neg(tf.logSoftmax(z))),
    };
  },
};

/** −Σₖ yₖ·log pₖ for an output that is already a probability vector. */
export function probabilityCrossEntropy(probabilities: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(target, tf.log(tf.clipByValue(probabilities, EPSILON, 1))), -1)) as tf.Tensor1D;
}

export function squaredError(prediction: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return meanOverValues(tf.squaredDifference(prediction, target));
}

export function absoluteError(prediction: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return meanOverValues(tf.abs(tf.sub(prediction, target)));
}

/** Huber with δ = 1: ½d² for |d| ≤ 1, |d| − ½ beyond. */
export function huber(prediction: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  const distance = tf.abs(tf.sub(prediction, target));
  const quadratic = tf.minimum(distance, 1);
  return meanOverValues(tf.add(tf.mul(0.5, tf.square(quadratic)), tf.sub(distance, quadratic)));
}

/** Binary cross-entropy per value, for outputs in [0, 1] (a sigmoid decoder). */
export function binaryCrossEntropy(probabilities: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  const p = tf.clipByValue(probabilities, EPSILON, 1 - EPSILON);
  const oneMinus = tf.sub(1, target);
  return meanOverValues(tf.neg(tf.add(tf.mul(target, tf.log(p)), tf.mul(oneMinus, tf.log(tf.sub(1, p))))));
}

/** Binary cross-entropy per value from logits: max(z, 0) − z·y + log(1 + e^−|z|). */
export function sigmoidCrossEntropy(logits: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  const positive = tf.relu(logits);
  const softplus = tf.log1p(tf.exp(tf.neg(tf.abs(logits))));
  return meanOverValues(tf.add(tf.sub(positive, tf.mul(logits, target)), softplus));
}

/** Averages everything but the batch axis. */
function meanOverValues(values: tf.Tensor): tf.Tensor1D {
  return (values.rank === 1 ? values : tf.mean(tf.reshape(values, [values.shape[0]!, -1]), 1)) as tf.Tensor1D;
}
