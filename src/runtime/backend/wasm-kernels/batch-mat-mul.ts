import {
  BatchMatMul,
  util,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { runOverRange, SPLIT_FROM_MULTIPLY_ADDS } from "./simd/kernel-workers.js";
import { addressOf, simdFunctions, simdModule } from "./simd/instances.js";
import { biasActivationFunctions, type BiasActivation } from "./simd/bias-activation.js";
import { matrixProductFunctions } from "./simd/matrix-product.js";
import { float32View, WasmKernelScope, wasmBackendOf } from "./wasm-heap.js";

/**
 * The wasm backend multiplies two matrices with XNNPACK only when neither is
 * transposed; `transposeA` or `transposeB` falls back to a plain blocked loop
 * 5–10× slower. A dense layer's backward pass asks for exactly those: the
 * kernel's gradient is xᵀ·dy and the input's is dy·Wᵀ.
 *
 * This kernel lays the operands out so that XNNPACK takes the product:
 * either A·B with A and B transposed in memory first, or (B'·A')' where B'
 * and A' are the stored operands themselves when the call transposes them.
 * XNNPACK packs its right operand into its own layout (and keeps it packed
 * for the next product with the same tensor) on one thread; a training
 * step's weights are new tensors every step. A product A·B with a right
 * operand not seen before, its columns in fours, is therefore taken by
 * reglang's SIMD product (simd/matrix-product.ts), which reads B where it
 * lies: a forward pass's x·W. On the threaded build its columns are split
 * between threads of reglang's own (simd/kernel-workers.ts). Otherwise
 * the layout moving the fewest elements wins, packing counted. Batched
 * products (a batch above 1) keep the backend's own kernel.
 */
/** Packing an element for XNNPACK costs about twice moving it in a transpose (measured on wasm). */
const PACKING_COST = 2;

/**
 * Right operands multiplied before. The next product with one is XNNPACK's,
 * which packs it then and keeps it packed for the products after: weights
 * held still, as in evaluation, are worth packing once.
 */
const seenRightOperands = new WeakSet<object>();

/** Whether a product took `b` as its right operand before (XNNPACK keeps it packed since). */
export function rightOperandSeen(b: TensorInfo): boolean {
  return seenRightOperands.has(b.dataId);
}

/** Notes that a product takes `b` as its right operand. */
export function noteRightOperand(b: TensorInfo): void {
  seenRightOperands.add(b.dataId);
}

export function fastBatchMatMulConfig(backendKernel: KernelConfig): KernelConfig {
  const backendMatMul = backendKernel.kernelFunc;
  function batchMatMul(args: Parameters<KernelFunc>[0]): TensorInfo {
    const { inputs, backend, attrs } = args;
    const { a, b } = inputs as BatchMatMulInputs;
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    if (a === undefined || b === undefined) throw new Error("BatchMatMul needs a and b");
    const batched = util.sizeFromShape(a.shape.slice(0, -2)) > 1 || util.sizeFromShape(b.shape.slice(0, -2)) > 1;
    if (batched || a.dtype !== "float32" || b.dtype !== "float32") return backendMatMul(args) as TensorInfo;

    const [aRows, aColumns] = a.shape.slice(-2) as [number, number];
    const [bRows, bColumns] = b.shape.slice(-2) as [number, number];
    const [m, k] = transposeA ? [aColumns, aRows] : [aRows, aColumns];
    const n = transposeB ? bRows : bColumns;
    if (k !== (transposeB ? bColumns : bRows)) return backendMatMul(args) as TensorInfo;
    const reused = !transposeB && rightOperandSeen(b);
    if (!transposeB) noteRightOperand(b);
    const outShape = [...(a.shape.length >= b.shape.length ? a.shape : b.shape).slice(0, -2), m, n];
    // The backend leaves a product over an empty depth unwritten.
    if (k === 0 || m * n === 0) return zeros(wasmBackendOf(backend), outShape);
    if (!transposeA && !transposeB && !reused && n % 4 === 0) return unpackedProduct(wasmBackendOf(backend), a, b, [m, k, n], outShape);

    // Elements moved: transposes in memory plus XNNPACK's packing of the right operand.
    const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + (reused ? 0 : PACKING_COST * k * n);
    const swapped = (transposeA ? 0 : m * k) + (transposeB ? 0 : k * n) + PACKING_COST * k * m + m * n;
    if (!transposeA && !transposeB && direct <= swapped) return backendMatMul(args) as TensorInfo;

    const scope = new WasmKernelScope(wasmBackendOf(backend));
    const matrix = (x: TensorInfo, rows: number, columns: number) => scope.run("Reshape", { x }, { shape: [rows, columns] });
    const transposed = (x: TensorInfo) => scope.run("Transpose", { x }, { perm: [1, 0] });
    const multiply = (left: TensorInfo, right: TensorInfo) => {
      const product = backendMatMul({ inputs: { a: left, b: right }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
      scope.track(product);
      return product;
    };
    const storedA = matrix(a, aRows, aColumns);
    const storedB = matrix(b, bRows, bColumns);

    let product: TensorInfo;
    if (direct <= swapped) {
      product = multiply(transposeA ? transposed(storedA) : storedA, transposeB ? transposed(storedB) : storedB);
    } else {
      product = transposed(multiply(transposeB ? storedB : transposed(storedB), transposeA ? storedA : transposed(storedA)));
    }
    return scope.finish(scope.run("Reshape", { x: product }, { shape: outShape }));
  }
  return { kernelName: BatchMatMul, backendName: "wasm", setupFunc: backendKernel.setupFunc, kernelFunc: batchMatMul };
}

/** A chunk's least width: 16 columns, 64 bytes, so that threads seldom write the same cache line. */
const CHUNK_BYTES = 64;

/**
 * A·B ([m, k] by [k, n], n in fours) by the SIMD product, its columns split
 * between threads when large; then, when asked, a bias ([n]) added and/or
 * relu applied in one pass (simd/bias-activation.ts).
 */
export function unpackedProduct(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  [m, k, n]: [number, number, number],
  outShape: number[],
  then?: { kind: BiasActivation; bias?: TensorInfo },
): TensorInfo {
  const product = backend.makeOutput(outShape, "float32");
  const rowBytes = n * 4;
  const fixed = [addressOf(backend, a), k * 4, 4, addressOf(backend, b), rowBytes, addressOf(backend, product), rowBytes, m, k];
  const compiled = simdModule(backend, "matrixProduct", matrixProductFunctions);
  runOverRange(backend, compiled, "matrixProduct", fixed, rowBytes, CHUNK_BYTES, m * k * n >= SPLIT_FROM_MULTIPLY_ADDS);
  if (then !== undefined && m > 0) {
    const finish = simdFunctions(backend, `biasActivation ${then.kind}`, () => biasActivationFunctions(then.kind))["biasActivation"]!;
    finish(addressOf(backend, product), then.bias === undefined ? 0 : addressOf(backend, then.bias), m, rowBytes, 0, rowBytes);
  }
  return product;
}

function zeros(backend: BackendWasm, shape: number[]): TensorInfo {
  const output = backend.makeOutput(shape, "float32");
  float32View(backend, output).fill(0);
  return output;
}
