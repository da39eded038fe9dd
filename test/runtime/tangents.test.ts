import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { gaussianBlur, imageTangents, tangentNames, type ImageTransform } from "../../src/runtime/techniques/image-tangents.js";
import { centralDifference } from "../../src/runtime/techniques/directional-derivative.js";

/**
 * Tangent vectors and directional derivatives against finite differences:
 * each analytic image tangent against the transformed image, resampled
 * bilinearly, at ±a small parameter; J·v by central differences against
 * the forward-mode value of a small tanh network, and its weight gradient
 * against finite differences of the exact penalty.
 */

let digits: tf.Tensor4D;

beforeAll(async () => {
  // Not cpu: its Transform kernel (tfjs 4.22) returns after the first image of a batch.
  await selectBackend("wasm");
  const data = await loadDigits({ train: 4 }, 11);
  digits = gaussianBlur(data.splits.train!.x as tf.Tensor4D, 1);
}, 60_000);

/**
 * Where each output pixel reads from after a transform with parameter α
 * moves every point p by α·d(p): the input point p − α·d(p), as the
 * `tf.image.transform` row [a0, a1, a2, b0, b1, b2, 0, 0].
 */
function inverseMap(transform: string, alpha: number, side: number): number[] {
  const centre = (side - 1) / 2;
  const s = alpha / (side / 2);
  switch (transform) {
    case "translate_x":
      return [1, 0, -alpha, 0, 1, 0, 0, 0];
    case "translate_y":
      return [1, 0, 0, 0, 1, -alpha, 0, 0];
    case "rotate": // d = (−y, x)
      return [1, s, -s * centre, -s, 1, s * centre, 0, 0];
    case "scale": // d = (x, y)
      return [1 - s, 0, s * centre, 0, 1 - s, s * centre, 0, 0];
    case "shear": // d = (y, 0)
      return [1, -s, s * centre, 0, 1, 0, 0, 0];
  }
  throw new Error(transform);
}

function transformed(images: tf.Tensor4D, transform: string, alpha: number): tf.Tensor4D {
  const row = inverseMap(transform, alpha, images.shape[1]);
  return tf.image.transform(images, tf.tensor2d([row], [1, 8]).tile([images.shape[0], 1]) as tf.Tensor2D, "bilinear", "nearest");
}

/** ‖a − b‖ / ‖b‖ */
function relativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0]! / tf.norm(b).dataSync()[0]!);
}

describe("image tangents", () => {
  const geometric: ImageTransform[] = ["translate", "rotate", "scale", "shear"];

  it("names one tangent per transform and two for translation", () => {
    expect(tangentNames(["rotate", "translate", "thickness"])).toEqual(["rotate", "translate_x", "translate_y", "thickness"]);
  });

  it("equal the central finite difference of the transformed digit", () => {
    const tangents = imageTangents(digits, geometric);
    const names = tangentNames(geometric);
    const alpha = 1e-3;
    const errors: string[] = [];
    names.forEach((name, i) => {
      const difference = tf.tidy(() => tf.div(tf.sub(transformed(digits, name, alpha), transformed(digits, name, -alpha)), 2 * alpha));
      const error = relativeError(tangents[i]!, difference);
      // float32 positions limit the agreement: the move at α = 1e-3 is a few thousandths of a pixel.
      expect(error, name).toBeLessThan(5e-3);
      errors.push(`${name} ${error.toExponential(1)}`);
      tf.dispose(difference);
    });
    tf.dispose(tangents);
    console.log(`tangent vs finite difference, relative error: ${errors.join(", ")}`);
  });

  it("thicken a radial blob by its outward derivative", () => {
    // I(r) = exp(−r²/2σ²): dilating by ε gives I(r − ε), whose derivative in ε is −I′(r) = ‖∇I‖.
    const side = 28;
    const sigma = 4;
    const pixels: number[] = [];
    const expected: number[] = [];
    for (let i = 0; i < side; i++) {
      for (let j = 0; j < side; j++) {
        const r = Math.hypot(i - 13.5, j - 13.5);
        const value = Math.exp(-(r * r) / (2 * sigma * sigma));
        pixels.push(value);
        expected.push((r / (sigma * sigma)) * value);
      }
    }
    const [thickness] = imageTangents(tf.tensor4d(pixels, [1, side, side, 1]), ["thickness"]);
    expect(relativeError(thickness!, tf.tensor4d(expected, [1, side, side, 1]))).toBeLessThan(0.03);
  });
});

describe("J·v by central differences", () => {
  // f(x) = W2·tanh(W1·x + b1) + b2 on 5 inputs, 4 hidden units, 3 outputs.
  const w1 = tf.tensor2d([0.3, -0.5, 0.8, 0.1, -0.2, 0.7, 0.4, -0.6, 0.9, -0.3, 0.2, 0.5, -0.8, 0.6, -0.1, 0.4, 0.3, -0.7, 0.5, 0.2], [5, 4]);
  const b1 = tf.tensor1d([0.1, -0.2, 0.05, 0.3]);
  const w2 = tf.tensor2d([0.6, -0.4, 0.2, -0.3, 0.9, 0.5, 0.7, 0.1, -0.8, 0.4, -0.6, 0.3], [4, 3]);
  const x = tf.tensor2d([[0.5, -0.2, 0.9, 0.1, -0.7], [-0.3, 0.8, 0.2, -0.5, 0.4]]);
  const v = tf.tensor2d([[0.2, 0.4, -0.1, 0.3, 0.5], [-0.6, 0.1, 0.3, 0.2, -0.4]]);
  const net = (weights: tf.Tensor2D) => (z: tf.Tensor) => [tf.matMul(tf.tanh(tf.add(tf.matMul(z as tf.Tensor2D, weights), b1)), w2)];

  /** Forward mode by hand: J·v = W2ᵀ·((1 − tanh²(a)) ⊙ (W1ᵀ·v)), a = W1ᵀx + b1. */
  function forwardMode(weights: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => {
      const a = tf.add(tf.matMul(x, weights), b1);
      const slope = tf.sub(1, tf.square(tf.tanh(a)));
      return tf.matMul(tf.mul(slope, tf.matMul(v, weights)), w2);
    });
  }

  it("matches the forward-mode value", () => {
    const [jv] = centralDifference(net(w1), x, v, 1e-2);
    expect(relativeError(jv!, forwardMode(w1))).toBeLessThan(1e-3);
  });

  it("gives ‖J·v‖² its exact weight gradient through first-order autodiff", () => {
    const penalty = (weights: tf.Tensor) => tf.sum(tf.square(centralDifference(net(weights as tf.Tensor2D), x, v, 1e-2)[0]!));
    const viaDifference = tf.grad(penalty)(w1);
    // Reference: finite differences, in double precision, of the exact penalty ‖J·v‖² (forward mode).
    const exact = (weights: number[]) => tf.tidy(() => tf.sum(tf.square(forwardMode(tf.tensor2d(weights, [5, 4])))).dataSync()[0]!);
    const flat = Array.from(w1.dataSync());
    const step = 1e-2;
    const reference = flat.map((_, i) => {
      const up = [...flat];
      const down = [...flat];
      up[i]! += step;
      down[i]! -= step;
      return (exact(up) - exact(down)) / (2 * step);
    });
    expect(relativeError(viaDifference, tf.tensor2d(reference, [5, 4]))).toBeLessThan(2e-3);
  });
});
