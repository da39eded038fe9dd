import * as tf from "@tensorflow/tfjs";

/**
 * Resampling images at arbitrary points, the one primitive behind every
 * geometric augmentation. Its own rather than `tf.image.transform`: the cpu
 * backend's Transform kernel (tfjs 4.22) fills only the first image of a
 * batch and leaves the rest blank.
 */

/** Points to sample, one per output pixel: x (column) and y (row), each [n, h, w], in input pixel coordinates. */
export interface SamplePoints {
  x: tf.Tensor3D;
  y: tf.Tensor3D;
}

/**
 * Every output pixel's own position: pixel centres at integer coordinates.
 * Written out here rather than tiled on the backend: wasm's Tile takes
 * milliseconds for one batch's grid.
 */
export function pixelGrid(n: number, height: number, width: number): SamplePoints {
  const x = new Float32Array(n * height * width);
  const y = new Float32Array(n * height * width);
  for (let offset = 0; offset < x.length; offset += width) {
    const row = (offset / width) % height;
    for (let column = 0; column < width; column++) {
      x[offset + column] = column;
      y[offset + column] = row;
    }
  }
  return { x: tf.tensor3d(x, [n, height, width]), y: tf.tensor3d(y, [n, height, width]) };
}

/** Images [n, h, w, c] read at the points, bilinearly; a point beyond the border reads the nearest border pixel. */
export function sampleBilinear(images: tf.Tensor4D, points: SamplePoints): tf.Tensor4D {
  const [n, height, width, channels] = images.shape;
  return tf.tidy(() => {
    const sx = tf.clipByValue(points.x, 0, width - 1);
    const sy = tf.clipByValue(points.y, 0, height - 1);
    const x0 = tf.floor(sx);
    const y0 = tf.floor(sy);
    const fx = tf.expandDims(tf.sub(sx, x0), 3);
    const fy = tf.expandDims(tf.sub(sy, y0), 3);
    const x1 = tf.minimum(tf.add(x0, 1), width - 1);
    const y1 = tf.minimum(tf.add(y0, 1), height - 1);
    const pixels = tf.reshape(images, [n * height * width, channels]);
    const firstOfImage = tf.reshape(tf.range(0, n * height * width, height * width), [n, 1, 1]);
    const at = (y: tf.Tensor, x: tf.Tensor) => {
      const index = tf.cast(tf.add(firstOfImage, tf.add(tf.mul(y, width), x)), "int32");
      return tf.reshape(tf.gather(pixels, tf.reshape(index, [-1])), [n, height, width, channels]);
    };
    const top = tf.add(tf.mul(at(y0, x0), tf.sub(1, fx)), tf.mul(at(y0, x1), fx));
    const bottom = tf.add(tf.mul(at(y1, x0), tf.sub(1, fx)), tf.mul(at(y1, x1), fx));
    return tf.add(tf.mul(top, tf.sub(1, fy)), tf.mul(bottom, fy)) as tf.Tensor4D;
  });
}
