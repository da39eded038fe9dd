import * as tf from "@tensorflow/tfjs";

/**
 * Per-example losses, [batch] each: the training loss is their mean, and
 * evaluation sums them over a split. Class targets arrive one-hot (or
 * smoothed); predictions are logits unless the output layer already applied
 * softmax or sigmoid.
 */

export type PerExample = (prediction: tf.Tensor, target: tf.Tensor) => tf.Tensor1D;

const EPSILON = 1e-7;

/** −Σₖ yₖ·log softmax(z)ₖ, via log-sum-exp for stability. */
export function softmaxCrossEntropy(logits: tf.Tensor, target: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1)) as tf.Tensor1D;
}

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
