import * as tf from "@tensorflow/tfjs";
import { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from "../backend/wasm-kernels/momentum-update.js";

/** What MomentumOptimizer keeps to itself and this class updates as it does. */
interface MomentumState {
  accumulations: Array<{ originalName: string; variable: tf.Variable }>;
}

/**
 * tfjs's MomentumOptimizer (same state, weights, checkpoints and numbers)
 * whose update runs as one kernel per variable where the backend has it
 * (wasm: backend/wasm-kernels/momentum-update.ts), instead of four or six
 * operations each a pass through the variable. Elsewhere it is tfjs's own.
 */
export class FusedMomentumOptimizer extends tf.MomentumOptimizer {
  constructor(
    learningRate: number,
    private momentumValue: number,
    private readonly nesterov = false,
  ) {
    super(learningRate, momentumValue, nesterov);
  }

  override setMomentum(momentum: number): void {
    super.setMomentum(momentum);
    this.momentumValue = momentum;
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
      const attrs: MomentumUpdateAttrs = { momentum: this.momentumValue, learningRate: this.learningRate, nesterov: this.nesterov };
      tf.tidy(() => {
        const [newValue, newAccumulation] = tf.engine().runKernel(MOMENTUM_UPDATE, { value, accumulation, gradient }, { ...attrs }) as tf.Tensor[];
        accumulation.assign(newAccumulation!);
        value.assign(newValue!);
      });
    });
    this.incrementIterations();
  }
}
