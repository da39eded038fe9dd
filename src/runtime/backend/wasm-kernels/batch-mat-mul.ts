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
import { kernelWorkersOf, runOverRange, SPLIT_FROM_MULTIPLY_ADDS } from "./simd/kernel-workers.js";
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
 * XNNPACK also packs its right operand into its own layout (and keeps it
 * packed for the next product with the same tensor) on one thread, and a
 * training step's operands are new tensors every step. A product A·B whose
 * right operand was not seen before is therefore taken by reglang's SIMD
 * product (simd/matrix-product.ts), which reads B where it lies: a
 * forward pass's x·W. On the threaded build its rows or columns are split
 * between threads of reglang's own (simd/kernel-workers.ts). So is a
 * product with a transposed operand, where it is split: the SIMD product
 * reads a transposed A through its strides, and a transposed B is
 * transposed in memory first, or the product taken as (B'·A'ᵀ)ᵀ, whichever
 * moves fewer values. Then a training step leaves XNNPACK's pool, whose
 * threads spin after each operator, asleep; on one thread XNNPACK's
 * microkernels take these products a little faster. Either way the sums
 * are XNNPACK's, in the same order, so the numbers are the same.
 * Otherwise XNNPACK takes the product, in the layout moving the fewest
 * elements, packing counted. Batched products (a batch above 1) keep the
 * backend's own kernel.
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
    if (!reused) {
      const product = simdProduct(wasmBackendOf(backend), a, b, { transposeA, transposeB }, [m, k, n], outShape);
      if (product !== undefined) return product;
    }

    // Elements moved: transposes in memory plus XNNPACK's packing of the right operand.
    const direct = (transposeA ? m * k : 0) + (transposeB ? k * n : 0) + (reused ? 0 : PACKING_COST * k * n);
    const swapped = (transposeA ? 0 : m * k) + (transposeB ? 0 : k * n) + PACKING_COST * k * m + m * n;
    if (!transposeA && !transposeB && direct <= swapped) return backendMatMul(args) as TensorInfo;

    const scope = new WasmKernelScope(wasmBackendOf(backend));
    const transposed = (x: TensorInfo) => transposedMatrix(scope, x);
    const multiply = (left: TensorInfo, right: TensorInfo) => {
      const product = backendMatMul({ inputs: { a: left, b: right }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
      scope.track(product);
      return product;
    };
    const storedA = asMatrix(scope, a, aRows, aColumns);
    const storedB = asMatrix(scope, b, bRows, bColumns);

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

/**
 * op(A)·op(B) by the SIMD product, which reads a transposed A through its
 * strides; a transposed B is either transposed in memory first or, where
 * that moves fewer values, the product is taken the other way round,
 * (B·op(A)ᵀ)ᵀ, which the SIMD product can read. Undefined where neither
 * layout has its columns in fours.
 */
function simdProduct(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  { transposeA, transposeB }: { transposeA: boolean; transposeB: boolean },
  [m, k, n]: [number, number, number],
  outShape: number[],
): TensorInfo | undefined {
  if ((transposeA || transposeB) && !splitBetweenThreads(backend, m * k * n)) return undefined;
  if (!transposeB) return n % 4 === 0 ? unpackedProduct(backend, a, b, [m, k, n], outShape, { transposeA }) : undefined;
  const direct = n % 4 === 0 ? k * n : Infinity;
  const swapped = m % 4 === 0 ? (transposeA ? 0 : m * k) + m * n : Infinity;
  if (direct === Infinity && swapped === Infinity) return undefined;
  const scope = new WasmKernelScope(backend);
  const transposed = (x: TensorInfo, rows: number, columns: number) => transposedMatrix(scope, asMatrix(scope, x, rows, columns));
  if (direct <= swapped) {
    return scope.finish(unpackedProduct(backend, a, transposed(b, n, k), [m, k, n], outShape, { transposeA }));
  }
  const aTransposed = transposeA ? a : transposed(a, m, k);
  const productTransposed = unpackedProduct(backend, b, aTransposed, [n, k, m], [n, m]);
  scope.track(productTransposed);
  return scope.finish(scope.run("Reshape", { x: transposed(productTransposed, n, m) }, { shape: outShape }));
}

/** `x` as a [rows, columns] matrix (its data shared), freed with `scope`. */
function asMatrix(scope: WasmKernelScope, x: TensorInfo, rows: number, columns: number): TensorInfo {
  return scope.run("Reshape", { x }, { shape: [rows, columns] });
}

/** A matrix transposed in memory, freed with `scope`. */
function transposedMatrix(scope: WasmKernelScope, matrix: TensorInfo): TensorInfo {
  return scope.run("Transpose", { x: matrix }, { perm: [1, 0] });
}

/** Whether a product of `multiplyAdds` is split between threads: large, on the threaded build with all its threads in use. */
function splitBetweenThreads(backend: BackendWasm, multiplyAdds: number): boolean {
  return multiplyAdds >= SPLIT_FROM_MULTIPLY_ADDS && kernelWorkersOf(backend) !== undefined;
}

/** A chunk's least width: 16 columns, 64 bytes, so that threads seldom write the same cache line. */
const CHUNK_BYTES = 64;
/** A chunk's least height, where rows are split: the SIMD product's tile. */
const CHUNK_ROWS = 4;

/**
 * A·B ([m, k] by [k, n], n in fours; A stored as [k, m] where `transposeA`)
 * by the SIMD product, its rows or columns split between threads when
 * large; then, when asked, a bias ([n]) added and/or relu applied in one
 * pass (simd/bias-activation.ts).
 */
export function unpackedProduct(
  backend: BackendWasm,
  a: TensorInfo,
  b: TensorInfo,
  [m, k, n]: [number, number, number],
  outShape: number[],
  { transposeA = false, then }: { transposeA?: boolean; then?: { kind: BiasActivation; bias?: TensorInfo } } = {},
): TensorInfo {
  const product = backend.makeOutput(outShape, "float32");
  const rowBytes = n * 4;
  const [aRowStep, aDepthStep] = transposeA ? [4, m * 4] : [k * 4, 4];
  const fixed = [addressOf(backend, a), aRowStep, aDepthStep, addressOf(backend, b), rowBytes, addressOf(backend, product), rowBytes, m, k];
  const compiled = simdModule(backend, "matrixProduct", matrixProductFunctions);
  const worthSplitting = m * k * n >= SPLIT_FROM_MULTIPLY_ADDS;
  // Split along the longer side, so that every thread gets several chunks.
  if (m > n) runOverRange(backend, compiled, "matrixProductRows", fixed, m, CHUNK_ROWS, worthSplitting);
  else runOverRange(backend, compiled, "matrixProduct", fixed, rowBytes, CHUNK_BYTES, worthSplitting);
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
