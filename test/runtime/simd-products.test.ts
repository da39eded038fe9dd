import * as tf from "@tensorflow/tfjs";
import { describe, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { threadPoolsOf } from "../../src/runtime/backend/thread-pools.js";
import { expectIdentical } from "../support/identical-values.js";
import { activeKernelWorkers, untilWorkersHelp } from "../support/worker-help.js";

// A dense layer's backward pass multiplies transposed operands: xᵀ·dy for
// its kernel's gradient and dy·Wᵀ for its input's. On the threaded wasm
// build, where such a product is split between threads, the SIMD product
// takes it (reading a transposed A through its strides, and a transposed B
// transposed first or the product taken the other way round); XNNPACK
// takes it on one thread, and takes any product whose right operand it has
// packed before. Both sum each element over the depth in order, so they
// must agree bit for bit.

/** [rows, columns] seeded values in [-1, 1). */
function matrix(rows: number, columns: number, seed: number): tf.Tensor2D {
  return tf.randomUniform([rows, columns], -1, 1, "float32", seed) as tf.Tensor2D;
}

/** left·right by XNNPACK: the second product with the same right operand, which it packed for the first. */
function byXnnpack(left: tf.Tensor2D, right: tf.Tensor2D): Float32Array {
  tf.matMul(left, right).dispose();
  return tf.matMul(left, right).dataSync() as Float32Array;
}

/** A fresh copy: a right operand no product has seen, as a training step's are. */
function fresh(tensor: tf.Tensor2D): tf.Tensor2D {
  return tf.add(tensor, 0);
}

const denseLayers = [
  // Example A's first and second layers at batch 32, and a layer too small to split.
  { batch: 32, inputs: 784, units: 512 },
  { batch: 32, inputs: 512, units: 512 },
  { batch: 12, inputs: 37, units: 20 },
];

describe("a dense layer's backward products on wasm", () => {
  for (const threads of [1, 2]) {
    for (const { batch, inputs, units } of denseLayers) {
      it(`equal XNNPACK's bit for bit on ${threads} thread(s): x ${batch}×${inputs}, W ${inputs}×${units}`, async () => {
        await selectBackend("wasm", threads);
        tf.tidy(() => {
          const x = matrix(batch, inputs, 1);
          const dy = matrix(batch, units, 2);
          const kernel = matrix(inputs, units, 3);
          const weightGradient = byXnnpack(tf.transpose(x), dy);
          expectIdentical(tf.matMul(x, fresh(dy), true, false).dataSync(), weightGradient, "xᵀ·dy");
          expectIdentical(tf.matMul(fresh(dy), fresh(kernel), false, true).dataSync(), byXnnpack(dy, tf.transpose(kernel)), "dy·Wᵀ");
          // The same sums, the other way round (multiplication commutes).
          const transposedGradient = tf.transpose(tf.tensor2d(weightGradient, [inputs, units])).dataSync();
          expectIdentical(tf.matMul(dy, fresh(x), true, false).dataSync(), transposedGradient, "dyᵀ·x");
        });
      });
    }
  }

  it("are XNNPACK's bit for bit in every layout the SIMD product takes, rows or columns over", async () => {
    await selectBackend("wasm", 2);
    const workers = activeKernelWorkers();
    // [m, k, n] and which operands are stored transposed. A transposed B is transposed first where m is not in
    // fours, and the product taken the other way round where n is not, or where that moves fewer values.
    const layouts: Array<[number, number, number, boolean, boolean]> = [
      [30, 300, 256, true, false],
      [30, 300, 256, false, true],
      [30, 300, 256, true, true],
      [32, 300, 254, false, true],
      [32, 300, 254, true, true],
      [64, 300, 256, false, true],
    ];
    for (const [m, k, n, transposeA, transposeB] of layouts) {
      // Each layout must be the SIMD product's, split: only it gives the workers chunks.
      await untilWorkersHelp(workers, () =>
        tf.tidy(() => {
          const a = matrix(m, k, m + n);
          const b = matrix(k, n, k + n);
          const storedA = transposeA ? tf.transpose(a) : a;
          const storedB = transposeB ? tf.transpose(b) : b;
          const what = `[${m}, ${k}, ${n}] transposeA ${transposeA} transposeB ${transposeB}`;
          expectIdentical(tf.matMul(storedA, fresh(storedB), transposeA, transposeB).dataSync(), byXnnpack(a, b), what);
        }),
      );
    }
  });

  it("are split between threads where they are large, with the same numbers as on one", async () => {
    await selectBackend("wasm", 2);
    const pools = threadPoolsOf(tf.backend())!;
    const x = matrix(32, 784, 4);
    const dy = matrix(32, 512, 5);
    const kernel = matrix(784, 512, 6);
    const products = () => tf.tidy(() => tf.concat([tf.matMul(x, fresh(dy), true, false).flatten(), tf.matMul(fresh(dy), fresh(kernel), false, true).flatten()]).dataSync());
    pools.use(1);
    const alone = products();
    pools.use(2);
    const workers = activeKernelWorkers();
    await untilWorkersHelp(workers, () => expectIdentical(products(), alone, "split"));
  });
});
