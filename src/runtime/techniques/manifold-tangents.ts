import * as tf from "@tensorflow/tfjs";
import type { Model } from "../model/model.js";
import { deriveSeed } from "../random.js";
import { denseEncoder } from "./dense-encoder.js";
import type { TangentField } from "./tangent-fields.js";

/** Power-iteration steps per singular vector, each with (JJᵀ)²: 30 steps of JJᵀ. */
export const POWER_STEPS = 15;

/**
 * `along manifold(AE, k: …)`, the manifold tangent classifier (Rifai et al.
 * 2011): at each example, the k input directions the autoencoder's code
 * `code` is most sensitive to — the leading right singular vectors of the
 * encoder's Jacobian ∂h/∂x — as unit tangent vectors. For a contractive
 * autoencoder these span the data manifold's tangent plane: the code
 * ignores every other direction. The autoencoder is used as trained, in
 * evaluation mode.
 */
export function manifold(model: Model, options: { k: number; code: string }): TangentField {
  const { k } = options;
  const units = model.outputShapes.get(options.code)?.reduce((a, b) => a * b, 1);
  if (units === undefined) throw new Error(`manifold: model ${model.name} has no layer ${options.code}`);
  if (k > units) throw new Error(`manifold: k = ${k} directions, but the code ${options.code} of ${model.name} has only ${units} units`);
  return {
    label: `manifold(${model.name}, k: ${k})`,
    tangents(x) {
      return tf.tidy(() => {
        const vectors = leadingRightSingularVectors(encoderJacobian(model, options.code, x), k);
        return vectors.map((v) => tf.reshape(v, x.shape));
      });
    },
  };
}

/**
 * J [n, units, d], row j the gradient of code unit j with respect to the
 * input: the closed form of a dense encoder on the input, or else all rows
 * from one first-order backward pass, the batch repeated once per unit and
 * each copy's code weighted by its unit's one-hot.
 */
export function encoderJacobian(model: Model, code: string, x: tf.Tensor): tf.Tensor3D {
  return tf.tidy(() => {
    const n = x.shape[0]!;
    const encoder = denseEncoder(model, code);
    if (encoder) {
      // diag(σ′(a))·Wᵀ: no backward pass, no decoder.
      const h = model.forward(x, { training: false, seed: 0 }).layers.get(code)!;
      return tf.mul(tf.expandDims(encoder.slope(h), 2), tf.expandDims(tf.transpose(encoder.kernel), 0)) as tf.Tensor3D;
    }
    const d = x.size / n;
    const units = model.outputShapes.get(code)!.reduce((a, b) => a * b, 1);
    const repeated = tf.concat(Array.from({ length: units }, () => x), 0);
    const selector = tf.oneHot(tf.tensor1d(Int32Array.from({ length: units * n }, (_, row) => Math.floor(row / n)), "int32"), units);
    const rows = tf.grad((z: tf.Tensor) => {
      const h = model.forward(z, { training: false, seed: 0 }).layers.get(code)!;
      return tf.sum(tf.mul(tf.reshape(h, [units * n, units]), selector));
    })(repeated);
    return tf.transpose(tf.reshape(rows, [units, n, d]), [1, 0, 2]) as tf.Tensor3D;
  });
}

/**
 * The k leading right singular vectors of each Jacobian [n, units, d], as
 * k tensors [n, d] of unit norm. tfjs has no SVD: power iteration finds each
 * left singular vector u as the leading eigenvector of the small
 * (JJᵀ)² (units × units; squared, so each step counts twice), deflating
 * after each; then v = Jᵀu / ‖Jᵀu‖.
 */
export function leadingRightSingularVectors(jacobian: tf.Tensor3D, k: number): tf.Tensor2D[] {
  return tf.tidy(() => {
    const [n, units] = jacobian.shape;
    const transposed = tf.transpose(jacobian, [0, 2, 1]);
    const gram = tf.matMul(jacobian, transposed);
    let squared = tf.matMul(gram, gram);
    const normalize = (t: tf.Tensor) => tf.div(t, tf.maximum(tf.sqrt(tf.sum(tf.square(t), 1, true)), 1e-12));
    const vectors: tf.Tensor2D[] = [];
    for (let i = 0; i < k; i++) {
      let u = normalize(tf.randomNormal([n, units, 1], 0, 1, "float32", deriveSeed(0, "manifold", i)));
      for (let step = 0; step < POWER_STEPS; step++) u = normalize(tf.matMul(squared, u));
      const eigenvalue = tf.sum(tf.mul(u, tf.matMul(squared, u)), 1, true);
      squared = tf.sub(squared, tf.mul(eigenvalue, tf.matMul(u, tf.transpose(u, [0, 2, 1]))));
      vectors.push(tf.reshape(normalize(tf.matMul(transposed, u)), [n, -1]) as tf.Tensor2D);
    }
    return vectors;
  });
}
