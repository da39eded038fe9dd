import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { threadPoolsOf } from "../../src/runtime/backend/thread-pools.js";
import { sumOfSquares, totalSumOfSquares } from "../../src/runtime/techniques/sum-of-squares.js";
import { expectIdentical } from "../support/identical-values.js";
import { activeKernelWorkers, untilWorkersHelp } from "../support/worker-help.js";

/** `sumOfSquares` and the square-and-sum it replaces, on the active backend, for seeded values. */
function bothWays(shape: number[], axes: number[], seed: number): { ours: Float32Array; theirs: Float32Array; shape: number[] } {
  return tf.tidy(() => {
    const w = tf.randomUniform(shape, -2, 2, "float32", seed);
    const ours = sumOfSquares(w, axes);
    return { ours: ours.dataSync() as Float32Array, theirs: tf.sum(tf.square(w), axes, true).dataSync() as Float32Array, shape: ours.shape };
  });
}

describe("sums of squares in one kernel", () => {
  // A dense kernel (split between threads), a conv filter over its 3 leading axes, a matrix with columns not in fours, a small one.
  const cases: Array<{ shape: number[]; axes: number[] }> = [
    { shape: [784, 512], axes: [0] },
    { shape: [3, 3, 16, 32], axes: [0, 1, 2] },
    { shape: [300, 6], axes: [0] },
    { shape: [4, 8], axes: [0] },
    // Axes that do not lead: a square and a sum, in the kernel's shape.
    { shape: [40, 12], axes: [1] },
  ];

  for (const threads of [1, 2]) {
    it(`give a square and a sum's numbers bit for bit on wasm, ${threads} thread(s)`, async () => {
      await selectBackend("wasm", threads);
      if (threads === 2) expect(threadPoolsOf(tf.backend())?.inUse).toBe(2);
      const check = () =>
        cases.forEach(({ shape, axes }, i) => {
          const { ours, theirs, shape: outShape } = bothWays(shape, axes, i + 1);
          expect(outShape).toEqual(shape.map((size, axis) => (axes.includes(axis) ? 1 : size)));
          expectIdentical(ours, theirs, `${shape} over ${axes}`);
        });
      if (threads === 1) check();
      else await untilWorkersHelp(activeKernelWorkers(), check);
    });
  }

  it("are Σw² by hand, on wasm and cpu, over leading axes and over all", async () => {
    for (const backend of ["wasm", "cpu"]) {
      await selectBackend(backend);
      // 1024 values, columns in fours: the one-pass kernel on wasm.
      const w = tf.tensor2d(Array.from({ length: 1024 }, (_, i) => ((i % 7) - 3) / 2), [256, 4]);
      const byHand = [0, 1, 2, 3].map((column) => {
        let sum = 0;
        for (let row = 0; row < 256; row++) sum += (((row * 4 + column) % 7) - 3) ** 2 / 4;
        return sum;
      });
      expect(Array.from(sumOfSquares(w, [0]).dataSync())).toEqual(byHand);
      expect(totalSumOfSquares(w).dataSync()[0]).toBe(byHand.reduce((a, b) => a + b));
      expect(totalSumOfSquares(tf.tensor1d([3, -4])).dataSync()[0]).toBe(25);
    }
  });

  it("refuse to sum all axes or none as leading ones", async () => {
    await selectBackend("wasm");
    const w = tf.ones([8, 4]);
    expect(() => tf.engine().runKernel("ReglangSquareSums", { x: w }, { leadingAxes: 2 })).toThrow("sums 1 to 1 leading axes, not 2");
    // sumOfSquares itself takes any axes, through a square and a sum where they do not lead.
    expect(Array.from(sumOfSquares(w, [0, 1]).dataSync())).toEqual([32]);
  });
});
