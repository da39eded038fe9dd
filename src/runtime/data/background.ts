import type { Examples } from "./examples.js";

/**
 * The background of a source's images: each channel's mean over the
 * outermost ring of pixels of the train split's images, as an 8-bit value
 * (MNIST's black is 0, digits drawn black on white give 255). Prediction
 * composites a transparent pixel over it, so a digit on a transparent
 * background reads as one on the background the model was trained with.
 */
export function imageBackground(examples: Examples, trainRows: Int32Array): number[] {
  const [height, width, channels] = examples.inputShape as [number, number, number];
  const sums = new Float64Array(channels);
  let pixels = 0;
  for (const row of trainRows) {
    for (let y = 0; y < height; y++) {
      const edgeRow = y === 0 || y === height - 1;
      // Inside the ring, only the first and last pixel of a line.
      for (let x = 0; x < width; x += edgeRow ? 1 : Math.max(1, width - 1)) {
        const at = row * examples.width + (y * width + x) * channels;
        for (let c = 0; c < channels; c++) sums[c]! += examples.x[at + c]!;
        pixels++;
      }
    }
  }
  return Array.from(sums, (sum) => Math.round((pixels > 0 ? sum / pixels : 0) * 255));
}
