import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { threadPoolsOf } from "../../src/runtime/backend/thread-pools.js";
import { KernelWorkers, kernelWorkersOf } from "../../src/runtime/backend/wasm-kernels/simd/kernel-workers.js";
import { addressOf, memoryOf, simdModule } from "../../src/runtime/backend/wasm-kernels/simd/instances.js";
import { WORKER_SPIN_MS } from "../../src/runtime/backend/wasm-kernels/simd/kernel-worker-script.js";
import { matrixProductFunctions } from "../../src/runtime/backend/wasm-kernels/simd/matrix-product.js";
import { expectIdentical } from "../support/identical-values.js";
import { activeKernelWorkers, untilWorkersHelp } from "../support/worker-help.js";

/** A [rows, columns] matrix of seeded values in [-1, 1). */
function matrix(rows: number, columns: number, seed: number): tf.Tensor2D {
  return tf.randomUniform([rows, columns], -1, 1, "float32", seed) as tf.Tensor2D;
}

/** A·B by the SIMD product through `workers`, in chunks of `chunkColumns` columns. */
function splitProduct(workers: KernelWorkers, a: tf.Tensor2D, b: tf.Tensor2D, chunkColumns: number): Float32Array {
  const backend = tf.backend() as BackendWasm;
  const [m, k] = a.shape;
  const n = b.shape[1];
  const product = tf.zeros([m, n]);
  const { module, functions } = simdModule(backend, "matrixProduct", matrixProductFunctions);
  const rowBytes = n * 4;
  const fixed = [addressOf(backend, a), k * 4, 4, addressOf(backend, b), rowBytes, addressOf(backend, product), rowBytes, m, k];
  try {
    workers.run(module, "matrixProduct", functions["matrixProduct"]!, fixed, rowBytes, chunkColumns * 4);
    return product.dataSync() as Float32Array;
  } finally {
    product.dispose();
  }
}

describe("kernel workers on the threaded wasm backend", () => {
  it("split a fresh product's columns and give one thread's numbers bit for bit", async () => {
    await selectBackend("wasm", 2);
    const pools = threadPoolsOf(tf.backend())!;
    const a = matrix(32, 300, 1);
    // Large enough to be split, with 4 columns left over after the tiles of 8.
    const product = () => tf.tidy(() => tf.matMul(a, tf.add(matrix(300, 516, 2), 0)).dataSync());
    pools.use(1);
    expect(kernelWorkersOf(tf.backend() as BackendWasm)).toBeUndefined();
    const alone = product();
    pools.use(2);
    expect(kernelWorkersOf(tf.backend() as BackendWasm)?.threads).toBe(2);
    await untilWorkersHelp(activeKernelWorkers(), () => expectIdentical(product(), alone, "split product"));
    await selectBackend("cpu");
    const onCpu = tf.tidy(() => tf.matMul(tf.tensor(a.dataSync(), a.shape), matrix(300, 516, 2)).dataSync());
    await selectBackend("wasm", 2);
    expect(worstError(alone, onCpu)).toBeLessThan(1e-4);
  });

  it("compute every chunk, however many, workers taking a share, and the calling thread all of them once the workers are gone", async () => {
    await selectBackend("wasm", 2);
    const workers = new KernelWorkers(memoryOf(tf.backend() as BackendWasm), 3);
    expect(workers.threads).toBe(4);
    const a = matrix(9, 200, 3);
    const b = matrix(200, 400, 4);
    const expected = tf.matMul(a, b).dataSync();
    await untilWorkersHelp(workers, () => splitProduct(workers, a, b, 4));
    for (const chunkColumns of [4, 8, 12, 96, 100, 400]) expectIdentical(splitProduct(workers, a, b, chunkColumns), expected, `chunks of ${chunkColumns} columns`);
    await workers.terminate();
    const taken = workers.workerChunks;
    expectIdentical(splitProduct(workers, a, b, 4), expected, "with the workers gone");
    expect(workers.workerChunks).toBe(taken);
    // An empty range is no job; a chunk size that is not a whole number ≥ 1 is refused.
    expect(() => splitProduct(workers, a, b, 0)).toThrow("chunk size of at least 1");
  });

  it("wake a worker that went to sleep between jobs, so that it helps with the next", async () => {
    await selectBackend("wasm", 2);
    const workers = new KernelWorkers(memoryOf(tf.backend() as BackendWasm), 1);
    // Deep enough that a job outlasts a wake-up, on a busy machine too.
    const a = matrix(8, 2000, 7);
    const b = matrix(2000, 256, 8);
    const expected = tf.matMul(a, b).dataSync();
    // Far longer apart than a worker waits awake: each job finds it asleep, and it helps only if the job wakes it.
    await untilWorkersHelp(workers, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20 * WORKER_SPIN_MS));
      expectIdentical(splitProduct(workers, a, b, 4), expected, "after a sleep");
    });
    await workers.terminate();
  });

  it("report a kernel that fails on a worker, and run the next job as usual", async () => {
    await selectBackend("wasm", 2);
    const backend = tf.backend() as BackendWasm;
    const workers = new KernelWorkers(memoryOf(backend), 1);
    const a = matrix(8, 200, 5);
    const b = matrix(200, 256, 6);
    const expected = tf.matMul(a, b).dataSync();
    await untilWorkersHelp(workers, () => splitProduct(workers, a, b, 4));
    // A function the module does not have fails on the worker only; the calling thread runs the real one.
    const { module, functions } = simdModule(backend, "matrixProduct", matrixProductFunctions);
    const product = tf.zeros([8, 256]);
    const fixed = [addressOf(backend, a), 800, 4, addressOf(backend, b), 1024, addressOf(backend, product), 1024, 8, 200];
    let failed = 0;
    for (let attempt = 0; attempt < 200 && failed === 0; attempt++) {
      try {
        workers.run(module, "noSuchFunction", functions["matrixProduct"]!, fixed, 1024, 16);
      } catch (error) {
        expect(String(error)).toContain("noSuchFunction failed on a worker thread");
        failed++;
      }
    }
    expect(failed).toBe(1);
    product.dispose();
    expectIdentical(splitProduct(workers, a, b, 4), expected, "the next job");
    await workers.terminate();
  });
});

/** The largest difference between `actual` and `expected`, relative where the expected value exceeds 1. */
function worstError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / Math.max(1, Math.abs(expected[i]!)));
  return worst;
}


describe("other SIMD kernels split between threads on the threaded wasm backend", () => {
  /** `kernel` on one thread, then on two (until a worker took part), which must give the same numbers bit for bit; and on cpu, close. */
  async function sameSplitOrNot(kernel: () => tf.Tensor, tolerance: number): Promise<void> {
    await selectBackend("wasm", 2);
    const pools = threadPoolsOf(tf.backend())!;
    const values = () => tf.tidy(kernel).dataSync();
    pools.use(1);
    const alone = values();
    pools.use(2);
    await untilWorkersHelp(activeKernelWorkers(), () => expectIdentical(values(), alone, "split kernel"));
    await selectBackend("cpu");
    const onCpu = values();
    await selectBackend("wasm", 2);
    expect(worstError(alone, onCpu)).toBeLessThanOrEqual(tolerance);
  }

  it("a convolution's filter gradient splits its taps", async () => {
    // Example B's second layer: 16 channels in, 32 out, on 16 images of 13 × 13.
    const x = tf.randomUniform([16, 13, 13, 16], -1, 1, "float32", 7).dataSync();
    const dy = tf.randomUniform([16, 11, 11, 32], -1, 1, "float32", 8).dataSync();
    await sameSplitOrNot(
      () =>
        tf.engine().runKernel(
          "Conv2DBackpropFilter",
          { x: tf.tensor4d(x, [16, 13, 13, 16]), dy: tf.tensor4d(dy, [16, 11, 11, 32]) },
          { strides: [1, 1], pad: "valid", dataFormat: "NHWC", filterShape: [3, 3, 16, 32] },
        ) as tf.Tensor,
      1e-3,
    );
  });

  it("a first layer's convolution (one input channel, the SIMD patch product) splits its images", async () => {
    // Example B's first layer on a batch of 64: 16 filters of 3 × 3 on 28 × 28 digits, bias and relu.
    const x = tf.randomUniform([64, 28, 28, 1], 0, 1, "float32", 9).dataSync();
    const filter = tf.randomUniform([3, 3, 1, 16], -1, 1, "float32", 10).dataSync();
    const bias = tf.randomUniform([16], -1, 1, "float32", 11).dataSync();
    await sameSplitOrNot(
      () => tf.fused.conv2d({ x: tf.tensor4d(x, [64, 28, 28, 1]), filter: tf.tensor4d(filter, [3, 3, 1, 16]), strides: 1, pad: "valid", bias: tf.tensor1d(bias), activation: "relu" }),
      1e-5,
    );
  });

  it("2 × 2 max pooling's gradient splits its images", async () => {
    // Example B's first pool: 64 images of 26 × 26 × 16, with ties from rounding to a few values.
    const input = tf.randomUniform([64, 26, 26, 16], -4, 4, "float32", 12).round().dataSync();
    const dy = tf.randomUniform([64, 13, 13, 16], -1, 1, "float32", 13).dataSync();
    await sameSplitOrNot(
      () =>
        tf.engine().runKernel(
          "MaxPoolGrad",
          { dy: tf.tensor4d(dy, [64, 13, 13, 16]), input: tf.tensor4d(input, [64, 26, 26, 16]), output: tf.maxPool(tf.tensor4d(input, [64, 26, 26, 16]), 2, 2, "valid") },
          { filterSize: 2, strides: 2, pad: "valid" },
        ) as tf.Tensor,
      0,
    );
  });
});
