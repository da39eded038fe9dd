import * as tf from "@tensorflow/tfjs";
import { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from "../backend/wasm-kernels/momentum-update.js";

/** What MomentumOptimizer keeps to itself and this class updates as it does. */
interface MomentumState {
  accumulations: Array<{ originalName: string; variable: tf.Variable }>;
  m: tf.Scalar;
}

/**
 * tfjs's MomentumOptimizer (same state, weights, checkpoints and numbers)
 * whose update runs as one kernel per variable where the backend has it
 * (wasm: backend/wasm-kernels/momentum-update.ts), instead of four or six
 * operations each a pass through the variable. A gradient that tfjs would
 * broadcast, or values not float32, take tfjs's operations; so does every
 * variable on other backends.
 */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  constructor(
    learningRate: number,
    /** As tfjs does, the update keeps the momentum it was made with: `setMomentum` changes only the configuration. */
    private readonly momentumValue: number,
    private readonly nesterov = false,
  ) {
    super(learningRate, momentumValue, nesterov);
  }

  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer["applyGradients"]>[0]): void {
    if (tf.getKernel(MOMENTUM_UPDATE, tf.getBackend()) === undefined) return super.applyGradients(variableGradients);
    const state = this as unknown as MomentumState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((item) => item.name) : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      state.accumulations[i] ??= { originalName: `${name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const accumulation = state.accumulations[i]!.variable;
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient === undefined || gradient === null) return;
      tf.tidy(() => {
        const [newValue, newAccumulation] = fusable(value, accumulation, gradient) ? this.fusedStep(value, accumulation, gradient) : this.tfjsStep(state.m, value, accumulation, gradient);
        accumulation.assign(newAccumulation);
        value.assign(newValue);
      });
    });
    this.incrementIterations();
  }

  private fusedStep(value: tf.Tensor, accumulation: tf.Tensor, gradient: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const attrs: MomentumUpdateAttrs = { momentum: this.momentumValue, learningRate: this.learningRate, nesterov: this.nesterov };
    const [newValue, newAccumulation] = tf.engine().runKernel(MOMENTUM_UPDATE, { value, accumulation, gradient }, { ...attrs }) as tf.Tensor[];
    return [newValue!, newAccumulation!];
  }

  /** MomentumOptimizer's own operations, for what the kernel does not take. */
  private tfjsStep(m: tf.Scalar, value: tf.Tensor, accumulation: tf.Tensor, gradient: tf.Tensor): [tf.Tensor, tf.Tensor] {
    const newAccumulation = tf.add(tf.mul(m, accumulation), gradient);
    const step = this.nesterov ? tf.add(gradient, tf.mul(newAccumulation, m)) : newAccumulation;
    return [tf.add(tf.mul(this.c, step), value), newAccumulation];
  }
}

/** Whether the kernel takes this update: float32 all, the gradient and accumulation of the value's own shape (nothing to broadcast). */
function fusable(value: tf.Tensor, accumulation: tf.Tensor, gradient: tf.Tensor): boolean {
  const sameShape = (tensor: tf.Tensor) => tf.util.arraysEqual(tensor.shape, value.shape);
  return [value, accumulation, gradient].every((tensor) => tensor.dtype === "float32") && sameShape(accumulation) && sameShape(gradient);
}
