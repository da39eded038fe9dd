import {
  BatchMatMul,
  getKernelsForBackend,
  registerKernel,
  unregisterKernel,
  util,
  type BatchMatMulAttrs,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from "@tensorflow/tfjs";
import { threadPoolsOf } from "./thread-pools.js";

/** Kernel functions already choosing their pool, so that wrapping again leaves them be. */
const choosing = new WeakSet<KernelFunc>();

/**
 * Makes every kernel registered for wasm choose its thread pool by its
 * size before it runs (ThreadPools.chooseFor): on the threaded build, a
 * kernel with a large input or product is split over all threads and a small one
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
      const previous = pools.chooseFor(kernelValues(config.kernelName, args.inputs, args.attrs));
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

/**
 * A kernel's size for choosing its pool: its largest input, or a matrix
 * product's output where that is larger. A dense layer's weight gradient
 * xᵀ·dy has inputs of a batch's size and an output of the weights' size.
 */
export function kernelValues(kernelName: string, inputs: Record<string, TensorInfo | undefined>, attrs: NamedAttrMap | undefined): number {
  const largest = largestInput(inputs);
  const { a, b } = inputs;
  if (kernelName !== BatchMatMul || a === undefined || b === undefined || a.shape.length < 2 || b.shape.length < 2) return largest;
  const { transposeA, transposeB } = (attrs ?? {}) as unknown as Partial<BatchMatMulAttrs>;
  const rows = a.shape.at(transposeA ? -1 : -2)!;
  const columns = b.shape.at(transposeB ? -2 : -1)!;
  const batch = Math.max(util.sizeFromShape(a.shape.slice(0, -2)), util.sizeFromShape(b.shape.slice(0, -2)));
  return Math.max(largest, batch * rows * columns);
}

function largestInput(inputs: Record<string, TensorInfo | undefined>): number {
  let largest = 0;
  for (const name in inputs) {
    const input = inputs[name];
    if (input !== undefined) largest = Math.max(largest, util.sizeFromShape(input.shape));
  }
  return largest;
}
