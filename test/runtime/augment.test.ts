import { loadDigits } from "../support/digits.js";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { dense, flatten } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { affineTransform, IDENTITY, type AffineParams } from "../../src/runtime/techniques/affine-transform.js";
import { augment, augmentImages, type AugmentOptions } from "../../src/runtime/techniques/augment.js";
import { displace, displacementField } from "../../src/runtime/techniques/elastic-distortion.js";
import { evaluateSplit } from "../../src/runtime/train/evaluate.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify } from "../../src/runtime/train/tasks.js";
import type { Batch, StepInfo, Technique } from "../../src/runtime/train/technique.js";
import { seededRandom } from "../support/random.js";
import { trainToEnd } from "../support/quiet-training.js";

/**
 * §7.4 augmentation: the geometry of each transform on known images, the
 * same results on the wasm and cpu backends, and a training run in which
 * only training batches are transformed.
 */

const BACKENDS = ["cpu", "wasm"] as const;

beforeAll(async () => {
  await selectBackend("cpu");
  await selectBackend("wasm");
});

/** Runs `compute` on a backend and returns its values as [h][w] rows of the first image's first channel. */
async function on(backend: (typeof BACKENDS)[number], compute: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const result = tf.tidy(compute);
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

/** An h×w single-channel image with one bright pixel. */
function dot(size: number, row: number, col: number): tf.Tensor4D {
  const pixels = new Float32Array(size * size);
  pixels[row * size + col] = 1;
  return tf.tensor4d(pixels, [1, size, size, 1]);
}

/** Where the image's mass sits: [row, col] of its brightest pixel, and how much mass lies elsewhere. */
function brightest(values: Float32Array, size: number): { at: [number, number]; elsewhere: number } {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  const total = values.reduce((a, b) => a + Math.abs(b), 0);
  return { at: [Math.floor(best / size), best % size], elsewhere: total - values[best]! };
}

const transform = (params: Partial<AffineParams>): AffineParams => ({ ...IDENTITY, ...params });

function randomImages(n: number, size: number, seed: number): tf.Tensor4D {
  const random = seededRandom(seed);
  return tf.tensor4d(Float32Array.from({ length: n * size * size }, () => random()), [n, size, size, 1]);
}

describe.each(BACKENDS)("affine transforms on %s", (backend) => {
  // A 9×9 image, centre (4, 4); the dot sits 1 right of and 2 above the centre.
  const cases: Array<[string, Partial<AffineParams>, [number, number]]> = [
    ["nothing", {}, [2, 5]],
    ["rotate 90° (counterclockwise): 1 right, 2 up → 2 left, 1 up", { rotate: 90 }, [3, 2]],
    ["rotate −90°: → 2 right, 1 down", { rotate: -90 }, [5, 6]],
    ["translate [2, −1]: 2 right, 1 up", { translate: [2, -1] }, [1, 7]],
    ["scale 2: twice as far from the centre", { scale: 2 }, [0, 6]],
    ["shear 45°: tops lean right, by 2 for 2 rows up", { shear: 45 }, [2, 7]],
    ["flip left–right", { flip: [true, false] }, [2, 3]],
    ["flip top–bottom", { flip: [false, true] }, [6, 5]],
    ["rotate 90° then translate [1, 2]", { rotate: 90, translate: [1, 2] }, [5, 3]],
  ];
  it.each(cases)("%s", async (_name, params, expected) => {
    const values = await on(backend, () => affineTransform(dot(9, 2, 5), [transform(params)]));
    const { at, elsewhere } = brightest(values, 9);
    expect(at).toEqual(expected);
    expect(values[at[0] * 9 + at[1]]).toBeCloseTo(1, 4);
    // Enlarging spreads the dot over its new neighbours; every other transform moves it whole.
    if (params.scale === undefined) expect(elsewhere).toBeLessThan(1e-4);
  });

  it("rotating an 8×8 image by 90° is the exact quarter turn: new[r][c] = old[c][7 − r]", async () => {
    const image = randomImages(1, 8, 3);
    const old = image.dataSync();
    const rotated = await on(backend, () => affineTransform(image, [transform({ rotate: 90 })]));
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) expect(rotated[r * 8 + c]).toBeCloseTo(old[c * 8 + (7 - r)]!, 4);
  });

  it("a half-pixel shift averages neighbours; beyond the border the edge pixel repeats", async () => {
    const row = tf.tensor4d([0, 0, 2, 4], [1, 1, 4, 1]);
    const shifted = await on(backend, () => affineTransform(row, [transform({ translate: [-0.5, 0] })]));
    expectClose(shifted, [0, 1, 3, 4]);
  });

  it("each image of a batch gets its own transform", async () => {
    const images = tf.concat([dot(9, 2, 5), dot(9, 2, 5)]) as tf.Tensor4D;
    const values = await on(backend, () => affineTransform(images, [transform({ rotate: 90 }), transform({ translate: [2, -1] })]));
    expect(brightest(values.slice(0, 81), 9).at).toEqual([3, 2]);
    expect(brightest(values.slice(81), 9).at).toEqual([1, 7]);
  });
});

describe("augment's options", () => {
  const images = randomImages(4, 8, 5);
  const at = async (options: AugmentOptions) => on("cpu", () => augmentImages(images, options, 11));

  it("a fixed range [a, a] is that exact transform; lengths in px or as a fraction of the side", async () => {
    const expected = await on("cpu", () => affineTransform(images, Array(4).fill(transform({ rotate: 30, translate: [2, 2] }))));
    expectClose(await at({ rotate: [30, 30], translate: [2, 2] }), expected);
    expectClose(await at({ rotate: [30, 30], translate: [0.25, 0.25], translateUnit: "fraction" }), expected);
  });

  it("scale x means factors in [1 − x, 1 + x]; x ≥ 1 would allow factor 0 and is refused", async () => {
    const expected = await on("cpu", () => affineTransform(images, Array(4).fill(transform({ scale: 1.2 }))));
    expectClose(await at({ scale: [1.2, 1.2] }), expected);
    expect(() => augment({ scale: 1 })).toThrow(/every factor must be positive/);
  });

  it("draws within the ranges, per image and per seed: the same seed gives the same batch", async () => {
    const first = await at({ rotate: 15, scale: 0.1, shear: 5, translate: 2 });
    expectClose(await at({ rotate: 15, scale: 0.1, shear: 5, translate: 2 }), first);
    const other = await on("cpu", () => augmentImages(images, { rotate: 15, scale: 0.1, shear: 5, translate: 2 }, 12));
    expect(maxDifference(other, first)).toBeGreaterThan(0.05);
    // Two images that are the same come out different.
    const twins = tf.concat([images.slice(0, 1), images.slice(0, 1)]) as tf.Tensor4D;
    const pair = await on("cpu", () => augmentImages(twins, { rotate: 15 }, 11));
    expect(maxDifference(pair.slice(0, 64), pair.slice(64))).toBeGreaterThan(0.05);
  });

  it("crop: 2 pads by repeating the border and takes a random 8×8 window: a whole-pixel shift within ±2", async () => {
    const many = randomImages(16, 8, 7);
    const cropped = await on("cpu", () => augmentImages(many, { crop: 2 }, 3));
    const shifts = new Set<string>();
    for (let i = 0; i < 16; i++) {
      const image = many.slice(i, 1) as tf.Tensor4D;
      const found = [];
      for (let dx = -2; dx <= 2; dx++) {
        for (let dy = -2; dy <= 2; dy++) {
          const shifted = await on("cpu", () => affineTransform(image, [transform({ translate: [dx, dy] })]));
          if (maxDifference(shifted, cropped.slice(i * 64, (i + 1) * 64)) < 1e-5) found.push(`${dx},${dy}`);
        }
      }
      expect(found, `image ${i}`).toHaveLength(1);
      shifts.add(found[0]!);
    }
    expect(shifts.size).toBeGreaterThan(4);
  });

  it("flip: both mirrors each axis with probability ½, independently", async () => {
    const many = randomImages(40, 8, 9);
    const flipped = await on("cpu", () => augmentImages(many, { flip: "both" }, 4));
    const counts = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const image = many.slice(i, 1) as tf.Tensor4D;
      for (const flip of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const candidate = await on("cpu", () => affineTransform(image, [transform({ flip })]));
        if (maxDifference(candidate, flipped.slice(i * 64, (i + 1) * 64)) < 1e-5) counts.set(flip.join(), (counts.get(flip.join()) ?? 0) + 1);
      }
    }
    expect([...counts.values()].reduce((a, b) => a + b)).toBe(40);
    expect(counts.size).toBe(4);
  });
});

describe("elastic distortion", () => {
  it("displaces by the field, bilinearly: (1, 0) shifts left by one pixel, (0.5, 0) averages neighbours", async () => {
    const row = tf.tensor4d([0, 2, 4, 8], [1, 1, 4, 1]);
    const field = (dx: number) => tf.tensor4d(Array.from({ length: 4 }, () => [dx, 0]).flat(), [1, 1, 4, 2]);
    for (const backend of BACKENDS) {
      expectClose(await on(backend, () => displace(row, field(1))), [2, 4, 8, 8]);
      expectClose(await on(backend, () => displace(row, field(0.5))), [1, 3, 6, 8]);
      expectClose(await on(backend, () => displace(row, field(0))), [0, 2, 4, 8]);
    }
  });

  it("the field is smooth, scales with α, and its size is what Simard's α = 34 on MNIST gives (about a pixel)", async () => {
    const field = (alpha: number) => displacementField([8, 28, 28], alpha, 5);
    const [one, two] = [await on("cpu", () => field(1)), await on("cpu", () => field(2))];
    expectClose(two, Array.from(one, (v) => 2 * v));
    const big = await on("cpu", () => field(34));
    const rms = Math.sqrt(big.reduce((s, v) => s + v * v, 0) / big.length);
    expect(rms).toBeGreaterThan(0.5);
    expect(rms).toBeLessThan(3);
    // Neighbouring pixels move almost alike: the step between them is a small part of the displacement.
    let step = 0;
    for (let i = 0; i + 2 < big.length; i += 2) if (((i / 2) % 28) !== 27) step += (big[i + 2]! - big[i]!) ** 2;
    expect(Math.sqrt(step / (big.length / 2))).toBeLessThan(rms / 3);
  });
});

describe("augment on wasm and cpu alike", () => {
  it("every transform together gives the same batch on both backends", async () => {
    const images = randomImages(6, 12, 13);
    const options: AugmentOptions = { rotate: 20, translate: 0.1, translateUnit: "fraction", scale: [0.9, 1.2], shear: 10, flip: "horizontal", elastic: 10, crop: 1 };
    const [cpu, wasm] = [await on("cpu", () => augmentImages(images, options, 21)), await on("wasm", () => augmentImages(images, options, 21))];
    expect(maxDifference(wasm, cpu)).toBeLessThan(1e-4);
    expect(maxDifference(cpu, images.dataSync() as Float32Array)).toBeGreaterThan(0.1);
  });

  it("without elastic distortion too, where wasm resamples with its Transform kernel", async () => {
    const images = randomImages(6, 12, 14);
    const options: AugmentOptions = { rotate: 30, translate: 3, scale: [0.7, 1.3], shear: 15, flip: "both", crop: 2 };
    const [cpu, wasm] = [await on("cpu", () => augmentImages(images, options, 22)), await on("wasm", () => augmentImages(images, options, 22))];
    expect(maxDifference(wasm, cpu)).toBeLessThan(1e-4);
    expect(maxDifference(cpu, images.dataSync() as Float32Array)).toBeGreaterThan(0.1);
  });
});

describe("augment in training", () => {
  let digits: Dataset;
  beforeAll(async () => {
    await tf.setBackend("wasm");
    digits = await loadDigits({ train: 200, val: 100 }, 4);
  });

  it("transforms every training batch and nothing else: validation and final metrics see the data as it is", async () => {
    await tf.setBackend("wasm");
    const inner = augment({ rotate: 10, translate: 2, scale: [0.9, 1.1] });
    const calls: Array<{ changed: number; labelsKept: boolean }> = [];
    const watched: Technique = {
      ...inner,
      transformBatch: (batch: Batch, step: StepInfo) => {
        const out = inner.transformBatch!(batch, step);
        calls.push({
          changed: tf.max(tf.abs(tf.sub(out.x, batch.x))).dataSync()[0]!,
          labelsKept: out.targets["label"] === batch.targets["label"],
        });
        return out;
      },
    };
    const model = new Model("mlp", [28, 28, 1], [flatten(), dense(32, { name: "h", activation: "relu" }), dense(10, { name: "out" })], 2);
    const tasks = [classify("digit", { output: "out", target: "label" })];
    const { trainer, final } = await trainToEnd({ model, data: digits, tasks, techniques: [watched], optimizer: adam({ lr: 1e-3 }), schedule: constant(), epochs: 2, batch: 50, seed: 1 });
    // 2 epochs × 4 batches of 50 training digits, and no call for 100 validation digits twice nor the final metrics.
    expect(calls).toHaveLength(8);
    for (const call of calls) {
      expect(call.changed).toBeGreaterThan(0.1);
      expect(call.labelsKept).toBe(true);
    }
    const plain = (x: tf.Tensor) => model.forward(x, { training: false, seed: 0 }).layers;
    expect(final.splits.val).toEqual(evaluateSplit(plain, digits, digits.splits.val!, tasks));
    expect(trainer.history[1]!.val).toEqual(final.splits.val);
    model.dispose();
  });

  it("a reconstruction target (the input itself) is the transformed image", () => {
    const x = randomImages(2, 8, 1);
    const out = tf.tidy(() => {
      const batch = augment({ rotate: 30 }).transformBatch!({ x, targets: { input: x } }, { epoch: 1, step: 1, epochs: 1, seed: 3, learningRate: 0 });
      expect(batch.targets["input"]).toBe(batch.x);
      return tf.max(tf.abs(tf.sub(batch.x, x)));
    });
    expect(out.dataSync()[0]).toBeGreaterThan(0.05);
  });
});

function maxDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(maxDifference(actual, expected)).toBeLessThan(1e-4);
}
