import type { KernelConfig, KernelFunc, TensorInfo } from "@tensorflow/tfjs";
import { noteRightOperand, rightOperandSeen, unpackedProduct } from "./batch-mat-mul.js";
import type { BiasActivation } from "./simd/bias-activation.js";
import { WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/** The kernel model/layers/fused-dense.ts runs where the backend has it: a dense layer's activation(x·W + b) in one. */
export const DENSE = "ReglangDense";

export interface DenseAttrs {
  activation: "linear" | "relu";
}

/**
 * activation(x·W + b) for x [m, k], W [k, n] and b [n] (optional): the SIMD
 * product, then the bias and relu in one pass over it (the numbers of a
 * product, an add and a relu kernel), where it takes the product
 * (batch-mat-mul.ts: W new, its columns in fours); else those kernels of
 * the backend's, run directly.
 */
function dense({ inputs, backend: anyBackend, attrs }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const { x, kernel, bias } = inputs;
  const { activation } = attrs as unknown as DenseAttrs;
  if (x === undefined || kernel === undefined || x.shape.length !== 2 || kernel.shape.length !== 2 || x.shape[1] !== kernel.shape[0]) {
    throw new Error(`${DENSE} needs x [m, k] and a kernel [k, n]`);
  }
  const [m, k] = x.shape as [number, number];
  const n = kernel.shape[1]!;
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== n)) throw new Error(`${DENSE} needs a bias of ${n} values`);
  if ([x, kernel, bias].some((tensor) => tensor !== undefined && tensor.dtype !== "float32")) throw new Error(`${DENSE} takes float32 tensors`);
  if (n % 4 === 0 && k > 0 && m > 0 && !rightOperandSeen(kernel)) {
    noteRightOperand(kernel);
    const kind: BiasActivation | undefined = bias === undefined ? (activation === "relu" ? "relu" : undefined) : activation === "relu" ? "bias-relu" : "bias";
    return unpackedProduct(backend, x, kernel, [m, k, n], [m, n], kind && { then: { kind, ...(bias && { bias }) } });
  }
  const scope = new WasmKernelScope(backend);
  // As tf.matMul calls it: operands with a batch axis.
  const batchOfOne = (tensor: TensorInfo) => scope.run("Reshape", { x: tensor }, { shape: [1, ...tensor.shape] });
  const product = scope.run("BatchMatMul", { a: batchOfOne(x), b: batchOfOne(kernel) }, { transposeA: false, transposeB: false });
  let y = scope.run("Reshape", { x: product }, { shape: [m, n] });
  if (bias !== undefined) y = scope.run("Add", { a: y, b: bias }, {});
  if (activation === "relu") y = scope.run("Relu", { x: y }, {});
  return scope.finish(y);
}

export const denseConfig: KernelConfig = {
  kernelName: DENSE,
  backendName: "wasm",
  kernelFunc: dense,
};
