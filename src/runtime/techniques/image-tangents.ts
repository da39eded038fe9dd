import * as tf from "@tensorflow/tfjs";

/**
 * Tangent vectors of images (Simard et al. 1992, 1998): the derivative of a
 * transformed image with respect to the transform's parameter at zero,
 * written through the image's spatial gradient. A transform that moves each
 * point p by α·d(p) turns I into I(p − α·d(p)), whose tangent is −d(p)·∇I(p).
 */

/** The geometric transforms the language names (`along rotate, translate`). */
export const IMAGE_TRANSFORMS = ["rotate", "translate", "scale", "shear", "thickness"] as const;
export type ImageTransform = (typeof IMAGE_TRANSFORMS)[number];

/** The tangents a transform contributes, by name: translation gives two. */
export function tangentNames(transforms: readonly ImageTransform[]): string[] {
  return transforms.flatMap((transform) => (transform === "translate" ? ["translate_x", "translate_y"] : [transform]));
}

/**
 * One tangent image [n, h, w, c] per name of `tangentNames(transforms)`, for
 * images [n, h, w, c]. Units: one pixel. Translation moves content by one
 * pixel right (x) or down (y); rotation, scaling and shear are scaled so that
 * a point at the image's half-side from the centre moves by one pixel;
 * thickness grows strokes by one pixel on each side. The gradient is the
 * central difference, with the border pixel repeated outside the image.
 */
export function imageTangents(images: tf.Tensor4D, transforms: readonly ImageTransform[]): tf.Tensor4D[] {
  return tf.tidy(() => {
    const [, height, width] = images.shape;
    const { dx, dy } = spatialGradient(images);
    // Positions from the image centre in units of the half-side, x to the right, y down.
    const half = Math.max(height, width) / 2;
    const x = tf.reshape(tf.div(tf.sub(tf.range(0, width), (width - 1) / 2), half), [1, 1, width, 1]);
    const y = tf.reshape(tf.div(tf.sub(tf.range(0, height), (height - 1) / 2), half), [1, height, 1, 1]);
    const along = (fx: tf.Tensor | number, fy: tf.Tensor | number): tf.Tensor4D =>
      tf.neg(tf.add(tf.mul(dx, fx), tf.mul(dy, fy))) as tf.Tensor4D;
    const tangents: tf.Tensor4D[] = [];
    for (const transform of transforms) {
      switch (transform) {
        case "translate":
          tangents.push(tf.neg(dx), tf.neg(dy));
          break;
        case "rotate":
          // d(p) = (−y, x): clockwise on screen, where y points down.
          tangents.push(along(tf.neg(y), x));
          break;
        case "scale":
          tangents.push(along(x, y));
          break;
        case "shear":
          // d(p) = (y, 0): rows below the centre move right.
          tangents.push(along(y, 0));
          break;
        case "thickness":
          // Dilating by ε turns I(p) into max over |q − p| ≤ ε of I(q) ≈ I + ε·‖∇I‖.
          tangents.push(tf.sqrt(tf.add(tf.square(dx), tf.square(dy))) as tf.Tensor4D);
          break;
      }
    }
    return tangents;
  });
}

/** How much images are blurred before their tangents are taken, in pixels (σ of a Gaussian). */
export const TANGENT_BLUR = 1;

/** `imageTangents` of the images blurred by `TANGENT_BLUR`: the tangents tangent prop and tangent distance use. */
export function smoothTangents(images: tf.Tensor4D, transforms: readonly ImageTransform[]): tf.Tensor4D[] {
  return tf.tidy(() => imageTangents(gaussianBlur(images, TANGENT_BLUR), transforms));
}

/** ∂I/∂x and ∂I/∂y per pixel and channel, as central differences over an edge-replicated border. */
export function spatialGradient(images: tf.Tensor4D): { dx: tf.Tensor4D; dy: tf.Tensor4D } {
  return tf.tidy(() => {
    const [n, height, width, channels] = images.shape;
    const padded = tf.mirrorPad(images, [[0, 0], [1, 1], [1, 1], [0, 0]], "symmetric");
    const shifted = (row: number, column: number) => tf.slice(padded, [0, row, column, 0], [n, height, width, channels]);
    const dx = tf.mul(tf.sub(shifted(1, 2), shifted(1, 0)), 0.5) as tf.Tensor4D;
    const dy = tf.mul(tf.sub(shifted(2, 1), shifted(0, 1)), 0.5) as tf.Tensor4D;
    return { dx, dy };
  });
}

/**
 * A Gaussian blur of each channel (σ in pixels, edge-replicated border).
 * Tangents are taken of the blurred image, as Simard et al. do: the
 * derivative of a smooth image stays a good approximation over a larger
 * transform than the raw pixel differences.
 */
export function gaussianBlur(images: tf.Tensor4D, sigma: number): tf.Tensor4D {
  return tf.tidy(() => {
    const radius = Math.max(1, Math.ceil(2 * sigma));
    const taps = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
    const total = taps.reduce((a, b) => a + b, 0);
    const kernel = taps.map((t) => t / total);
    const [n, height, width, channels] = images.shape;
    // Channels become batch entries, so one single-channel kernel blurs them all.
    const planes = tf.reshape(tf.transpose(images, [0, 3, 1, 2]), [n * channels, height, width, 1]) as tf.Tensor4D;
    const padded = tf.mirrorPad(planes, [[0, 0], [radius, radius], [radius, radius], [0, 0]], "symmetric");
    const rows = tf.conv2d(padded, tf.tensor4d(kernel, [2 * radius + 1, 1, 1, 1]), 1, "valid");
    const blurred = tf.conv2d(rows, tf.tensor4d(kernel, [1, 2 * radius + 1, 1, 1]), 1, "valid");
    return tf.transpose(tf.reshape(blurred, [n, channels, height, width]), [0, 2, 3, 1]) as tf.Tensor4D;
  });
}
