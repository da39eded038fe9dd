import * as tf from "@tensorflow/tfjs";
import { FusedAdamOptimizer } from "./fused-adam.js";
import { FusedMomentumOptimizer } from "./fused-momentum.js";

/**
 * The optimizers of the catalog, as the generated code names them
 * (`sgd({ lr: 0.01, momentum: 0.9 })`). Each is a recipe: the loop makes
 * the tfjs optimizer when training starts, so a retrain starts afresh.
 */
export interface OptimizerDef {
  name: string;
  learningRate: number;
  create(): tf.Optimizer;
  /** Decoupled weight decay λ applied to every trainable weight after each step (AdamW). */
  decoupledDecay?: number;
}

export function sgd(options: { lr?: number; momentum?: number; nesterov?: boolean } = {}): OptimizerDef {
  const lr = options.lr ?? 0.01;
  const momentum = options.momentum ?? 0;
  return {
    name: "sgd",
    learningRate: lr,
    create: () => (momentum > 0 || options.nesterov ? new FusedMomentumOptimizer(lr, momentum, options.nesterov ?? false) : tf.train.sgd(lr)),
  };
}

interface AdamOptions {
  lr?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

export function adam(options: AdamOptions = {}): OptimizerDef {
  const lr = options.lr ?? 1e-3;
  return { name: "adam", learningRate: lr, create: () => new FusedAdamOptimizer(lr, options.beta1 ?? 0.9, options.beta2 ?? 0.999, options.epsilon ?? 1e-7) };
}

export function adamw(options: AdamOptions & { weightDecay?: number } = {}): OptimizerDef {
  return { ...adam(options), name: "adamw", decoupledDecay: options.weightDecay ?? 0.004 };
}

export function rmsprop(options: { lr?: number; rho?: number; momentum?: number; epsilon?: number } = {}): OptimizerDef {
  const lr = options.lr ?? 1e-3;
  return { name: "rmsprop", learningRate: lr, create: () => tf.train.rmsprop(lr, options.rho ?? 0.9, options.momentum ?? 0, options.epsilon ?? 1e-7) };
}

/**
 * Changes a tfjs optimizer's learning rate between steps. tfjs keeps it in
 * a protected field (and SGD also in a cached scalar, which its
 * `setLearningRate` refreshes), so schedules need this one adapter.
 */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const settable = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (settable.setLearningRate) settable.setLearningRate(lr);
  else settable.learningRate = lr;
}
