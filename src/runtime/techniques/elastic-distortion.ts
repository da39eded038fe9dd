import * as tf from "@tensorflow/tfjs";
import { pixelGrid, sampleBilinear, type SamplePoints } from "./image-sampling.js";

/**
 * Elastic distortion (Simard, Steinkraus & Platt 2003): every pixel moves
 * by a random displacement that varies smoothly over the image, like ink on
 * a stretched rubber sheet.
 */

/** Width σ, in pixels, of the Gaussian that smooths the random field (Simard et al. use 4). */
export const ELASTIC_SIGMA = 4;

/**
 * A displacement field [n, h, w, 2] of (dx, dy) per pixel: uniform noise in
 * [−1, 1] convolved with a normalized Gaussian of width σ (zero beyond the
 * border), times α.
 */
export function displacementField(shape: readonly [number, number, number], alpha: number, seed: number, sigma = ELASTIC_SIGMA): tf.Tensor4D {
  const [n, height, width] = shape;
  return tf.tidy(() => {
    const noise = tf.randomUniform([n, height, width, 2], -1, 1, "float32", seed) as tf.Tensor4D;
    const weights = gaussianWeights(sigma);
    const k = weights.length;
    // One depthwise filter per component (dx, dy), separable: along rows, then along columns.
    const along = (shape4: [number, number, number, number]) => tf.tensor4d(weights.flatMap((w) => [w, w]), shape4);
    const rows = tf.depthwiseConv2d(noise, along([1, k, 2, 1]), 1, "same");
    const smooth = tf.depthwiseConv2d(rows, along([k, 1, 2, 1]), 1, "same");
    return tf.mul(smooth, alpha);
  });
}

/** A Gaussian of width σ sampled out to 3σ on each side, summing to 1. */
function gaussianWeights(sigma: number): number[] {
  const radius = Math.ceil(3 * sigma);
  const raw = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = raw.reduce((a, b) => a + b, 0);
  return raw.map((w) => w / total);
}

/** The points moved by the field: (x + dx, y + dy). */
export function displacePoints(points: SamplePoints, field: tf.Tensor4D): SamplePoints {
  return tf.tidy(() => {
    const [dx, dy] = tf.unstack(field, 3) as [tf.Tensor3D, tf.Tensor3D];
    return { x: tf.add(points.x, dx) as tf.Tensor3D, y: tf.add(points.y, dy) as tf.Tensor3D };
  });
}

/** Output pixel (x, y) of each image shows the input at (x + dx, y + dy), bilinearly, the border extended outward. */
export function displace(images: tf.Tensor4D, field: tf.Tensor4D): tf.Tensor4D {
  const [n, height, width] = images.shape;
  return tf.tidy(() => sampleBilinear(images, displacePoints(pixelGrid(n, height, width), field)));
}
