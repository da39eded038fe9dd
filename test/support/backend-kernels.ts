import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { pick, seededRandom } from "./random.js";

// The gradient kernels reglang needs from a backend (those it registers for
// wasm, which other backends ship) are run on seeded random problems and
// compared with the `cpu` backend's kernel of the same name. The test files
// that call `describeKernelsAgainstCpu` make both backends ready first.

type Pad = "same" | "valid" | number | tf.backend_util.ExplicitPadding;
type Pair = [number, number];
type Shape4 = [number, number, number, number];

const TOLERANCE = 1e-4;

/** Runs `compute` on one backend and returns its result's values. */
async function on(backend: string, compute: () => tf.Tensor): Promise<Float32Array | Int32Array> {
  await tf.setBackend(backend);
  const result = tf.tidy(compute);
  const values = (await result.data()) as Float32Array | Int32Array;
  result.dispose();
  return values;
}

function runKernel(name: string, inputs: tf.NamedTensorMap, attrs: object): tf.Tensor {
  return tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor;
}

/** A convolution's strides and padding, and the shapes of its input and filter (NHWC). */
interface ConvGeometry {
  xShape: Shape4;
  filterShape: Shape4;
  strides: Pair;
  pad: Pad;
}

/** Conv2DBackpropFilter of `x` and `dy`, to run on a backend. */
function filterGradient({ xShape, filterShape, strides, pad }: ConvGeometry, x: Float32Array, dy: Float32Array, dyShape: Shape4): () => tf.Tensor {
  return () => runKernel("Conv2DBackpropFilter", { x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, dyShape) }, { strides, pad, dataFormat: "NHWC", filterShape });
}

/** Conv2DBackpropInput of `dy` and `filter`, to run on a backend. */
function inputGradient({ xShape, filterShape, strides, pad }: ConvGeometry, dy: Float32Array, dyShape: Shape4, filter: Float32Array): () => tf.Tensor {
  return () => runKernel("Conv2DBackpropInput", { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, filterShape) }, { strides, pad, dataFormat: "NHWC", inputShape: xShape });
}

/** Agreement relative to the reference's largest magnitude, naming the worst element. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  let worstIndex = 0;
  for (let i = 0; i < expected.length; i++) {
    const error = Math.abs(actual[i]! - expected[i]!);
    if (!(error <= worst)) [worst, worstIndex] = [error, i];
  }
  expect(
    worst / scale,
    `${what}: element ${worstIndex} is ${actual[worstIndex]}, cpu says ${expected[worstIndex]}`,
  ).toBeLessThanOrEqual(TOLERANCE);
}

function uniform(random: () => number, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

function between(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function randomPad(random: () => number): Pad {
  const kind = pick(random, ["same", "valid", "number", "explicit"] as const);
  if (kind === "number") return between(random, 0, 2);
  if (kind === "explicit") {
    return [
      [0, 0],
      [between(random, 0, 2), between(random, 0, 2)],
      [between(random, 0, 2), between(random, 0, 2)],
      [0, 0],
    ];
  }
  return kind;
}

function outputShape(
  xShape: Shape4,
  filterShape: Shape4,
  strides: Pair,
  dilations: Pair,
  pad: Pad,
  depthwise: boolean,
): Shape4 {
  return tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad, undefined, depthwise).outShape;
}

interface ConvCase extends ConvGeometry {
  label: string;
  dilations: Pair;
}

/** Random convolution problems whose output is non-empty; depthwise ones use a channel multiplier. */
function convCases(seed: number, count: number, depthwise: boolean): ConvCase[] {
  const random = seededRandom(seed);
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const inChannels = between(random, 1, 5);
    const xShape: Shape4 = [between(random, 1, 4), between(random, 3, 12), between(random, 3, 12), inChannels];
    const outChannelsOrMultiplier = between(random, 1, depthwise ? 3 : 6);
    const filterShape: Shape4 = [between(random, 1, 4), between(random, 1, 4), inChannels, outChannelsOrMultiplier];
    // tfjs allows strides and dilations together only when one of them is 1.
    const dilated = depthwise && random() < 0.4;
    const strides: Pair = dilated ? [1, 1] : [between(random, 1, 3), between(random, 1, 3)];
    const dilations: Pair = dilated ? [between(random, 1, 3), between(random, 2, 3)] : [1, 1];
    const pad = randomPad(random);
    const [, outHeight, outWidth] = outputShape(xShape, filterShape, strides, dilations, pad, depthwise);
    if (outHeight < 1 || outWidth < 1) continue;
    const label = `x ${xShape} filter ${filterShape} strides ${strides} dilations ${dilations} pad ${JSON.stringify(pad)}`;
    cases.push({ label, xShape, filterShape, strides, dilations, pad });
  }
  return cases;
}

/**
 * A dilated filter equals an undilated one with zeros between its taps; the
 * `cpu` depthwise gradient kernels ignore `dilations`, so dilated cases are
 * checked against them through this equivalent undilated problem.
 */
function dilatedFilterShape([height, width, channels, multiplier]: Shape4, [dh, dw]: Pair): Shape4 {
  return [(height - 1) * dh + 1, (width - 1) * dw + 1, channels, multiplier];
}

function spreadTaps(filter: tf.Tensor4D, [dh, dw]: Pair): tf.Tensor4D {
  const [height, width, channels, multiplier] = filter.shape;
  const withGaps = tf.pad(filter.reshape([height, 1, width, 1, channels, multiplier]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  const spread = withGaps.reshape([height * dh, width * dw, channels, multiplier]) as tf.Tensor4D;
  return spread.slice([0, 0, 0, 0], dilatedFilterShape(filter.shape, [dh, dw]));
}

function gatherTaps(spread: tf.Tensor4D, [dh, dw]: Pair, [height, width]: Shape4): tf.Tensor4D {
  const end = [height * dh, width * dw, spread.shape[2], spread.shape[3]];
  return tf.stridedSlice(spread, [0, 0, 0, 0], end, [dh, dw, 1, 1]) as tf.Tensor4D;
}

/** The kernel suite against cpu, on `backend`, which the caller has made ready (and cpu). */
export function describeKernelsAgainstCpu(backend: string): void {
  describe(`Conv2DBackpropFilter on ${backend}`, () => {
    for (const geometry of convCases(1, 16, false)) {
      const { label, xShape, filterShape, strides, pad } = geometry;
      it(`matches cpu: ${label}`, async () => {
        const random = seededRandom(101);
        const dyShape = outputShape(xShape, filterShape, strides, [1, 1], pad, false);
        const x = uniform(random, tf.util.sizeFromShape(xShape));
        const dy = uniform(random, tf.util.sizeFromShape(dyShape));
        const gradient = filterGradient(geometry, x, dy, dyShape);
        expectClose(await on(backend, gradient), await on("cpu", gradient), "dW");
      });
    }
  });

  describe(`Conv2DBackpropFilter and Conv2DBackpropInput with channels in fours (wasm's SIMD kernels) on ${backend}`, () => {
    const cases: ConvGeometry[] = [
      { xShape: [3, 12, 12, 1], filterShape: [3, 3, 1, 16], strides: [1, 1], pad: "valid" },
      { xShape: [2, 9, 9, 16], filterShape: [3, 3, 16, 32], strides: [1, 1], pad: "valid" },
      { xShape: [2, 7, 8, 4], filterShape: [3, 3, 4, 4], strides: [1, 1], pad: "same" },
      { xShape: [2, 11, 10, 8], filterShape: [5, 3, 8, 20], strides: [2, 3], pad: "same" },
      { xShape: [1, 10, 9, 12], filterShape: [2, 4, 12, 8], strides: [3, 2], pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
      { xShape: [2, 9, 9, 20], filterShape: [1, 1, 20, 12], strides: [2, 2], pad: "valid" },
      { xShape: [1, 8, 8, 4], filterShape: [4, 4, 4, 36], strides: [3, 1], pad: 1 },
      { xShape: [2, 6, 5, 68], filterShape: [2, 3, 68, 8], strides: [1, 2], pad: "same" },
    ];
    for (const geometry of cases) {
      const { xShape, filterShape, strides, pad } = geometry;
      it(`matches cpu: x ${xShape} filter ${filterShape} strides ${strides} pad ${JSON.stringify(pad)}`, async () => {
        const random = seededRandom(xShape[3] * 13 + filterShape[3]);
        const dyShape = outputShape(xShape, filterShape, strides, [1, 1], pad, false);
        const x = uniform(random, tf.util.sizeFromShape(xShape));
        const dy = uniform(random, tf.util.sizeFromShape(dyShape));
        const dW = filterGradient(geometry, x, dy, dyShape);
        const ours = await on(backend, dW);
        expectClose(ours, await on("cpu", dW), "dW");
        expect(await on(backend, dW), "dW again, bit for bit").toEqual(ours);
        const filter = uniform(random, tf.util.sizeFromShape(filterShape));
        const dx = inputGradient(geometry, dy, dyShape, filter);
        expectClose(await on(backend, dx), await on("cpu", dx), "dx");
      });
    }
  });

  describe(`FusedConv2D of few input channels (wasm's SIMD patch product) on ${backend}`, () => {
    const cases: Array<ConvGeometry & { dilations: Pair; bias: boolean; activation: "linear" | "relu" }> = [
      // Odd output widths: the last pixel of each row is summed alone.
      { xShape: [3, 12, 11, 1], filterShape: [3, 3, 1, 16], strides: [1, 1], dilations: [1, 1], pad: "valid", bias: true, activation: "relu" },
      { xShape: [2, 9, 11, 3], filterShape: [5, 3, 3, 8], strides: [2, 1], dilations: [1, 1], pad: "same", bias: false, activation: "linear" },
      { xShape: [2, 10, 9, 2], filterShape: [3, 2, 2, 20], strides: [1, 1], dilations: [2, 3], pad: "same", bias: true, activation: "linear" },
      { xShape: [1, 9, 10, 4], filterShape: [2, 4, 4, 4], strides: [3, 2], dilations: [1, 1], pad: [[0, 0], [2, 0], [1, 3], [0, 0]], bias: true, activation: "relu" },
      { xShape: [2, 7, 8, 1], filterShape: [1, 1, 1, 36], strides: [2, 2], dilations: [1, 1], pad: 1, bias: false, activation: "relu" },
      // Not taken by the SIMD kernel (output channels not in fours, five input channels): the backend's own.
      { xShape: [2, 8, 8, 2], filterShape: [3, 3, 2, 6], strides: [1, 1], dilations: [1, 1], pad: "valid", bias: true, activation: "relu" },
      { xShape: [2, 8, 8, 5], filterShape: [3, 3, 5, 8], strides: [1, 1], dilations: [1, 1], pad: "same", bias: true, activation: "relu" },
    ];
    for (const { xShape, filterShape, strides, dilations, pad, bias, activation } of cases) {
      it(`matches cpu: x ${xShape} filter ${filterShape} strides ${strides} dilations ${dilations} pad ${JSON.stringify(pad)} bias ${bias} ${activation}`, async () => {
        const random = seededRandom(xShape[1] * 17 + filterShape[3]);
        const x = uniform(random, tf.util.sizeFromShape(xShape));
        const filter = uniform(random, tf.util.sizeFromShape(filterShape));
        const biasValues = uniform(random, filterShape[3]);
        const convolved = () =>
          runKernel(
            "FusedConv2D",
            { x: tf.tensor4d(x, xShape), filter: tf.tensor4d(filter, filterShape), ...(bias ? { bias: tf.tensor1d(biasValues) } : {}) },
            { strides, pad, dataFormat: "NHWC", dilations, activation },
          );
        expectClose(await on(backend, convolved), await on("cpu", convolved), "y");
      });
    }
  });

  describe(`Conv2DBackpropFilter and Conv2DBackpropInput of a first layer (1–3 input channels) on ${backend}`, () => {
    const cases: ConvGeometry[] = [
      { xShape: [5, 14, 14, 1], filterShape: [3, 3, 1, 8], strides: [1, 1], pad: "valid" },
      { xShape: [3, 13, 11, 3], filterShape: [5, 5, 3, 4], strides: [2, 2], pad: "same" },
      { xShape: [2, 9, 10, 2], filterShape: [3, 2, 2, 3], strides: [2, 3], pad: [[0, 0], [2, 0], [1, 2], [0, 0]] },
      { xShape: [2, 8, 8, 1], filterShape: [4, 4, 1, 2], strides: [3, 1], pad: 1 },
    ];
    for (const geometry of cases) {
      const { xShape, filterShape, strides, pad } = geometry;
      it(`matches cpu: x ${xShape} filter ${filterShape} strides ${strides} pad ${JSON.stringify(pad)}`, async () => {
        const random = seededRandom(xShape[1] * 7 + filterShape[3]);
        const dyShape = outputShape(xShape, filterShape, strides, [1, 1], pad, false);
        const x = uniform(random, tf.util.sizeFromShape(xShape));
        const dy = uniform(random, tf.util.sizeFromShape(dyShape));
        const dW = filterGradient(geometry, x, dy, dyShape);
        expectClose(await on(backend, dW), await on("cpu", dW), "dW");
        const filter = uniform(random, tf.util.sizeFromShape(filterShape));
        const dx = inputGradient(geometry, dy, dyShape, filter);
        expectClose(await on(backend, dx), await on("cpu", dx), "dx");
      });
    }

    it("are the derivatives of the convolution: central differences of Σ r·conv(x, W) along a direction", async () => {
      const random = seededRandom(12);
      const x = tf.tensor4d(uniform(random, 3 * 10 * 10), [3, 10, 10, 1]);
      const filter = tf.tensor4d(uniform(random, 9 * 4), [3, 3, 1, 4]);
      const direction = tf.tensor4d(uniform(random, 9 * 4), [3, 3, 1, 4]);
      const weights = tf.tensor4d(uniform(random, 3 * 8 * 8 * 4), [3, 8, 8, 4]);
      await tf.setBackend(backend);
      const objective = (w: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, 1, "valid"), weights)) as tf.Scalar;
      const gradient = tf.grad(objective)(filter);
      const along = (await tf.sum(tf.mul(gradient, direction)).data())[0]!;
      const step = 1e-2;
      const [up, down] = await Promise.all([tf.add(filter, tf.mul(direction, step)), tf.sub(filter, tf.mul(direction, step))].map((w) => objective(w).data()));
      // The objective is linear in W, so the difference quotient is exact up to float32 rounding.
      expect(along).toBeCloseTo((up![0]! - down![0]!) / (2 * step), 1);

      const imageDirection = tf.tensor4d(uniform(random, 3 * 10 * 10), [3, 10, 10, 1]);
      const ofImage = (images: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(images as tf.Tensor4D, filter, 1, "valid"), weights)) as tf.Scalar;
      const alongImage = (await tf.sum(tf.mul(tf.grad(ofImage)(x), imageDirection)).data())[0]!;
      const [right, left] = await Promise.all([tf.add(x, tf.mul(imageDirection, step)), tf.sub(x, tf.mul(imageDirection, step))].map((images) => ofImage(images).data()));
      expect(alongImage).toBeCloseTo((right![0]! - left![0]!) / (2 * step), 1);
    });
  });

  describe(`Conv2DBackpropInput on ${backend}`, () => {
    for (const geometry of convCases(11, 16, false)) {
      const { label, xShape, filterShape, strides, pad } = geometry;
      it(`matches cpu: ${label}`, async () => {
        const random = seededRandom(111);
        const dyShape = outputShape(xShape, filterShape, strides, [1, 1], pad, false);
        const filter = uniform(random, tf.util.sizeFromShape(filterShape));
        const dy = uniform(random, tf.util.sizeFromShape(dyShape));
        const gradient = inputGradient(geometry, dy, dyShape, filter);
        expectClose(await on(backend, gradient), await on("cpu", gradient), "dx");
      });
    }
  });

  describe(`DepthwiseConv2dNativeBackpropFilter on ${backend}`, () => {
    for (const { label, xShape, filterShape, strides, dilations, pad } of convCases(2, 16, true)) {
      it(`matches cpu: ${label}`, async () => {
        const random = seededRandom(202);
        const dyShape = outputShape(xShape, filterShape, strides, dilations, pad, true);
        const x = uniform(random, tf.util.sizeFromShape(xShape));
        const dy = uniform(random, tf.util.sizeFromShape(dyShape));
        const inputs = () => ({ x: tf.tensor4d(x, xShape), dy: tf.tensor4d(dy, dyShape) });
        const actual = await on(backend, () =>
          runKernel("DepthwiseConv2dNativeBackpropFilter", inputs(), { strides, dilations, pad, filterShape }),
        );
        const expected = await on("cpu", () => {
          const spread = runKernel("DepthwiseConv2dNativeBackpropFilter", inputs(), {
            strides,
            dilations: [1, 1],
            pad,
            filterShape: dilatedFilterShape(filterShape, dilations),
          }) as tf.Tensor4D;
          return gatherTaps(spread, dilations, filterShape);
        });
        expectClose(actual, expected, "dW");
      });
    }
  });

  describe(`DepthwiseConv2dNativeBackpropInput on ${backend}`, () => {
    for (const { label, xShape, filterShape, strides, dilations, pad } of convCases(3, 16, true)) {
      it(`matches cpu: ${label}`, async () => {
        const random = seededRandom(303);
        const dyShape = outputShape(xShape, filterShape, strides, dilations, pad, true);
        const filter = uniform(random, tf.util.sizeFromShape(filterShape));
        const dy = uniform(random, tf.util.sizeFromShape(dyShape));
        const actual = await on(backend, () =>
          runKernel(
            "DepthwiseConv2dNativeBackpropInput",
            { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(filter, filterShape) },
            { strides, dilations, pad, inputShape: xShape },
          ),
        );
        const expected = await on("cpu", () =>
          runKernel(
            "DepthwiseConv2dNativeBackpropInput",
            { dy: tf.tensor4d(dy, dyShape), filter: spreadTaps(tf.tensor4d(filter, filterShape), dilations) },
            { strides, dilations: [1, 1], pad, inputShape: xShape },
          ),
        );
        expectClose(actual, expected, "dx");
      });
    }
  });

  describe(`MaxPoolGrad on ${backend}`, () => {
    it("gives a window whose values are all negative gradient 1 at its max, as cpu does", async () => {
      const x = [1, 2, -3, -4, 5, 6, -7, -8, 1, 2, -3, -1, 3, 4, -2, -5];
      const pooledSum = (input: tf.Tensor) => tf.maxPool(input as tf.Tensor4D, 2, 2, "valid").sum();
      const gradient = () => tf.grad(pooledSum)(tf.tensor4d(x, [1, 4, 4, 1]));
      const expected = [0, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0];
      expect([...(await on("cpu", gradient))]).toEqual(expected);
      expect([...(await on(backend, gradient))]).toEqual(expected);
    });

    it("sends each 2×2 window's gradient to its first maximum, skipping NaN and -Infinity, as cpu does", async () => {
      // Channels in fours take wasm's SIMD kernel, odd sides leaving a row or column no window covers.
      const shapes = [[[2, 8, 8, 3], "valid"], [[2, 7, 9, 2], "valid"], [[1, 6, 6, 4], "same"], [[1, 5, 5, 1], "same"], [[3, 7, 6, 8], "valid"], [[2, 6, 9, 16], "valid"], [[1, 5, 5, 12], "same"]] as const;
      for (const [xShape, pad] of shapes) {
        const values = seededRandom(xShape[1] * 10 + xShape[3]);
        const special = [Number.NaN, Number.NEGATIVE_INFINITY, 0, 0, 1];
        const x = Float32Array.from({ length: tf.util.sizeFromShape([...xShape]) }, () =>
          values() < 0.2 ? pick(values, special) : between(values, -3, 2),
        );
        const outShape = tf.backend_util.computePool2DInfo([...xShape], [2, 2], [2, 2], 1, pad).outShape;
        const dy = uniform(values, tf.util.sizeFromShape(outShape));
        const output = await on("cpu", () => tf.maxPool(tf.tensor4d(x, [...xShape]), 2, 2, pad));
        const gradient = () =>
          runKernel(
            "MaxPoolGrad",
            { dy: tf.tensor4d(dy, outShape), input: tf.tensor4d(x, [...xShape]), output: tf.tensor4d(output, outShape) },
            { filterSize: [2, 2], strides: [2, 2], pad },
          );
        expectClose(await on(backend, gradient), await on("cpu", gradient), `dx of x ${xShape} pad ${pad}`);
      }
    });

    it("is the derivative of 2×2 max pooling (8 channels): central differences of Σ r·maxPool(x) along a direction", async () => {
      const random = seededRandom(44);
      const x = tf.tensor4d(uniform(random, 2 * 6 * 7 * 8), [2, 6, 7, 8]);
      const weights = tf.tensor4d(uniform(random, 2 * 3 * 3 * 8), [2, 3, 3, 8]);
      const direction = tf.tensor4d(uniform(random, 2 * 6 * 7 * 8), [2, 6, 7, 8]);
      await tf.setBackend(backend);
      const objective = (input: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(input as tf.Tensor4D, 2, 2, "valid"), weights)) as tf.Scalar;
      const along = (await tf.sum(tf.mul(tf.grad(objective)(x), direction)).data())[0]!;
      // Small enough that no window's maximum changes place: the objective is linear there.
      const step = 1e-3;
      const [up, down] = await Promise.all([tf.add(x, tf.mul(direction, step)), tf.sub(x, tf.mul(direction, step))].map((input) => objective(input).data()));
      expect(along).toBeCloseTo((up![0]! - down![0]!) / (2 * step), 2);
    });

    const random = seededRandom(4);
    const cases = Array.from({ length: 16 }, () => {
      const xShape: Shape4 = [
        between(random, 1, 3),
        between(random, 4, 11),
        between(random, 4, 11),
        between(random, 1, 4),
      ];
      const filterSize: Pair = [between(random, 1, 4), between(random, 1, 4)];
      const strides: Pair = [between(random, 1, 3), between(random, 1, 3)];
      const pad = pick(random, ["same", "valid", 0, 1, 2] as const);
      const dimRoundingMode = typeof pad === "number" ? pick(random, ["floor", "ceil", "round"] as const) : undefined;
      const label = `x ${xShape} window ${filterSize} strides ${strides} pad ${pad} rounding ${dimRoundingMode}`;
      return { label, xShape, filterSize, strides, pad, dimRoundingMode };
    });

    for (const { label, xShape, filterSize, strides, pad, dimRoundingMode } of cases) {
      it(`matches cpu, ties included: ${label}`, async () => {
        const values = seededRandom(404);
        // Few distinct values, most of them negative: many windows tie or lie below 0.
        const x = Float32Array.from({ length: tf.util.sizeFromShape(xShape) }, () => between(values, -4, 1));
        const outShape = tf.backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad, dimRoundingMode).outShape;
        const dy = uniform(values, tf.util.sizeFromShape(outShape));
        // The forward pass comes from cpu: wasm's MaxPool is wrong with a
        // rounding mode and corrupts its heap when a window lies wholly in the
        // padding (catalog layers use neither). The kernels ignore its values.
        const output = await on("cpu", () => tf.maxPool(tf.tensor4d(x, xShape), filterSize, strides, pad, dimRoundingMode));
        const gradient = () =>
          runKernel(
            "MaxPoolGrad",
            { dy: tf.tensor4d(dy, outShape), input: tf.tensor4d(x, xShape), output: tf.tensor4d(output, outShape) },
            { filterSize, strides, pad, dimRoundingMode },
          );
        expectClose(await on(backend, gradient), await on("cpu", gradient), "dx");
      });
    }
  });

  describe(`UnsortedSegmentSum on ${backend}`, () => {
    const random = seededRandom(5);
    const cases = Array.from({ length: 10 }, (_, index) => {
      // tfjs documents 1-D ids (all that gather's gradient passes); its `cpu`
      // kernel gives other shapes than TensorFlow for higher ranks.
      const idsShape = [between(random, 1, 30)];
      const rowShape = Array.from({ length: between(random, 0, 2) }, () => between(random, 1, 4));
      const numSegments = between(random, 1, 12);
      const dtype = index % 3 === 0 ? ("int32" as const) : ("float32" as const);
      const label = `ids ${idsShape} rows ${rowShape} segments ${numSegments} ${dtype}`;
      return { label, idsShape, rowShape, numSegments, dtype };
    });

    for (const { label, idsShape, rowShape, numSegments, dtype } of cases) {
      it(`matches cpu, out-of-range ids dropped: ${label}`, async () => {
        const values = seededRandom(505);
        const ids = Int32Array.from({ length: tf.util.sizeFromShape(idsShape) }, () => between(values, -1, numSegments));
        const xShape = [...idsShape, ...rowShape];
        const size = tf.util.sizeFromShape(xShape);
        const x = dtype === "int32" ? Int32Array.from({ length: size }, () => between(values, -9, 9)) : uniform(values, size);
        const sum = () => tf.unsortedSegmentSum(tf.tensor(x, xShape, dtype), tf.tensor1d(ids, "int32"), numSegments);
        expectClose(await on(backend, sum), await on("cpu", sum), "sums");
      });
    }
  });

  describe(`BatchMatMul on ${backend}`, () => {
    // Shapes either side of the kernel's choice between the two layouts, and
    // its fallbacks: batched products, and rank-3 operands of batch 1. The
    // SIMD product's tiles of 4 rows by 8 columns, with rows and a block of
    // 4 columns left over, and a product over an empty depth; and one with
    // more rows than columns, which the SIMD product takes row by row.
    const shapes: Array<{ aShape: number[]; bShape: number[] }> = [
      { aShape: [7, 33], bShape: [33, 20] },
      { aShape: [4, 0], bShape: [0, 8] },
      { aShape: [32, 96], bShape: [96, 64] },
      { aShape: [5, 3], bShape: [3, 7] },
      { aShape: [2, 64], bShape: [64, 48] },
      { aShape: [64, 8], bShape: [8, 200] },
      { aShape: [3, 40], bShape: [40, 2] },
      { aShape: [37, 12], bShape: [12, 8] },
      { aShape: [1, 6, 9], bShape: [1, 9, 4] },
      { aShape: [3, 6, 9], bShape: [3, 9, 4] },
    ];
    const transposedShape = (shape: number[], transpose: boolean) =>
      transpose ? [...shape.slice(0, -2), shape.at(-1)!, shape.at(-2)!] : shape;

    for (const { aShape, bShape } of shapes) {
      for (const [transposeA, transposeB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        it(`matches cpu: a ${aShape} b ${bShape} transposeA ${transposeA} transposeB ${transposeB}`, async () => {
          const random = seededRandom(aShape[0]! * 31 + bShape.at(-1)!);
          const storedA = transposedShape(aShape, transposeA);
          const storedB = transposedShape(bShape, transposeB);
          const a = uniform(random, tf.util.sizeFromShape(storedA));
          const b = uniform(random, tf.util.sizeFromShape(storedB));
          // Twice with the same right operand: the second product may reuse XNNPACK's packing of it.
          const product = () => {
            const right = tf.tensor(b, storedB);
            const first = tf.matMul(tf.tensor(a, storedA), right, transposeA, transposeB);
            return tf.concat([first, tf.matMul(tf.tensor(a, storedA), right, transposeA, transposeB)]);
          };
          const wasm = await on(backend, product);
          expectClose(wasm, await on("cpu", product), "a·b");
          await tf.setBackend(backend);
          expect(tf.matMul(tf.tensor(a, storedA), tf.tensor(b, storedB), transposeA, transposeB).shape).toEqual([
            ...aShape.slice(0, -2),
            aShape.at(-2)!,
            bShape.at(-1)!,
          ]);
        });
      }
    }
  });

  describe(`GatherV2, Sum and Identity on ${backend}`, () => {
    it("gathers rows, and along other axes, as cpu does", async () => {
      const random = seededRandom(9);
      const x = uniform(random, 7 * 3 * 4);
      const rows = [6, 0, 2, 2, 5];
      for (const axis of [0, 1, 2]) {
        const gathered = () => tf.gather(tf.tensor3d(x, [7, 3, 4]), tf.tensor1d(rows.map((r) => r % 3), "int32"), axis);
        expectClose(await on(backend, gathered), await on("cpu", gathered), `gather along axis ${axis}`);
      }
      const longRows = () => tf.gather(tf.tensor2d(x, [2, 42]), tf.tensor1d([1, 0, 1], "int32"));
      expectClose(await on(backend, longRows), await on("cpu", longRows), "gather of rows of 42");
      const table = () => tf.gather(tf.tensor2d(x, [7, 12]), tf.tensor2d(rows, [1, 5], "int32"));
      expectClose(await on(backend, table), await on("cpu", table), "gather with 2-D indices");
      const labels = () => tf.gather(tf.tensor1d([3, 1, 4, 1, 5, 9, 2], "int32"), tf.tensor1d(rows, "int32"));
      expect([...(await on(backend, labels))]).toEqual([2, 3, 4, 4, 9]);
    });

    // reglang's own row gather checks indices on wasm; other backends ship their own GatherV2.
    it.runIf(backend === "wasm")("refuses a row index out of range and keeps no output", async () => {
      await tf.setBackend(backend);
      const x = tf.ones([3, 2]);
      const before = tf.backend().numDataIds();
      expect(() => tf.gather(x, tf.tensor1d([1, 3], "int32"))).toThrow(/index value 3 is not in \[0, 2\]/);
      expect(tf.backend().numDataIds()).toBe(before + 1);
    });

    it("sums leading axes, other axes and all axes as cpu does", async () => {
      const random = seededRandom(10);
      const x = uniform(random, 4 * 5 * 6 * 3);
      for (const [axis, keepDims] of [[[0], false], [[0, 1, 2], false], [[0, 1], true], [[1, 2], false], [[3], true], [undefined, false]] as const) {
        const summed = () => tf.sum(tf.tensor4d(x, [4, 5, 6, 3]), axis as number[] | undefined, keepDims);
        const wasm = await on(backend, summed);
        expectClose(wasm, await on("cpu", summed), `sum over ${axis} keepDims ${keepDims}`);
        await tf.setBackend(backend);
        expect(summed().shape).toEqual(tf.sum(tf.zeros([4, 5, 6, 3]), axis as number[] | undefined, keepDims).shape);
      }
      // Large enough for wasm's product with ones: a conv layer's bias gradient, and a batch of wide rows.
      // Rows in fours (wasm's SIMD column sums): 8, 30,000 and 20 (16 + 4) columns.
      for (const [shape, axis] of [[[16, 26, 26, 8], [0, 1, 2]], [[3, 30000], [0]], [[40, 9, 20], [0, 1]]] as const) {
        const large = uniform(random, tf.util.sizeFromShape([...shape]));
        const summed = () => tf.sum(tf.tensor(large, [...shape]), [...axis]);
        expectClose(await on(backend, summed), await on("cpu", summed), `sum of ${shape} over ${axis}`);
      }
    });

    it("casts to the same type share data yet outlive their source; real casts convert", async () => {
      await tf.setBackend(backend);
      const x = tf.tensor2d([1.5, -2.25, 3, 4.75], [2, 2]);
      const same = tf.cast(x, "float32");
      const whole = tf.cast(x, "int32");
      x.dispose();
      expect([...(await same.data())]).toEqual([1.5, -2.25, 3, 4.75]);
      expect(whole.dtype).toBe("int32");
      expect([...(await whole.data())]).toEqual([1, -2, 3, 4]);
      tf.dispose([same, whole]);
    });

    it("clones share data yet outlive the tensor they copy", async () => {
      await tf.setBackend(backend);
      const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
      const copy = tf.clone(x);
      x.dispose();
      expect([...(await copy.data())]).toEqual([1, 2, 3, 4]);
      copy.dispose();
    });
  });

  describe(`whole-network gradients on ${backend}`, () => {
    /** The gradient of `loss` with respect to each of `parameters` (the input images among them). */
    async function gradients(
      on: string,
      parameters: Record<string, { values: Float32Array; shape: number[] }>,
      loss: (tensors: Record<string, tf.Tensor>) => tf.Scalar,
    ): Promise<Record<string, Float32Array>> {
      await tf.setBackend(on);
      const names = Object.keys(parameters);
      const result: Record<string, Float32Array> = {};
      const grads = tf.tidy(() => {
        const tensors = names.map((name) => tf.tensor(parameters[name]!.values, parameters[name]!.shape));
        return tf.grads((...args: tf.Tensor[]) => loss(Object.fromEntries(names.map((name, i) => [name, args[i]!]))))(tensors);
      });
      for (const [i, name] of names.entries()) result[name] = (await grads[i]!.data()) as Float32Array;
      tf.dispose(grads);
      return result;
    }

    async function expectSameGradients(
      parameters: Record<string, { values: Float32Array; shape: number[] }>,
      loss: (tensors: Record<string, tf.Tensor>) => tf.Scalar,
    ): Promise<void> {
      const tested = await gradients(backend, parameters, loss);
      const cpu = await gradients("cpu", parameters, loss);
      for (const name of Object.keys(parameters)) expectClose(tested[name]!, cpu[name]!, `d loss / d ${name}`);
    }

    function parameter(random: () => number, shape: number[], scale = 1) {
      return { values: uniform(random, tf.util.sizeFromShape(shape)).map((v) => v * scale), shape };
    }

    function oneHotLabels(random: () => number, batch: number, classes: number): tf.Tensor2D {
      const labels = Array.from({ length: batch }, () => between(random, 0, classes - 1));
      return tf.oneHot(tf.tensor1d(labels, "int32"), classes) as tf.Tensor2D;
    }

    it("conv → relu → maxpool → dense cross-entropy", async () => {
      const random = seededRandom(6);
      const labelSeed = between(random, 0, 1e6);
      await expectSameGradients(
        {
          images: parameter(random, [4, 10, 10, 2]),
          kernel: parameter(random, [3, 3, 2, 5], 0.5),
          bias: parameter(random, [5], 0.1),
          dense: parameter(random, [4 * 4 * 5, 3], 0.3),
        },
        ({ images, kernel, bias, dense }) => {
          const convolved = tf.conv2d(images as tf.Tensor4D, kernel as tf.Tensor4D, 1, "valid");
          const features = tf.relu(convolved.add(bias!)) as tf.Tensor4D;
          const pooled = tf.maxPool(features, 2, 2, "valid").reshape([4, 4 * 4 * 5]);
          const logits = tf.matMul(pooled as tf.Tensor2D, dense as tf.Tensor2D);
          return tf.losses.softmaxCrossEntropy(oneHotLabels(seededRandom(labelSeed), 4, 3), logits) as tf.Scalar;
        },
      );
    });

    it("strided 'same' conv → depthwise conv → maxpool 'same'", async () => {
      const random = seededRandom(7);
      await expectSameGradients(
        {
          images: parameter(random, [3, 9, 9, 3]),
          kernel: parameter(random, [3, 3, 3, 4], 0.5),
          depthwise: parameter(random, [3, 3, 4, 2], 0.5),
        },
        ({ images, kernel, depthwise }) => {
          const features = tf.relu(tf.conv2d(images as tf.Tensor4D, kernel as tf.Tensor4D, 2, "same")) as tf.Tensor4D;
          const mixed = tf.depthwiseConv2d(features, depthwise as tf.Tensor4D, 1, "same");
          return tf.maxPool(mixed, 3, 2, "same").square().sum() as tf.Scalar;
        },
      );
    });

    it("embedding lookup → mean → dense", async () => {
      const random = seededRandom(8);
      const ids = Array.from({ length: 5 * 7 }, () => between(random, 0, 19));
      await expectSameGradients(
        { table: parameter(random, [20, 6]), dense: parameter(random, [6, 2]) },
        ({ table, dense }) => {
          const embedded = tf.gather(table!, tf.tensor2d(ids, [5, 7], "int32")).mean(1) as tf.Tensor2D;
          return tf.matMul(embedded, dense as tf.Tensor2D).square().mean() as tf.Scalar;
        },
      );
    });
  });

  describe(`${backend} gradient kernels and memory`, () => {
    it("leave no intermediate tensors behind", async () => {
      await tf.setBackend(backend);
      const active = tf.backend();
      const before = active.numDataIds();
      tf.tidy(() => {
        const x = tf.randomUniform([2, 9, 9, 3]) as tf.Tensor4D;
        tf.grads((input: tf.Tensor, kernel: tf.Tensor, depthwise: tf.Tensor) => {
          const features = tf.conv2d(input as tf.Tensor4D, kernel as tf.Tensor4D, 2, "valid");
          return tf.maxPool(tf.depthwiseConv2d(features, depthwise as tf.Tensor4D, 2, "valid"), 2, 1, "same").sum();
        })([x, tf.randomUniform([3, 3, 3, 4]), tf.randomUniform([2, 2, 4, 2])]);
        tf.grad((table: tf.Tensor) => tf.gather(table, tf.tensor1d([0, 2, 2], "int32")).sum())(tf.ones([3, 2]));
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, true, false).sum())([tf.ones([5, 3]), tf.ones([5, 4])]);
        tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, false, true).sum())([tf.ones([30, 3]), tf.ones([4, 3])]);
      });
      expect(active.numDataIds()).toBe(before);
    });
  });
}
