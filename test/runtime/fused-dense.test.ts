import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { DENSE } from "../../src/runtime/backend/wasm-kernels/dense.js";
import { fusedDense, type DenseKernelActivation } from "../../src/runtime/model/layers/fused-dense.js";
import { expectIdentical } from "../support/identical-values.js";
import { activeKernelWorkers, untilWorkersHelp } from "../support/worker-help.js";

/** activation(x·W + b) as tfjs's ops compose it. */
function composed(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | undefined, activation: DenseKernelActivation): tf.Tensor2D {
  const product = tf.matMul(x, kernel);
  const biased = bias ? tf.add(product, bias) : product;
  return (activation === "relu" ? tf.relu(biased) : biased) as tf.Tensor2D;
}

type Dense = typeof composed;

/** The layer's output, and the gradients of Σ y·c with respect to x, W and b. */
function outputAndGradients(layer: Dense, shape: { m: number; k: number; n: number }, activation: DenseKernelActivation, withBias: boolean, seed: number) {
  return tf.tidy(() => {
    const x = tf.randomNormal([shape.m, shape.k], 0, 1, "float32", seed) as tf.Tensor2D;
    const kernel = tf.randomNormal([shape.k, shape.n], 0, 0.3, "float32", seed + 1) as tf.Tensor2D;
    const bias = tf.randomNormal([shape.n], 0, 0.5, "float32", seed + 2) as tf.Tensor1D;
    const c = tf.randomNormal([shape.m, shape.n], 0, 1, "float32", seed + 3);
    const objective = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(layer(xx as tf.Tensor2D, ww as tf.Tensor2D, withBias ? (bb as tf.Tensor1D) : undefined, activation), c));
    const grads = withBias ? tf.grads(objective)([x, kernel, bias]) : tf.grads((xx: tf.Tensor, ww: tf.Tensor) => objective(xx, ww, bias))([x, kernel]);
    return [layer(x, kernel, withBias ? bias : undefined, activation), ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe("a dense layer's product, bias and relu in one kernel", () => {
  const cases = [
    { m: 32, k: 784, n: 512 },
    { m: 7, k: 13, n: 8 },
    // Columns not in fours: the backend's kernels.
    { m: 5, k: 6, n: 10 },
  ];

  for (const threads of [1, 2]) {
    it(`gives the output and gradients of a product, an add and a relu bit for bit on wasm, ${threads} thread(s)`, async () => {
      await selectBackend("wasm", threads);
      expect(tf.getKernel(DENSE, "wasm")).toBeDefined();
      const check = () =>
        cases.forEach((shape, i) => {
          for (const activation of ["relu", "none"] as const) {
            for (const withBias of [true, false]) {
              const ours = outputAndGradients(fusedDense, shape, activation, withBias, 10 * i + 1);
              const theirs = outputAndGradients(composed, shape, activation, withBias, 10 * i + 1);
              const what = `${shape.m}×${shape.k}×${shape.n} ${activation}${withBias ? " with bias" : ""}`;
              // relu(−0) may be +0 one way and −0 the other: compared as numbers.
              ours.forEach((values, j) =>
                expectIdentical(
                  Array.from(values, (v) => v + 0),
                  Array.from(theirs[j]!, (v) => v + 0),
                  `${what}, output/gradient ${j}`,
                ),
              );
            }
          }
        });
      // On two threads, until a kernel worker took part: the product's columns are split when it is large.
      if (threads === 1) check();
      else await untilWorkersHelp(activeKernelWorkers(), check);
    });
  }

  it("is relu(x·W + b) by hand, and a gradient through its gradient is the composite's", async () => {
    await selectBackend("wasm", 1);
    const x = tf.tensor2d([
      [1, 2],
      [-1, 0.5],
    ]);
    const kernel = tf.tensor2d([
      [1, -1, 0.5, 2],
      [0.5, 1, -2, 0],
    ]);
    const bias = tf.tensor1d([0, 0.25, 1, -3]);
    // Row 1: [2, 1.25, −2.5, −1] → relu; row 2: [−0.75, 1.75, −0.5, −5] → relu.
    expect(Array.from(fusedDense(x, kernel, bias, "relu").dataSync())).toEqual([2, 1.25, 0, 0, 0, 1.75, 0, 0]);
    // ∂/∂W of Σ (∂(Σ y²)/∂x)²: the backward pass itself differentiated, as contractive and tangent penalties do.
    const secondOrder = (layer: Dense) =>
      tf
        .grad((w: tf.Tensor) => tf.sum(tf.square(tf.grad((xx: tf.Tensor) => tf.sum(tf.square(layer(xx as tf.Tensor2D, w as tf.Tensor2D, bias, "relu"))))(x))))(
          kernel,
        )
        .dataSync();
    const [ours, theirs] = [secondOrder(fusedDense), secondOrder(composed)];
    expect(Array.from(theirs).some((v) => v !== 0)).toBe(true);
    Array.from(ours).forEach((value, i) => expect(value).toBeCloseTo(theirs[i]!, 5));
  });
});
