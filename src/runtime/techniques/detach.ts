import * as tf from "@tensorflow/tfjs";

/**
 * A copy of a tensor's values that no recorded operation leads to: a
 * constant for the gradient tape, what `stop_gradient` is elsewhere (tfjs
 * has none). The tape then never differentiates what produced it — which
 * matters when that was itself a gradient: tfjs's second-order gradients
 * are silently wrong through softmax and missing for max pooling.
 */
export function detached<T extends tf.Tensor>(tensor: T): T {
  return tf.tensor(tensor.dataSync(), tensor.shape, tensor.dtype) as T;
}
