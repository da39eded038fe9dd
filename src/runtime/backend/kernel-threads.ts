import { getKernelsForBackend, registerKernel, unregisterKernel, util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { threadPoolsOf } from "./thread-pools.js";

/** Kernel functions already choosing their pool, so that wrapping again leaves them be. */
const choosing = new WeakSet<KernelFunc>();

/**
 * Makes every kernel registered for wasm choose its thread pool by its
 * size before it runs (ThreadPools.chooseFor): on the threaded build, a
 * kernel with a large input is split over all threads and a small one
 * runs on the calling thread; on the single-threaded build nothing
 * changes. Kernels registered later (re-registered by
 * registerWasmKernels) are wrapped by calling this again.
 */
export function chooseThreadsPerKernel(): void {
  for (const config of getKernelsForBackend("wasm")) {
    if (choosing.has(config.kernelFunc)) continue;
    const kernelFunc = config.kernelFunc;
    const choosingFunc: KernelFunc = (args) => {
      const pools = threadPoolsOf(args.backend);
      if (pools === undefined) return kernelFunc(args);
      const previous = pools.chooseFor(largestInput(args.inputs));
      try {
        return kernelFunc(args);
      } finally {
        pools.restore(previous);
      }
    };
    choosing.add(choosingFunc);
    unregisterKernel(config.kernelName, "wasm");
    registerKernel({ ...config, kernelFunc: choosingFunc } as KernelConfig);
  }
}

function largestInput(inputs: Record<string, TensorInfo | undefined>): number {
  let largest = 0;
  for (const name in inputs) {
    const input = inputs[name];
    if (input !== undefined) largest = Math.max(largest, util.sizeFromShape(input.shape));
  }
  return largest;
}
