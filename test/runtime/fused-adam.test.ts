import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { ADAM_UPDATE } from "../../src/runtime/backend/wasm-kernels/adam-update.js";
import { FusedAdamOptimizer } from "../../src/runtime/train/fused-adam.js";
import { expectIdentical } from "../support/identical-values.js";
import { expectTfjsUpdates, seededValues, trajectory } from "../support/optimizer-comparison.js";

describe("Adam in one kernel", () => {
  // Sizes in fours and not (the last values in JavaScript), and one large enough to be split between threads.
  const sizes = [3, 10, 64, 70_001];

  for (const threads of [1, 2]) {
    it(`gives tfjs's AdamOptimizer's numbers bit for bit on wasm, ${threads} thread(s), and the same state under the same names`, async () => {
      await selectBackend("wasm", threads);
      await expectTfjsUpdates(threads, () => [new FusedAdamOptimizer(0.1, 0.8, 0.95, 1e-6), tf.train.adam(0.1, 0.8, 0.95, 1e-6)], (optimizer, prefix) => trajectory(optimizer, sizes, `adam-${prefix}`));
    });
  }

  it("is Adam's first step by hand: each weight moves by η against its gradient's sign", async () => {
    for (const backend of ["wasm", "cpu"]) {
      await selectBackend(backend);
      const w = tf.variable(tf.tensor1d([1, -2, 0.5, 4, 3]), true, `adam-hand-${backend}`);
      const optimizer = new FusedAdamOptimizer(0.25, 0.9, 0.999, 1e-7);
      optimizer.applyGradients([{ name: w.name, tensor: tf.tensor1d([2, -8, 0.5, -1, 4]) }]);
      // m̂ = g and v̂ = g² after one step, so w − η·g/(|g| + ε): ±η to float32 precision.
      const moved = Array.from(w.dataSync());
      [0.75, -1.75, 0.25, 4.25, 2.75].forEach((expected, i) => expect(moved[i]).toBeCloseTo(expected, 5));
      optimizer.dispose();
    }
  });

  it("runs one kernel per variable on wasm, where tfjs runs fourteen operations", async () => {
    await selectBackend("wasm");
    const kernelsOfAStep = async (optimizer: tf.AdamOptimizer, name: string) => {
      tf.variable(tf.ones([40]), true, name);
      const profile = await tf.profile(() => optimizer.applyGradients([{ name, tensor: tf.ones([40]) }]));
      return profile.kernelNames;
    };
    const ours = await kernelsOfAStep(new FusedAdamOptimizer(0.1, 0.9, 0.999, 1e-7), "adam-kernels-ours");
    const theirs = await kernelsOfAStep(tf.train.adam(0.1, 0.9, 0.999, 1e-7), "adam-kernels-tfjs");
    expect(ours.filter((name) => name === ADAM_UPDATE)).toHaveLength(1);
    expect(ours).not.toContain("Sqrt");
    expect(theirs).toContain("Sqrt");
  });

  it("takes tfjs's operations, with their numbers, for a gradient tfjs broadcasts", async () => {
    await selectBackend("wasm");
    const run = (optimizer: tf.AdamOptimizer, prefix: string) => {
      const w = tf.variable(tf.ones([2, 8]), true, prefix);
      for (let step = 0; step < 2; step++) optimizer.applyGradients([{ name: w.name, tensor: tf.tensor2d(seededValues(8, 4 + step), [1, 8]) }]);
      return w.dataSync() as Float32Array;
    };
    expectIdentical(run(new FusedAdamOptimizer(0.1, 0.9, 0.999, 1e-7), "ours-adam-broadcast"), run(tf.train.adam(0.1, 0.9, 0.999, 1e-7), "tfjs-adam-broadcast"));
  });

  it("restores its moments and bias corrections from getWeights, as AdamOptimizer does", async () => {
    await selectBackend("wasm");
    const w = tf.variable(tf.tensor1d(seededValues(9, 1)), true, "adam-restored");
    const first = new FusedAdamOptimizer(0.1, 0.9, 0.999, 1e-7);
    first.applyGradients([{ name: w.name, tensor: tf.tensor1d(seededValues(9, 2)) }]);
    const saved = await first.getWeights();
    const second = new FusedAdamOptimizer(0.1, 0.9, 0.999, 1e-7);
    await second.setWeights(saved.map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) })));
    const before = w.dataSync().slice();
    first.applyGradients([{ name: w.name, tensor: tf.tensor1d(seededValues(9, 3)) }]);
    const afterFirst = w.dataSync().slice();
    w.assign(tf.tensor1d(before));
    second.applyGradients([{ name: w.name, tensor: tf.tensor1d(seededValues(9, 3)) }]);
    expectIdentical(w.dataSync(), afterFirst);
  });
});
