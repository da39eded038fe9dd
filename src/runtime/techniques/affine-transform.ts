import * as tf from "@tensorflow/tfjs";
import { pixelGrid, sampleBilinear, type SamplePoints } from "./image-sampling.js";

/**
 * Geometric transforms of images about their centre, one per example.
 * Coordinates are (x: column, y: row, rows growing downward).
 */

/** One example's transform, in the units a spec writes. */
export interface AffineParams {
  /** Degrees; positive turns the picture counterclockwise as seen on screen. */
  rotate: number;
  /** Zoom factor; above 1 enlarges the content. */
  scale: number;
  /** Degrees; positive slants vertical strokes so their tops lean right. */
  shear: number;
  /** Shift in pixels: [right, down]. */
  translate: readonly [number, number];
  /** Mirror left–right, top–bottom. */
  flip: readonly [boolean, boolean];
}

export const IDENTITY: AffineParams = { rotate: 0, scale: 1, shear: 0, translate: [0, 0], flip: [false, false] };

/**
 * [a0, a1, a2, b0, b1, b2] taking each output pixel (x, y) back to the input
 * point it shows, (a0·x + a1·y + a2, b0·x + b1·y + b2): the inverse of
 * out = c + A·(in − c) + t, with A = rotation · shear · zoom · mirrors.
 */
export function inverseMapping(params: AffineParams, height: number, width: number): number[] {
  const radians = (params.rotate * Math.PI) / 180;
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  const slant = -Math.tan((params.shear * Math.PI) / 180);
  const [mirrorX, mirrorY] = params.flip.map((flip) => (flip ? -1 : 1)) as [number, number];
  // Screen rotation with y down: (1, 0) turns toward (cos, −sin). Shear moves x by slant·y.
  const a = [
    [cos * params.scale * mirrorX, (cos * slant + sin) * params.scale * mirrorY],
    [-sin * params.scale * mirrorX, (-sin * slant + cos) * params.scale * mirrorY],
  ] as const;
  const det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
  const m = [
    [a[1][1] / det, -a[0][1] / det],
    [-a[1][0] / det, a[0][0] / det],
  ] as const;
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  const [ox, oy] = [cx + params.translate[0], cy + params.translate[1]];
  return [m[0][0], m[0][1], cx - (m[0][0] * ox + m[0][1] * oy), m[1][0], m[1][1], cy - (m[1][0] * ox + m[1][1] * oy)];
}

/** The points each image's transform sends `points` to; `mappings` holds one inverseMapping per image. */
export function mapPoints(points: SamplePoints, mappings: readonly number[][]): SamplePoints {
  return tf.tidy(() => {
    const column = (k: number) => tf.tensor3d(mappings.map((m) => m[k]!), [mappings.length, 1, 1]);
    const affine = (first: number) => tf.add(tf.add(tf.mul(column(first), points.x), tf.mul(column(first + 1), points.y)), column(first + 2)) as tf.Tensor3D;
    return { x: affine(0), y: affine(3) };
  });
}

/** Transforms each image [n, h, w, c] by its own parameters; bilinear, the border pixels extended outward. */
export function affineTransform(images: tf.Tensor4D, params: readonly AffineParams[]): tf.Tensor4D {
  const [n, height, width] = images.shape;
  if (params.length !== n) throw new Error(`affineTransform: ${params.length} transforms for ${n} images`);
  return resampleAffine(images, params.map((p) => inverseMapping(p, height, width)));
}

/**
 * Each image [n, h, w, c] read at its own inverse mapping of the pixel
 * grid, bilinearly, the border extended. On wasm that is its Transform
 * kernel, one native pass (the sampling as tensor ops takes some 25 passes
 * over the batch); other backends sample with tensor ops: the `cpu`
 * Transform kernel (tfjs 4.22) fills only the first image of a batch.
 */
export function resampleAffine(images: tf.Tensor4D, mappings: readonly number[][]): tf.Tensor4D {
  const [n, height, width] = images.shape;
  return tf.tidy(() => {
    if (tf.getBackend() !== "wasm") return sampleBilinear(images, mapPoints(pixelGrid(n, height, width), mappings));
    // Transform's projective rows [a0, a1, a2, b0, b1, b2, c0, c1] with no perspective: c0 = c1 = 0.
    const transforms = tf.tensor2d(mappings.map((m) => [...m, 0, 0]), [n, 8]);
    return tf.image.transform(images, transforms, "bilinear", "nearest");
  });
}
