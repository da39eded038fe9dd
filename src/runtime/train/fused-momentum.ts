import * as tf from "@tensorflow/tfjs";
import { MOMENTUM_UPDATE, type MomentumUpdateAttrs } from "../backend/wasm-kernels/momentum-update.js";
import { plusDecay } from "./squared-norm-penalties.js";
import { fusable, type VariableGradients } from "./fused-update.js";

/** tfjs's MomentumOptimizer declares it takes variables, and reads the gradients as they come. */
type MomentumGradients = Parameters<tf.MomentumOptimizer["applyGradients"]>[0];

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

  /** With `decay`, each named variable's gradient gains λ·w first (an L2 penalty's 2α·w, train/squared-norm-penalties.ts). */
  override applyGradients(variableGradients: VariableGradients, decay?: ReadonlyMap<string, number>): void {
    if (tf.getKernel(MOMENTUM_UPDATE, tf.getBackend()) === undefined) {
      return super.applyGradients((decay ? withDecay(variableGradients, decay) : variableGradients) as MomentumGradients);
    }
    const state = this as unknown as MomentumState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((item) => item.name) : Object.keys(variableGradients);
    names.forEach((name, i) => {
      const value = tf.engine().registeredVariables[name]!;
      state.accumulations[i] ??= { originalName: `${name}/momentum`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
      const accumulation = state.accumulations[i]!.variable;
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient === undefined || gradient === null) return;
      const coefficient = decay?.get(name);
      tf.tidy(() => {
        const [newValue, newAccumulation] = fusable(value, accumulation, gradient)
          ? this.fusedStep(value, accumulation, gradient, coefficient)
          : this.tfjsStep(state.m, value, accumulation, coefficient === undefined ? gradient : plusDecay(gradient, value, coefficient));
        accumulation.assign(newAccumulation);
        value.assign(newValue);
      });
    });
    this.incrementIterations();
  }

  private fusedStep(value: tf.Tensor, accumulation: tf.Tensor, gradient: tf.Tensor, decay: number | undefined): [tf.Tensor, tf.Tensor] {
    const attrs: MomentumUpdateAttrs = {
      momentum: this.momentumValue,
      learningRate: this.learningRate,
      nesterov: this.nesterov,
      ...(decay !== undefined && { decay }),
    };
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

/** The gradients with λ·w added to each named variable's, for tfjs's own update. */
function withDecay(variableGradients: VariableGradients, decay: ReadonlyMap<string, number>): tf.NamedTensorMap {
  const entries = Array.isArray(variableGradients) ? variableGradients.map(({ name, tensor }) => [name, tensor] as const) : Object.entries(variableGradients);
  return Object.fromEntries(
    entries.map(([name, gradient]) => {
      const coefficient = decay.get(name);
      return [name, coefficient === undefined ? gradient : plusDecay(gradient, tf.engine().registeredVariables[name]!, coefficient)];
    }),
  );
}

/** Whether `optimizer` is a FusedMomentumOptimizer: tfjs answers `instanceof` any optimizer class for every optimizer, by its methods alone. */
export function isFusedMomentum(optimizer: tf.Optimizer): optimizer is FusedMomentumOptimizer {
  return Object.prototype.isPrototypeOf.call(FusedMomentumOptimizer.prototype, optimizer);
}
