import * as tf from "@tensorflow/tfjs";
import { ADAM_UPDATE, type AdamUpdateAttrs } from "../backend/wasm-kernels/adam-update.js";
import { fusable, type VariableGradients } from "./fused-update.js";

/** tfjs's AdamOptimizer declares it takes variables, and reads the gradients as they come. */
type AdamGradients = Parameters<tf.AdamOptimizer["applyGradients"]>[0];
type Moments = Array<{ originalName: string; variable: tf.Variable }>;

/** What AdamOptimizer keeps to itself and this class updates as it does. */
interface AdamState {
  accumulatedFirstMoment: Moments;
  accumulatedSecondMoment: Moments;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * tfjs's AdamOptimizer (same state, weights, checkpoints and numbers) whose
 * update runs as one kernel per variable where the backend has it (wasm:
 * backend/wasm-kernels/adam-update.ts), instead of fourteen operations
 * each a pass through the variable and each paying tfjs's own overhead on
 * one thread, whatever the thread count. Values not
 * float32, a gradient that tfjs would broadcast, and every variable on
 * other backends take tfjs's operations.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) return super.applyGradients(variableGradients as AdamGradients);
    const state = this as unknown as AdamState;
    const names = Array.isArray(variableGradients) ? variableGradients.map((item) => item.name) : Object.keys(variableGradients);
    tf.tidy(() => {
      const oneMinusAccBeta1 = tf.sub(1, state.accBeta1);
      const oneMinusAccBeta2 = tf.sub(1, state.accBeta2);
      const corrections = { correction1: oneMinusAccBeta1.dataSync()[0]!, correction2: oneMinusAccBeta2.dataSync()[0]! };
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient === undefined || gradient === null) return;
        const firstMoment = state.accumulatedFirstMoment[i]!.variable;
        const secondMoment = state.accumulatedSecondMoment[i]!.variable;
        const [newValue, newFirst, newSecond] = fusable(value, firstMoment, secondMoment, gradient)
          ? (tf.engine().runKernel(ADAM_UPDATE, { value, firstMoment, secondMoment, gradient }, { ...this.attrs(state), ...corrections }) as tf.Tensor[])
          : tfjsStep(state, value, firstMoment, secondMoment, gradient, oneMinusAccBeta1, oneMinusAccBeta2, this.learningRate);
        firstMoment.assign(newFirst!);
        secondMoment.assign(newSecond!);
        value.assign(newValue!);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, state.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, state.beta2));
    });
    this.incrementIterations();
  }

  private attrs(state: AdamState): Omit<AdamUpdateAttrs, "correction1" | "correction2"> {
    return { beta1: state.beta1, beta2: state.beta2, epsilon: state.epsilon, learningRate: this.learningRate };
  }
}

/** AdamOptimizer's own operations, for what the kernel does not take: [new value, new first moment, new second moment]. */
function tfjsStep(state: AdamState, value: tf.Tensor, m: tf.Tensor, v: tf.Tensor, gradient: tf.Tensor, oneMinusAccBeta1: tf.Tensor, oneMinusAccBeta2: tf.Tensor, learningRate: number): tf.Tensor[] {
  const newFirst = tf.add(tf.mul(m, state.beta1), tf.mul(gradient, 1 - state.beta1));
  const newSecond = tf.add(tf.mul(v, state.beta2), tf.mul(tf.square(gradient), 1 - state.beta2));
  const corrected = tf.div(tf.div(newFirst, oneMinusAccBeta1), tf.add(tf.sqrt(tf.div(newSecond, oneMinusAccBeta2)), state.epsilon));
  return [tf.add(tf.mul(corrected, -learningRate), value), newFirst, newSecond];
}
