import * as tf from "@tensorflow/tfjs";
import type { DataSplit } from "../data/dataset.js";
import type { Model } from "../model/model.js";

export interface RidgeOptions {
  /** The dense layer whose kernel (and bias) are solved for. */
  layer: string;
  /** The number target it predicts. */
  target: string;
  /** The l2 strength α. */
  alpha: number;
  /** Whether the l2 clause also covers the bias; if not, the intercept is fitted unpenalized. */
  penalizeBias: boolean;
}

export interface RidgeSolution {
  /** [inputs][outputs], row-major like a dense kernel. */
  kernel: Float64Array;
  bias: Float64Array;
  inputs: number;
  outputs: number;
}

/**
 * §7.3: the exact minimizer of ‖Xw + b − y‖² + α‖w‖², w = (XᵀX + αI)⁻¹Xᵀy,
 * in float64. With an unpenalized bias the columns are centred first, so
 * b = ȳ − x̄ᵀw. XᵀX + αI is positive definite for α > 0: Cholesky solves it.
 */
export function solveRidge(split: DataSplit, options: RidgeOptions): RidgeSolution {
  const target = split.targets[options.target];
  if (!target) throw new Error(`closed_form: split ${split.name} has no target ${options.target}`);
  const rows = split.rows;
  const inputs = split.x.size / rows;
  const outputs = target.size / rows;
  const x = Float64Array.from(split.x.dataSync());
  const y = Float64Array.from(target.dataSync());
  const centre = !options.penalizeBias;
  const columns = centre ? inputs : inputs + 1;
  const design = new Float64Array(rows * columns);
  const xMean = new Float64Array(inputs);
  const yMean = new Float64Array(outputs);
  if (centre) {
    for (let r = 0; r < rows; r++) for (let c = 0; c < inputs; c++) xMean[c]! += x[r * inputs + c]! / rows;
    for (let r = 0; r < rows; r++) for (let k = 0; k < outputs; k++) yMean[k]! += y[r * outputs + k]! / rows;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < inputs; c++) design[r * columns + c] = x[r * inputs + c]! - xMean[c]!;
    if (!centre) design[r * columns + inputs] = 1;
  }
  const gram = new Float64Array(columns * columns);
  for (let i = 0; i < columns; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += design[r * columns + i]! * design[r * columns + j]!;
      gram[i * columns + j] = sum;
      gram[j * columns + i] = sum;
    }
    gram[i * columns + i]! += options.alpha;
  }
  const factor = cholesky(gram, columns);
  const kernel = new Float64Array(inputs * outputs);
  const bias = new Float64Array(outputs);
  for (let k = 0; k < outputs; k++) {
    const rhs = new Float64Array(columns);
    for (let i = 0; i < columns; i++) {
      let sum = 0;
      for (let r = 0; r < rows; r++) sum += design[r * columns + i]! * (y[r * outputs + k]! - yMean[k]!);
      rhs[i] = sum;
    }
    const w = choleskySolve(factor, columns, rhs);
    for (let c = 0; c < inputs; c++) kernel[c * outputs + k] = w[c]!;
    let b = centre ? yMean[k]! : w[inputs]!;
    if (centre) for (let c = 0; c < inputs; c++) b -= xMean[c]! * w[c]!;
    bias[k] = b;
  }
  return { kernel, bias, inputs, outputs };
}

/** Writes a solution into the model's dense layer. */
export function assignRidge(model: Model, layer: string, solution: RidgeSolution): void {
  const kernel = model.params.get(`${layer}.kernel`);
  if (!kernel) throw new Error(`closed_form: model ${model.name} has no ${layer}.kernel`);
  tf.tidy(() => kernel.assign(tf.tensor(Float32Array.from(solution.kernel), kernel.shape)));
  const bias = model.params.get(`${layer}.bias`);
  if (bias) tf.tidy(() => bias.assign(tf.tensor(Float32Array.from(solution.bias), bias.shape)));
}

/** Lower-triangular L with A = LLᵀ. */
function cholesky(a: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= l[i * n + k]! * l[j * n + k]!;
      if (i === j) {
        if (!(sum > n * Number.EPSILON * a[i * n + i]!)) throw new Error("closed_form: XᵀX + αI is not positive definite; is α > 0?");
        l[i * n + i] = Math.sqrt(sum);
      } else {
        l[i * n + j] = sum / l[j * n + j]!;
      }
    }
  }
  return l;
}

function choleskySolve(l: Float64Array, n: number, b: Float64Array): Float64Array {
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * z[k]!;
    z[i] = sum / l[i * n + i]!;
  }
  const w = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * w[k]!;
    w[i] = sum / l[i * n + i]!;
  }
  return w;
}
