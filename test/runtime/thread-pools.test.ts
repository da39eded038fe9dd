import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { selectBackend, threadsInUse } from "../../src/runtime/backend/select.js";
import { threadPoolAddress } from "../../src/runtime/backend/thread-pool-address.js";
import { chooseThreadsPerKernel, kernelValues } from "../../src/runtime/backend/kernel-threads.js";
import { SPLIT_FROM_VALUES, ThreadPools, threadPoolsOf, type ThreadedModule } from "../../src/runtime/backend/thread-pools.js";

/** Where the package keeps its Emscripten builds. */
function wasmOut(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@tensorflow/tfjs-backend-wasm")), "..", "wasm-out");
}

/** A valid wasm module importing a function and a memory, whose `get_threads_count` (function 1) has the body `code`. */
function moduleWith(code: number[]): Uint8Array<ArrayBuffer> {
  const name = (text: string) => [text.length, ...new TextEncoder().encode(text)];
  const section = (id: number, content: number[]) => [id, content.length, ...content];
  const body = [0, ...code, 0x0b];
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(2, [2, ...name("env"), ...name("f"), 0, 0, ...name("env"), ...name("memory"), 2, 0, 1]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name("get_threads_count"), 0, 1]),
    ...section(10, [1, body.length, ...body]),
  ]);
}

describe("the address of the threaded build's thread pool", () => {
  it("is the constant address get_threads_count loads from, past imported functions", () => {
    // i32.const 1024; i32.load align=2 offset=4
    const binary = moduleWith([0x41, 0x80, 0x08, 0x28, 0x02, 0x04]);
    expect(WebAssembly.validate(binary)).toBe(true);
    expect(threadPoolAddress(binary)).toBe(1028);
  });

  it("is unknown where the function has another shape, or the binary is not wasm", () => {
    const constantOnly = moduleWith([0x41, 0x07]); // i32.const 7
    expect(WebAssembly.validate(constantOnly)).toBe(true);
    expect(threadPoolAddress(constantOnly)).toBeUndefined();
    expect(threadPoolAddress(Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]))).toBeUndefined();
    expect(threadPoolAddress(new TextEncoder().encode("not a wasm binary at all"))).toBeUndefined();
  });

  it("is found in the build tfjs ships", () => {
    const address = threadPoolAddress(readFileSync(join(wasmOut(), "tfjs-backend-wasm-threaded-simd.wasm")));
    expect(address).toBeGreaterThan(0);
    expect(address! % 4).toBe(0);
  });
});

/** The threads of the pool XNNPACK's next call would run on, read from the build itself. */
function poolThreads(backend: object = tf.backend()): number {
  return (backend as BackendWasm).wasm.tfjs.getThreadsCount();
}

describe("the threaded wasm backend's pools", () => {
  it("switch between one thread and all, with the same products", async () => {
    await selectBackend("wasm", 2);
    const pools = threadPoolsOf(tf.backend())!;
    expect(pools.most).toBe(2);
    // Large enough to be split when all threads are in use.
    const a = tf.randomUniform([256, 300], -1, 1, "float32", 1);
    const b = tf.randomUniform([300, 200], -1, 1, "float32", 2);
    pools.use(1);
    expect(pools.inUse).toBe(1);
    expect(poolThreads()).toBe(1);
    // The backend's size, whichever pool the timing of a run chose.
    expect(await threadsInUse()).toBe(2);
    const alone = tf.relu(tf.matMul(a, b)).dataSync();
    pools.use(2);
    expect(pools.inUse).toBe(2);
    expect(poolThreads()).toBe(2);
    expect(tf.relu(tf.matMul(a, b)).dataSync()).toEqual(alone);
    expect(() => pools.use(3)).toThrow("1 or 2 threads");
  });

  it("give a kernel all threads only when its largest input has enough values to repay the hand-off", async () => {
    await selectBackend("wasm", 2);
    const pools = threadPoolsOf(tf.backend())!;
    // A kernel that records the threads of the pool it runs on (as XNNPACK reads it) and passes its input through.
    const seen: number[] = [];
    tf.registerKernel({
      kernelName: "ThreadsProbe",
      backendName: "wasm",
      kernelFunc: ({ inputs, backend }) => {
        seen.push(poolThreads(backend));
        const x = inputs.x!;
        (backend as BackendWasm).incRef(x.dataId);
        return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
      },
    });
    chooseThreadsPerKernel();
    const probe = (values: number) => tf.tidy(() => tf.engine().runKernel("ThreadsProbe", { x: tf.zeros([values]) }, {}));
    pools.use(2);
    probe(SPLIT_FROM_VALUES - 1);
    probe(SPLIT_FROM_VALUES);
    expect(poolThreads()).toBe(2);
    pools.use(1);
    probe(SPLIT_FROM_VALUES);
    expect(seen).toEqual([1, 2, 1]);
    pools.use(2);
    tf.unregisterKernel("ThreadsProbe", "wasm");
  });

  it("size a matrix product by its output too, so that a dense layer's weight gradient is split", () => {
    const info = (shape: number[]) => ({ dataId: {}, shape, dtype: "float32" as const });
    // xᵀ·dy: inputs of a batch of 32, an output of 784 × 512 weights.
    const x = info([32, 784]);
    const dy = info([32, 512]);
    expect(kernelValues("BatchMatMul", { a: x, b: dy }, { transposeA: true, transposeB: false })).toBe(784 * 512);
    // dy·Wᵀ: the weights, an input, outweigh the output.
    expect(kernelValues("BatchMatMul", { a: dy, b: info([784, 512]) }, { transposeA: false, transposeB: true })).toBe(784 * 512);
    expect(kernelValues("BatchMatMul", { a: info([3, 4, 2]), b: info([3, 2, 6]) }, { transposeA: false, transposeB: false })).toBe(3 * 4 * 6);
    // Other kernels go by their largest input, whatever their attributes.
    expect(kernelValues("Transpose", { x: info([32, 784]) }, { perm: [1, 0] })).toBe(32 * 784);
  });

  it("are back to all threads when a later run in the process selects the backend again", async () => {
    await selectBackend("wasm", 2);
    threadPoolsOf(tf.backend())!.use(1);
    await selectBackend("wasm", 2);
    expect(threadPoolsOf(tf.backend())!.inUse).toBe(2);
    expect(poolThreads()).toBe(2);
  });

  it("are not made where the build does not read its pool from the address found", async () => {
    await selectBackend("wasm", 2);
    const module = (tf.backend() as BackendWasm).wasm as unknown as ThreadedModule;
    const address = threadPoolAddress(readFileSync(join(wasmOut(), "tfjs-backend-wasm-threaded-simd.wasm")))!;
    const unrelated = address + 64;
    const words = new Int32Array(module.HEAP32.buffer);
    const before = words[unrelated / 4];
    expect(ThreadPools.create(module, unrelated, 2)).toBeUndefined();
    expect(words[unrelated / 4]).toBe(before);
    expect(poolThreads()).toBe(2);
    expect(ThreadPools.create(module, address, 2)).toBeDefined();
  });

  it("are absent from the single-threaded build", async () => {
    await selectBackend("wasm", 1);
    expect(threadPoolsOf(tf.backend())).toBeUndefined();
  });
});
