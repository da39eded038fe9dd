import * as tf from "@tensorflow/tfjs";
import type { Model } from "../model/model.js";
import type { Batch, StepInfo, Technique } from "./technique.js";
import type { Task } from "./tasks.js";

/** What one step measured: the objective and the sums of per-example task values, for the epoch's means. */
export interface StepResult {
  objective: number;
  examples: number;
  sums: Map<string, number>;
}

export interface StepSetup {
  model: Model;
  tasks: readonly Task[];
  techniques: readonly Technique[];
  optimizer: tf.Optimizer;
  decoupledDecay?: number;
  clipNorm?: number;
}

/**
 * One gradient step: transform the batch, forward in training mode, the
 * weighted task losses plus every technique's term, the optimizer update,
 * then the techniques' after-step actions (projections, decay).
 */
export function trainStep(setup: StepSetup, rawBatch: Batch, step: StepInfo): StepResult {
  const { model, tasks, techniques } = setup;
  const measured = new Map<string, tf.Tensor>();
  const objective = tf.tidy(() => {
    let batch = rawBatch;
    for (const technique of techniques) if (technique.transformBatch) batch = technique.transformBatch(batch, step);
    const { value, grads } = tf.variableGrads(() => {
      const { output, layers } = model.forward(batch.x, { training: true, seed: step.seed });
      let total = tf.scalar(0);
      for (const task of tasks) {
        const prediction = layers.get(task.output)!;
        const target = batch.targets[task.target]!;
        const perExample = task.loss(prediction, target);
        total = tf.add(total, tf.mul(task.weight, tf.mean(perExample)));
        measured.set(`${task.name}_loss`, tf.keep(tf.sum(perExample)));
        for (const metric of task.metrics) measured.set(`${task.name}_${metric.name}`, tf.keep(tf.sum(metric.perExample(prediction, target))));
      }
      for (const technique of techniques) {
        if (technique.lossTerm) total = tf.add(total, technique.lossTerm({ batch, output, layers }, step));
      }
      return total as tf.Scalar;
    }, model.trainableParams());
    setup.optimizer.applyGradients(setup.clipNorm === undefined ? grads : clipByGlobalNorm(grads, setup.clipNorm));
    return value;
  });
  if (setup.decoupledDecay) decayWeights(model, step.learningRate * setup.decoupledDecay);
  for (const technique of techniques) technique.afterStep?.(model, step);

  const sums = new Map<string, number>();
  for (const [name, tensor] of measured) sums.set(name, tensor.dataSync()[0] ?? 0);
  tf.dispose([...measured.values()]);
  const result = { objective: objective.dataSync()[0] ?? Number.NaN, examples: rawBatch.x.shape[0] ?? 0, sums };
  objective.dispose();
  return result;
}

/** Rescales all gradients together so their global L2 norm is at most `limit`. */
function clipByGlobalNorm(grads: tf.NamedTensorMap, limit: number): tf.NamedTensorMap {
  const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
  const scale = tf.minimum(1, tf.div(limit, tf.maximum(norm, 1e-12)));
  return Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, tf.mul(g, scale)]));
}

/** AdamW's decoupled decay: w ← w − η·λ·w for every trainable weight. */
function decayWeights(model: Model, rate: number): void {
  for (const variable of model.trainableParams()) tf.tidy(() => variable.assign(tf.mul(variable, 1 - rate)));
}
