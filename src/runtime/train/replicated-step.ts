import * as tf from "@tensorflow/tfjs";
import { float32View, wasmBackendOf } from "../backend/wasm-kernels/wasm-heap.js";
import type { ReplicaGroup } from "../parallel/replica-group.js";
import { deriveSeed } from "../random.js";
import { applyUpdate, foldedDecay, measuredNames, stepGradients, trainedVariables, type StepResult, type StepSetup } from "./step.js";
import type { Batch, StepInfo } from "./technique.js";

/**
 * One gradient step taken by a group of replicas, of which this is one:
 * `batch` is this replica's rows of a batch of `batchRows`. Each replica
 * writes into its slot the gradient of its mean objective, its model state
 * (batch norm's moving statistics, which its forward pass just moved), its
 * objective and its per-example sums; the group sums the slots, gradient,
 * state and objective weighted by each replica's share of the rows. The
 * weighted sum of the mean gradients is the gradient of the whole batch's
 * mean, so every replica applies the update one replica would (up to
 * rounding), and the same one as every other replica, bit for bit. L2
 * penalties' λ·w is left out of the slots and added once, by the update.
 */
export function replicatedStep(setup: StepSetup, batch: Batch, step: StepInfo, group: ReplicaGroup, batchRows: number): StepResult {
  const variables = trainedVariables(setup);
  const state = [...setup.model.state.values()];
  const names = measuredNames(setup.tasks);
  const gradientValues = variables.reduce((total, variable) => total + variable.size, 0);
  const weighted = gradientValues + state.reduce((total, variable) => total + variable.size, 0) + 1;
  // Slot: [gradients | state | objective] weighted, then [sums | one flag per variable that has a gradient].
  const slot = group.slot(weighted + names.length + variables.length);
  const flags = weighted + names.length;
  if ((batch.x.shape[0] ?? 0) === 0) slot.fill(0);
  else writeContribution(setup, batch, replicaStep(step, group.rank), slot, { variables, state, names, flags });

  const total = group.allReduce(weighted, group.shares(batchRows));
  tf.tidy(() => {
    const grads: tf.NamedTensorMap = {};
    let offset = 0;
    variables.forEach((variable, index) => {
      if (total[flags + index]! > 0) grads[variable.name] = tf.tensor(total.subarray(offset, offset + variable.size), variable.shape);
      offset += variable.size;
    });
    for (const variable of state) {
      variable.assign(tf.tensor(total.subarray(offset, offset + variable.size), variable.shape));
      offset += variable.size;
    }
    applyUpdate(setup, grads, step, foldedDecay(setup));
  });
  for (const technique of setup.techniques) technique.afterStep?.(setup.model, step);
  const sums = new Map(names.map((name, index) => [name, total[weighted + index]!]));
  return { objective: total[weighted - 1]!, examples: batchRows, sums };
}

/**
 * The step as replica `rank` sees it: its own seed for dropout masks, noise
 * and augmentation (rank 0 keeps the step's, so one replica draws what
 * training without replicas draws).
 */
export function replicaStep(step: StepInfo, rank: number): StepInfo {
  return rank === 0 ? step : { ...step, seed: deriveSeed(step.seed, "replica", rank) };
}

function writeContribution(
  setup: StepSetup,
  batch: Batch,
  step: StepInfo,
  slot: Float32Array,
  layout: { variables: tf.Variable[]; state: tf.Variable[]; names: string[]; flags: number },
): void {
  const measured = new Map<string, tf.Tensor>();
  tf.tidy(() => {
    const { value, grads } = stepGradients(setup, batch, step, measured, { foldSquaredNorms: true });
    let offset = 0;
    layout.variables.forEach((variable, index) => {
      const gradient = grads[variable.name];
      if (gradient) slot.set(valuesOf(gradient), offset);
      else slot.fill(0, offset, offset + variable.size);
      slot[layout.flags + index] = gradient ? 1 : 0;
      offset += variable.size;
    });
    for (const variable of layout.state) {
      slot.set(valuesOf(variable), offset);
      offset += variable.size;
    }
    slot[offset] = valuesOf(value)[0]!;
  });
  const sums = layout.flags - layout.names.length;
  layout.names.forEach((name, index) => (slot[sums + index] = measured.get(name)?.dataSync()[0] ?? 0));
  tf.dispose([...measured.values()]);
}

/**
 * A float32 tensor's values to copy from: on wasm a view of the backend's
 * heap, which saves copying a model's gradient twice every step (valid
 * until the backend next allocates); elsewhere a copy.
 */
function valuesOf(tensor: tf.Tensor): Float32Array {
  return tf.getBackend() === "wasm" ? float32View(wasmBackendOf(tf.backend()), tensor) : (tensor.dataSync() as Float32Array);
}
