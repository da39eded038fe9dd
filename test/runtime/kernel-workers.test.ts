import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { threadPoolsOf } from "../../src/runtime/backend/thread-pools.js";
import { KernelWorkers, kernelWorkersOf } from "../../src/runtime/backend/wasm-kernels/simd/kernel-workers.js";
import { addressOf, memoryOf, simdModule } from "../../src/runtime/backend/wasm-kernels/simd/instances.js";
import { matrixProductFunctions } from "../../src/runtime/backend/wasm-kernels/simd/matrix-product.js";
import { expectIdentical } from "../support/identical-values.js";

/** A [rows, columns] matrix of seeded values in [-1, 1). */
function matrix(rows: number, columns: number, seed: number): tf.Tensor2D {
  return tf.randomUniform([rows, columns], -1, 1, "float32", seed) as tf.Tensor2D;
}

/** A·B by the SIMD product through `workers`, in chunks of `chunkColumns` columns. */
function splitProduct(workers: KernelWorkers, a: tf.Tensor2D, b: tf.Tensor2D, chunkColumns: number, bAddress?: number): Float32Array {
  const backend = tf.backend() as BackendWasm;
  const [m, k] = a.shape;
  const n = b.shape[1];
  const product = tf.zeros([m, n]);
  const { module, functions } = simdModule(backend, "matrixProduct", matrixProductFunctions);
  const rowBytes = n * 4;
  const fixed = [addressOf(backend, a), k * 4, 4, bAddress ?? addressOf(backend, b), rowBytes, addressOf(backend, product), rowBytes, m, k];
  workers.run(module, "matrixProduct", functions["matrixProduct"]!, fixed, rowBytes, chunkColumns * 4);
  const values = product.dataSync() as Float32Array;
  product.dispose();
  return values;
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
    for (let repeat = 0; repeat < 20; repeat++) expectIdentical(product(), alone, "split product");
    await selectBackend("cpu");
    const onCpu = tf.tidy(() => tf.matMul(tf.tensor(a.dataSync(), a.shape), matrix(300, 516, 2)).dataSync());
    await selectBackend("wasm", 2);
    for (let i = 0; i < onCpu.length; i++) expect(Math.abs(alone[i]! - onCpu[i]!)).toBeLessThan(1e-4);
  });

  it("compute every chunk, however many, and the calling thread computes them all when no worker helps", async () => {
    await selectBackend("wasm", 2);
    const memory = memoryOf(tf.backend() as BackendWasm);
    const a = matrix(9, 20, 3);
    const b = matrix(20, 100, 4);
    const expected = tf.matMul(a, b).dataSync();
    const closeTo = (values: Float32Array) => values.forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-5));
    const workers = new KernelWorkers(memory, 3);
    expect(workers.threads).toBe(4);
    for (const chunkColumns of [4, 8, 12, 96, 100, 400]) closeTo(splitProduct(workers, a, b, chunkColumns));
    // Workers that are gone take no chunk; the job still finishes.
    workers.terminate();
    closeTo(splitProduct(workers, a, b, 4));
  });

  it("report a kernel that fails, and run the next job as usual", async () => {
    await selectBackend("wasm", 2);
    const workers = new KernelWorkers(memoryOf(tf.backend() as BackendWasm), 1);
    const a = matrix(8, 16, 5);
    const b = matrix(16, 64, 6);
    // B's address past the end of memory: every chunk traps, on whichever thread takes it.
    expect(() => splitProduct(workers, a, b, 8, 0x7fff_fff0)).toThrow(/out of bounds|failed on a worker thread/);
    const expected = tf.matMul(a, b).dataSync();
    splitProduct(workers, a, b, 8).forEach((value, i) => expect(Math.abs(value - expected[i]!)).toBeLessThan(1e-5));
    workers.terminate();
  });
});

describe("a convolution's filter gradient on the threaded wasm backend", () => {
  it("splits its taps between threads and gives one thread's numbers bit for bit", async () => {
    await selectBackend("wasm", 2);
    const pools = threadPoolsOf(tf.backend())!;
    // Example B's second layer: 16 channels in, 32 out, a batch of 64 images of 13 × 13.
    const xValues = tf.randomUniform([64, 13, 13, 16], -1, 1, "float32", 7).dataSync();
    const dyValues = tf.randomUniform([64, 11, 11, 32], -1, 1, "float32", 8).dataSync();
    const gradient = () =>
      tf.tidy(() =>
        tf.engine().runKernel(
          "Conv2DBackpropFilter",
          { x: tf.tensor4d(xValues, [64, 13, 13, 16]), dy: tf.tensor4d(dyValues, [64, 11, 11, 32]) },
          { strides: [1, 1], pad: "valid", dataFormat: "NHWC", filterShape: [3, 3, 16, 32] },
        ) as tf.Tensor,
      ).dataSync();
    pools.use(1);
    const alone = gradient();
    pools.use(2);
    for (let repeat = 0; repeat < 5; repeat++) expectIdentical(gradient(), alone, "split filter gradient");
    await selectBackend("cpu");
    const onCpu = gradient();
    await selectBackend("wasm", 2);
    for (let i = 0; i < onCpu.length; i++) expect(Math.abs(alone[i]! - onCpu[i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(onCpu[i]!)));
  });
});

describe("other SIMD kernels split between threads on the threaded wasm backend", () => {
  /** `kernel` on one thread, then five times on two, which must give the same numbers bit for bit; and on cpu, close. */
  async function sameSplitOrNot(kernel: () => tf.Tensor, tolerance: number): Promise<void> {
    await selectBackend("wasm", 2);
    const pools = threadPoolsOf(tf.backend())!;
    const values = () => tf.tidy(kernel).dataSync();
    pools.use(1);
    const alone = values();
    pools.use(2);
    for (let repeat = 0; repeat < 5; repeat++) expectIdentical(values(), alone, "split kernel");
    await selectBackend("cpu");
    const onCpu = values();
    await selectBackend("wasm", 2);
    for (let i = 0; i < onCpu.length; i++) expect(Math.abs(alone[i]! - onCpu[i]!)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(onCpu[i]!)));
  }

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
