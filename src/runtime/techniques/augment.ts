import * as tf from "@tensorflow/tfjs";
import { deriveSeed, uniformStream } from "../random.js";
import type { Technique } from "../train/technique.js";
import { inverseMapping, mapPoints, resampleAffine, type AffineParams } from "./affine-transform.js";
import { displacementField, displacePoints } from "./elastic-distortion.js";
import { pixelGrid, sampleBilinear } from "./image-sampling.js";

/** A number x (symmetric about no change) or the range [low, high] itself. */
export type Range = number | readonly [number, number];

/** Lengths are pixels, or fractions of the image side when the spec wrote `%`. */
export type LengthUnit = "px" | "fraction";

export interface AugmentOptions {
  /** Degrees. */
  rotate?: Range;
  translate?: Range;
  translateUnit?: LengthUnit;
  /** Zoom factor; x alone means [1 − x, 1 + x]. */
  scale?: Range;
  /** Degrees. */
  shear?: Range;
  flip?: "none" | "horizontal" | "vertical" | "both";
  /** Strength α of the elastic field. */
  elastic?: number;
  /** Padding on each side before a random crop of the original size. */
  crop?: number;
  cropUnit?: LengthUnit;
}

type Interval = readonly [number, number];

/** What to draw for each image, in pixels and degrees, for an image of one size. */
interface Draws {
  rotate: Interval;
  scale: Interval;
  shear: Interval;
  translate: readonly [Interval, Interval];
  /** Largest whole-pixel crop offset along x and y. */
  crop: readonly [number, number];
  flip: readonly [boolean, boolean];
}

/**
 * §7.4: each training batch is replaced by randomly transformed copies —
 * rotation, zoom, shear, mirror, shift and crop, then elastic distortion,
 * all in one resampling — drawn afresh per image from the step's seed, so
 * a resumed run sees the same copies. Labels stay; a reconstruction target
 * (the input itself) is the transformed image. Validation and test batches
 * never pass through here.
 */
export function augment(options: AugmentOptions = {}): Technique {
  const scale = symmetric(options.scale, 1);
  if (scale[0] <= 0) throw new Error(`augment: scale ${String(options.scale)} allows zoom factors down to ${scale[0]}; every factor must be positive`);
  return {
    label: `augment(${describeOptions(options)})`,
    attach: ({ data }) => {
      if (data.kind !== "image") throw new Error(`augment transforms images, but data ${data.name} is a table`);
    },
    transformBatch: (batch, step) => {
      const images = batch.x as tf.Tensor4D;
      const x = augmentImages(images, options, deriveSeed(step.seed, "augment"));
      const targets = batch.targets["input"] === batch.x ? { ...batch.targets, input: x } : batch.targets;
      return { ...batch, x, targets };
    },
  };
}

/** The augmented copy of a batch [n, h, w, c] for a seed. */
export function augmentImages(images: tf.Tensor4D, options: AugmentOptions, seed: number): tf.Tensor4D {
  const [n, height, width] = images.shape;
  const draws = drawsFor(options, height, width);
  const next = uniformStream(deriveSeed(seed, "affine"));
  const within = ([low, high]: Interval) => low + next() * (high - low);
  const params = Array.from({ length: n }, (): AffineParams => {
    const [cropX, cropY] = draws.crop.map((limit) => Math.floor(next() * (2 * limit + 1)) - limit) as [number, number];
    return {
      rotate: within(draws.rotate),
      scale: within(draws.scale),
      shear: within(draws.shear),
      translate: [within(draws.translate[0]) + cropX, within(draws.translate[1]) + cropY],
      flip: [draws.flip[0] && next() < 0.5, draws.flip[1] && next() < 0.5],
    };
  });
  const mappings = params.map((p) => inverseMapping(p, height, width));
  if (!options.elastic) return movesPixels(draws) ? resampleAffine(images, mappings) : tf.clone(images);
  // Output pixel p shows the input at M·(p + d(p)): the affine map M, then the elastic field d, one interpolation.
  const elastic = options.elastic;
  return tf.tidy(() => {
    const points = displacePoints(pixelGrid(n, height, width), displacementField([n, height, width], elastic, deriveSeed(seed, "elastic")));
    return sampleBilinear(images, movesPixels(draws) ? mapPoints(points, mappings) : points);
  });
}

function drawsFor(options: AugmentOptions, height: number, width: number): Draws {
  const pixels = (value: number, unit: LengthUnit | undefined, side: number) => (unit === "fraction" ? value * side : value);
  const [low, high] = symmetric(options.translate, 0);
  const crop = options.crop ?? 0;
  return {
    rotate: symmetric(options.rotate, 0),
    scale: symmetric(options.scale, 1),
    shear: symmetric(options.shear, 0),
    translate: [
      [pixels(low, options.translateUnit, width), pixels(high, options.translateUnit, width)],
      [pixels(low, options.translateUnit, height), pixels(high, options.translateUnit, height)],
    ],
    crop: [Math.round(pixels(crop, options.cropUnit, width)), Math.round(pixels(crop, options.cropUnit, height))],
    flip: [options.flip === "horizontal" || options.flip === "both", options.flip === "vertical" || options.flip === "both"],
  };
}

/** Whether any draw can differ from the identity, so that resampling is needed at all. */
function movesPixels(draws: Draws): boolean {
  const fixed = ([low, high]: Interval, at: number) => low === at && high === at;
  const still = fixed(draws.rotate, 0) && fixed(draws.scale, 1) && fixed(draws.shear, 0) && draws.translate.every((axis) => fixed(axis, 0));
  return !still || draws.crop.some((limit) => limit > 0) || draws.flip.some(Boolean);
}

/** x means [centre − x, centre + x]; a pair is the range itself; absent means no change. */
function symmetric(range: Range | undefined, centre: number): Interval {
  if (range === undefined) return [centre, centre];
  return typeof range === "number" ? [centre - range, centre + range] : range;
}

/** The options as the spec wrote them: `rotate: 10, translate: 10%`. */
function describeOptions(options: AugmentOptions): string {
  const unit = (name: string) => (name === "translate" || name === "crop" ? (options[`${name}Unit`] === "fraction" ? " (fraction of the side)" : "px") : "");
  return Object.entries(options)
    .filter(([name]) => !name.endsWith("Unit"))
    .map(([name, value]) => `${name}: ${Array.isArray(value) ? `[${value.join(", ")}]` : String(value)}${unit(name)}`)
    .join(", ");
}
