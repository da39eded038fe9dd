import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { fusedConv2d, type FusableActivation } from "../../src/runtime/model/layers/fused-conv2d.js";
import { seededRandom } from "../support/random.js";

// conv2d layers with no activation or relu run as one FusedConv2D kernel
// whose gradient reglang registers: it must be the gradient of the unfused
// ops, and compute only what the tape asks for.

function uniform(random: () => number, shape: number[]): tf.Tensor {
  return tf.tensor(Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => random() * 2 - 1), shape);
}

function unfused(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor, strides: [number, number], pad: "valid" | "same", activation: FusableActivation): tf.Tensor {
  const y = tf.add(tf.conv2d(x, filter, strides, pad), bias);
  return activation === "relu" ? tf.relu(y) : y;
}

describe.each(["cpu", "wasm"] as const)("fused conv2d on %s", (backend) => {
  beforeAll(async () => {
    await selectBackend(backend);
  });
  afterAll(async () => {
    await selectBackend("cpu");
  });

  const cases = [
    { strides: [1, 1], pad: "valid", activation: "relu", xShape: [3, 9, 8, 2], filterShape: [3, 3, 2, 4] },
    { strides: [2, 1], pad: "same", activation: "relu", xShape: [2, 7, 7, 1], filterShape: [2, 3, 1, 3] },
    { strides: [2, 2], pad: "same", activation: "none", xShape: [2, 6, 5, 3], filterShape: [3, 3, 3, 2] },
  ] as const;

  for (const { strides, pad, activation, xShape, filterShape } of cases) {
    it(`gives the unfused ops' output and gradients: x ${xShape} filter ${filterShape} strides ${strides} ${pad} ${activation}`, async () => {
      const random = seededRandom(xShape[1] * 13 + filterShape[3]);
      const x = uniform(random, [...xShape]) as tf.Tensor4D;
      const filter = uniform(random, [...filterShape]) as tf.Tensor4D;
      const bias = uniform(random, [filterShape[3]]);
      const mix = uniform(random, unfused(x, filter, bias, [...strides], pad, activation).shape);
      const objective = (op: typeof unfused) => (a: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(op(a as tf.Tensor4D, w as tf.Tensor4D, b, [...strides], pad, activation), mix)) as tf.Scalar;
      const fused = tf.grads(objective(fusedConv2d))([x, filter, bias]);
      const reference = tf.grads(objective(unfused))([x, filter, bias]);
      const output = fusedConv2d(x, filter, bias, [...strides], pad, activation);
      const expected = unfused(x, filter, bias, [...strides], pad, activation);
      for (const [actual, wanted, what] of [[output, expected, "y"], ...fused.map((g, i) => [g, reference[i]!, ["dx", "dW", "db"][i]!] as const)] as const) {
        const values = await actual.data();
        const reference = await wanted.data();
        expect(actual.shape, what).toEqual(wanted.shape);
        values.forEach((v, i) => expect(v, `${what}[${i}]`).toBeCloseTo(reference[i]!, 4));
      }
    });
  }

  it("has the derivative central differences give, along a random direction of the filter", async () => {
    const random = seededRandom(21);
    const x = uniform(random, [2, 6, 6, 2]) as tf.Tensor4D;
    const filter = uniform(random, [3, 3, 2, 3]) as tf.Tensor4D;
    const bias = uniform(random, [3]);
    const direction = uniform(random, [3, 3, 2, 3]);
    const mix = uniform(random, [2, 4, 4, 3]);
    const objective = (w: tf.Tensor) => tf.sum(tf.mul(fusedConv2d(x, w as tf.Tensor4D, bias, [1, 1], "valid", "none"), mix)) as tf.Scalar;
    const along = (await tf.sum(tf.mul(tf.grad(objective)(filter), direction)).data())[0]!;
    const step = 1e-2;
    const up = (await objective(tf.add(filter, tf.mul(direction, step))).data())[0]!;
    const down = (await objective(tf.sub(filter, tf.mul(direction, step))).data())[0]!;
    // Linear in the filter: the quotient is exact up to float32 rounding.
    expect(along).toBeCloseTo((up - down) / (2 * step), 2);
  });

  it("computes no input gradient when only the filter's and bias's are asked for, as a first layer's", async () => {
    const random = seededRandom(22);
    const x = uniform(random, [2, 8, 8, 1]) as tf.Tensor4D;
    const bias = uniform(random, [4]);
    const profile = await tf.profile(() => {
      tf.grads((w: tf.Tensor, b: tf.Tensor) => tf.sum(fusedConv2d(x, w as tf.Tensor4D, b, [1, 1], "valid", "relu")) as tf.Scalar)([uniform(random, [3, 3, 1, 4]), bias]);
    });
    const kernels = profile.kernels.map((kernel) => kernel.name);
    expect(kernels).toContain("Conv2DBackpropFilter");
    expect(kernels).not.toContain("Conv2DBackpropInput");
  });
});
