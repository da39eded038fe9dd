import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { MAX_NORM } from "../../src/runtime/backend/wasm-kernels/max-norm.js";
import type { Dataset } from "../../src/runtime/data/dataset.js";
import { dense } from "../../src/runtime/model/layers/index.js";
import { Model } from "../../src/runtime/model/model.js";
import { maxnorm } from "../../src/runtime/techniques/maxnorm.js";
import { norms } from "../../src/runtime/techniques/projection.js";
import { expectIdentical } from "../support/identical-values.js";

/** The max-norm projection as tfjs's ops compose it, on the active backend. */
function composed(w: tf.Tensor, c: number, axes: number[]): tf.Tensor {
  return tf.mul(w, tf.minimum(1, tf.div(c, tf.maximum(norms(w, axes), 1e-12))));
}

function fused(w: tf.Tensor, c: number, leadingAxes: number): tf.Tensor {
  return tf.engine().runKernel(MAX_NORM, { x: w }, { maxNorm: c, leadingAxes }) as tf.Tensor;
}

describe("the max-norm projection in one kernel", () => {
  it("is the composite's numbers bit for bit, with columns shrunk and with none, on one thread and two", async () => {
    for (const threads of [1, 2]) {
      await selectBackend("wasm", threads);
      const cases = [
        { shape: [784, 512], axes: [0] },
        { shape: [3, 3, 16, 32], axes: [0, 1, 2] },
        { shape: [30, 6], axes: [0] },
      ];
      cases.forEach(({ shape, axes }, i) => {
        tf.tidy(() => {
          const w = tf.randomNormal(shape, 0, 0.2, "float32", i + 1);
          const typical = tf.sqrt(tf.mean(norms(w, axes))).dataSync()[0]! ** 2;
          // Below, about and above the columns' typical norm: most, some and none shrunk.
          for (const c of [typical / 2, typical, typical * 10]) {
            expectIdentical(fused(w, c, axes.length).dataSync() as Float32Array, composed(w, c, axes).dataSync() as Float32Array, `${shape}, c = ${c}`);
          }
        });
      });
    }
  });

  it("scales a column of norm 5 to norm 2 and keeps one of norm 1, by hand", async () => {
    await selectBackend("wasm", 1);
    const w = tf.tensor2d([
      [3, 0],
      [4, 1],
    ]);
    expect(Array.from(fused(w, 2, 1).dataSync())).toEqual([3 * 0.4, 0, 4 * 0.4, 1].map(Math.fround));
  });

  it("shares the weight's data where no column is too long, and the projected variable stays readable", async () => {
    await selectBackend("wasm", 1);
    const w = tf.variable(
      tf.tensor2d([
        [0.3, 0],
        [0.4, 0.1],
      ]),
    );
    const projected = fused(w, 1, 1);
    expect(projected.dataId).toBe(w.dataId);
    tf.tidy(() => w.assign(projected as tf.Tensor2D));
    projected.dispose();
    expect(Array.from(w.dataSync())).toEqual([0.3, 0, 0.4, 0.1].map(Math.fround));
  });

  it("keeps every column of a layer within c after each step, as the technique runs it on wasm", async () => {
    await selectBackend("wasm", 1);
    const built = new Model("t", [64], [dense(8, { name: "out" })], 1);
    const kernel = built.params.get("out.kernel")!;
    const technique = maxnorm(1.5, { on: ["out.kernel"] });
    technique.attach?.({ model: built, tasks: [], data: {} as Dataset });
    for (let step = 1; step <= 3; step++) {
      // A step that leaves the set: columns of norm about 24.
      tf.tidy(() => kernel.assign(tf.randomNormal([64, 8], 0, 3, "float32", step)));
      technique.afterStep!(built, { epoch: 1, step, epochs: 1, seed: 1, learningRate: 0.1 });
      const columnNorms = tf.tidy(() => norms(kernel, [0]).dataSync());
      columnNorms.forEach((norm) => expect(norm).toBeCloseTo(1.5, 5));
    }
    built.dispose();
  });
});
