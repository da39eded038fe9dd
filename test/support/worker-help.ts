import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { kernelWorkersOf, type KernelWorkers } from "../../src/runtime/backend/wasm-kernels/simd/kernel-workers.js";

/**
 * Runs `job` (which checks its own results) again until the kernel
 * workers have taken a chunk during one run of it: they start in the
 * background, and until then the calling thread takes every chunk, which
 * would leave the workers' share untested. At most a few seconds.
 */
export async function untilWorkersHelp(workers: KernelWorkers, job: () => unknown): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const before = workers.workerChunks;
    await job();
    if (workers.workerChunks > before) return;
    if (Date.now() > deadline) throw new Error("no worker took a chunk in 10 s");
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** The kernel workers of the active (threaded, all threads in use) wasm backend. */
export function activeKernelWorkers(): KernelWorkers {
  const workers = kernelWorkersOf(tf.backend() as BackendWasm);
  if (workers === undefined) throw new Error("the active backend has no kernel workers: select wasm with 2 threads or more");
  return workers;
}
