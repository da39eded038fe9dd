import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { SOFTMAX_CROSS_ENTROPY } from "../../src/runtime/backend/wasm-kernels/softmax-cross-entropy.js";
import { softmaxCrossEntropy } from "../../src/runtime/train/losses.js";

/** Seeded logits (some far apart, so that a naive exp overflows) and targets: one-hot rows and smoothed ones. */
function batch(): { logits: number[][]; target: number[][] } {
  const random = tf.tidy(() => tf.randomUniform([6, 5], -4, 4, "float32", 11).arraySync() as number[][]);
  random[4] = [900, -900, 0, 1, 2];
  const target = random.map((_, row) => random[row]!.map((__, k) => (row % 2 ? (k === row % 5 ? 0.9 : 0.025) : k === row % 5 ? 1 : 0)));
  return { logits: random, target };
}

interface Results {
  loss: number[];
  dLogits: number[][];
  dTarget: number[][];
  /** ∂/∂z of L at z + 0.1·sign(∂L/∂z), an FGSM step: the inner backward pass is taped, as the outer gradient is being recorded. */
  throughAttack: number[][];
}

/** The loss and its gradients on the active backend, each row's loss weighted by its index + 1. */
function results(): Results {
  const { logits, target } = batch();
  return tf.tidy(() => {
    const z = tf.tensor2d(logits);
    const y = tf.tensor2d(target);
    const weights = tf.range(1, logits.length + 1);
    const weighted = (zz: tf.Tensor, yy: tf.Tensor) => tf.sum(tf.mul(softmaxCrossEntropy(zz, yy), weights));
    const [dLogits, dTarget] = tf.grads(weighted)([z, y]) as [tf.Tensor, tf.Tensor];
    const throughAttack = tf.grad((zz: tf.Tensor) => weighted(tf.add(zz, tf.mul(0.1, tf.sign(tf.grad((inner: tf.Tensor) => weighted(inner, y))(zz)))), y))(z);
    return {
      loss: Array.from(softmaxCrossEntropy(z, y).dataSync()),
      dLogits: dLogits.arraySync() as number[][],
      dTarget: dTarget.arraySync() as number[][],
      throughAttack: throughAttack.arraySync() as number[][],
    };
  });
}

function expectClose(actual: number[][] | number[], expected: number[][] | number[], what: string): void {
  const [a, e] = [actual.flat(), expected.flat()];
  expect(a.length, what).toBe(e.length);
  a.forEach((value, i) => expect(Math.abs(value - e[i]!), `${what}[${i}]: ${value} vs ${e[i]}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(e[i]!))));
}

describe("softmax cross-entropy in one kernel", () => {
  it("is −log softmax by hand: logits [0, ln 3] and class 1 give log 4/3", async () => {
    await selectBackend("wasm", 1);
    expect(tf.getKernel(SOFTMAX_CROSS_ENTROPY, "wasm")).toBeDefined();
    const loss = softmaxCrossEntropy(tf.tensor2d([[0, Math.log(3)]]), tf.tensor2d([[0, 1]])).dataSync()[0]!;
    expect(loss).toBeCloseTo(Math.log(4 / 3), 6);
  });

  it("gives the loss and both gradients as tfjs's ops do on cpu, in a taped backward pass too", async () => {
    await selectBackend("cpu");
    expect(tf.getKernel(SOFTMAX_CROSS_ENTROPY, "cpu")).toBeUndefined();
    const composed = results();
    await selectBackend("wasm", 1);
    const fused = results();
    expect(composed.loss.every(Number.isFinite)).toBe(true);
    expectClose(fused.loss, composed.loss, "loss");
    expectClose(fused.dLogits, composed.dLogits, "∂L/∂z");
    expectClose(fused.dTarget, composed.dTarget, "∂L/∂y");
    expectClose(fused.throughAttack, composed.throughAttack, "∂L(z + 0.1·sign ∂L/∂z)/∂z");
  });

  it("has the gradient finite differences give", async () => {
    await selectBackend("wasm", 1);
    const logits = [0.3, -1.2, 2.0, 0.5];
    const target = [0.1, 0.6, 0.2, 0.1];
    const lossAt = (z: number[]) => tf.tidy(() => softmaxCrossEntropy(tf.tensor2d([z]), tf.tensor2d([target])).dataSync()[0]!);
    const gradient = tf.tidy(() =>
      tf
        .grad((z: tf.Tensor) => tf.sum(softmaxCrossEntropy(z, tf.tensor2d([target]))))(tf.tensor2d([logits]))
        .dataSync(),
    );
    const h = 1e-2;
    logits.forEach((_, k) => {
      const [up, down] = [1, -1].map((sign) => logits.map((value, j) => (j === k ? value + sign * h : value)));
      expect(gradient[k]).toBeCloseTo((lossAt(up!) - lossAt(down!)) / (2 * h), 3);
    });
  });

  it("is tfjs's ops where the shapes differ or a class has log softmax −∞ with no weight", async () => {
    await selectBackend("wasm", 1);
    // A weightless class at −∞ adds nothing (tfjs's ops give 0·−∞ = NaN there).
    const loss = softmaxCrossEntropy(tf.tensor2d([[-Infinity, 0, 0]]), tf.tensor2d([[0, 1, 0]])).dataSync()[0];
    expect(loss).toBeCloseTo(Math.log(2), 6);
    // Broadcast targets go through tfjs's ops.
    const broadcast = softmaxCrossEntropy(
      tf.tensor2d([
        [0, 0],
        [0, 0],
      ]),
      tf.tensor1d([1, 0]),
    ).dataSync();
    expect(Array.from(broadcast).map((value) => Number(value.toFixed(6)))).toEqual([0.693147, 0.693147]);
  });
});
