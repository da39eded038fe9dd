import { util, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs";
import { float32View, wasmBackendOf } from "./wasm-heap.js";

/**
 * The kernels train/losses.ts runs where the backend has them: softmax
 * cross-entropy per example, −Σₖ yₖ·log softmax(z)ₖ over the last axis, and
 * its gradient with respect to the logits. tfjs composes the loss of nine
 * kernels and its gradient of about a dozen, each paying the engine's
 * bookkeeping on a [batch, classes] tensor that takes it microseconds to
 * compute; here each is one pass over the rows, in float64.
 */
export const SOFTMAX_CROSS_ENTROPY = "ReglangSoftmaxCrossEntropy";
export const SOFTMAX_CROSS_ENTROPY_GRAD = "ReglangSoftmaxCrossEntropyGrad";

/** log Σₖ e^zₖ of the row of `classes` values at `start`, shifted by its maximum so that no term overflows. */
function logSumExp(z: Float32Array, start: number, classes: number): number {
  let max = -Infinity;
  for (let k = start; k < start + classes; k++) if (z[k]! > max) max = z[k]!;
  if (max === -Infinity || max === Infinity) return max;
  let sum = 0;
  for (let k = start; k < start + classes; k++) sum += Math.exp(z[k]! - max);
  return max + Math.log(sum);
}

function float32Inputs(kernelName: string, inputs: Parameters<KernelFunc>[0]["inputs"], names: readonly string[]): TensorInfo[] {
  return names.map((name) => {
    const tensor = inputs[name];
    if (tensor === undefined || tensor.dtype !== "float32") throw new Error(`${kernelName} needs a float32 ${name}`);
    return tensor;
  });
}

function softmaxCrossEntropy({ inputs, backend: anyBackend }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const [logits, target] = float32Inputs(SOFTMAX_CROSS_ENTROPY, inputs, ["logits", "target"]) as [TensorInfo, TensorInfo];
  if (!util.arraysEqual(logits.shape, target.shape) || logits.shape.length === 0) {
    throw new Error(`${SOFTMAX_CROSS_ENTROPY} needs logits and a target of one shape, not [${logits.shape}] and [${target.shape}]`);
  }
  const classes = logits.shape[logits.shape.length - 1]!;
  const output = backend.makeOutput(logits.shape.slice(0, -1), "float32");
  const [z, y, loss] = [float32View(backend, logits), float32View(backend, target), float32View(backend, output)];
  for (let row = 0; row < loss.length; row++) {
    const start = row * classes;
    const lse = logSumExp(z, start, classes);
    let sum = 0;
    // −Σ yₖ·(zₖ − lse); a class with no weight adds nothing, even where log softmax is −∞.
    for (let k = start; k < start + classes; k++) if (y[k] !== 0) sum += y[k]! * (lse - z[k]!);
    loss[row] = sum;
  }
  return output;
}

/** ∂/∂zₖ of dy·(−Σ yₖ·log softmax(z)ₖ): dy·(softmax(z)ₖ·Σy − yₖ), row by row. */
function softmaxCrossEntropyGrad({ inputs, backend: anyBackend }: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = wasmBackendOf(anyBackend);
  const [dy, logits, target] = float32Inputs(SOFTMAX_CROSS_ENTROPY_GRAD, inputs, ["dy", "logits", "target"]) as [TensorInfo, TensorInfo, TensorInfo];
  const classes = logits.shape[logits.shape.length - 1]!;
  if (!util.arraysEqual(logits.shape, target.shape) || util.sizeFromShape(dy.shape) * classes !== util.sizeFromShape(logits.shape)) {
    throw new Error(`${SOFTMAX_CROSS_ENTROPY_GRAD} needs a dy per row of the logits and a target of their shape`);
  }
  const output = backend.makeOutput(logits.shape, "float32");
  const [g, z, y, dz] = [float32View(backend, dy), float32View(backend, logits), float32View(backend, target), float32View(backend, output)];
  for (let row = 0; row < g.length; row++) {
    const start = row * classes;
    const lse = logSumExp(z, start, classes);
    let targetSum = 0;
    for (let k = start; k < start + classes; k++) targetSum += y[k]!;
    for (let k = start; k < start + classes; k++) dz[k] = g[row]! * (Math.exp(z[k]! - lse) * targetSum - y[k]!);
  }
  return output;
}

export const softmaxCrossEntropyConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY,
  backendName: "wasm",
  kernelFunc: softmaxCrossEntropy,
};

export const softmaxCrossEntropyGradConfig: KernelConfig = {
  kernelName: SOFTMAX_CROSS_ENTROPY_GRAD,
  backendName: "wasm",
  kernelFunc: softmaxCrossEntropyGrad,
};
